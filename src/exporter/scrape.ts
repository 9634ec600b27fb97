/**
 * One registry for the whole page, refreshed at each scrape: the cloud's
 * state read through the services' doors, then the metering agent's latest
 * samples; the process metrics are live already. Scrapes run one at a time,
 * so two never interleave their resets and sets of the same gauges.
 */
import { Registry } from 'prom-client';
import { serviceCaller, type CallerContext } from '../core/context.js';
import type { Logger } from '../core/logger.js';
import type { ServiceRegistry } from '../core/service-module.js';
import { CeilometerMeters } from './ceilometer.js';
import { cinderCollector } from './cloud/cinder.js';
import { refreshCloud, type CloudCollector } from './cloud/collector.js';
import { glanceCollector } from './cloud/glance.js';
import { heatCollector } from './cloud/heat.js';
import { identityCollector } from './cloud/identity.js';
import { neutronCollector } from './cloud/neutron.js';
import { novaCollector } from './cloud/nova.js';

/** The user the exporter reads the cloud as: an admin of the `admin` project, as openstack-exporter's cloud is configured. */
const EXPORTER_USER = 'nimbus-exporter';

export class Scraper {
  readonly registry = new Registry();
  readonly #collectors: CloudCollector[];
  readonly #meters = new CeilometerMeters(this.registry);
  #caller: CallerContext | null = null;
  #previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly services: ServiceRegistry,
    private readonly log: Logger,
  ) {
    this.#collectors = [novaCollector, cinderCollector, neutronCollector, glanceCollector, heatCollector, identityCollector].map((make) => make(this.registry));
  }

  /** The page in Prometheus's text format (version 0.0.4). */
  scrape(): Promise<string> {
    const page = this.#previous.then(
      () => this.#render(),
      () => this.#render(),
    );
    this.#previous = page;
    return page;
  }

  async #render(): Promise<string> {
    await refreshCloud(this.#collectors, this.services, await this.#adminCaller(), this.log);
    this.#meters.show(this.services.metering?.latestSamples() ?? []);
    return this.registry.metrics();
  }

  async #adminCaller(): Promise<CallerContext> {
    if (this.#caller) return this.#caller;
    const system = serviceCaller(EXPORTER_USER, null);
    const identity = this.services.identity;
    if (!identity) return system;
    const [admin] = await identity.listProjects(system, { name: 'admin' });
    this.#caller = admin ? serviceCaller(EXPORTER_USER, admin) : system;
    return this.#caller;
  }
}
