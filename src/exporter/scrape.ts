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
import { placementCollector } from './cloud/placement.js';

/** The user the exporter reads the cloud as: an admin of the `admin` project, as openstack-exporter's cloud is configured. */
const EXPORTER_USER = 'nimbus-exporter';

export class Scraper {
  readonly registry = new Registry();
  readonly #collectors: CloudCollector[];
  readonly #meters = new CeilometerMeters(this.registry);
  #adminProject: { id: string; name: string } | null = null;
  #previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly services: ServiceRegistry,
    private readonly log: Logger,
  ) {
    this.#collectors = [novaCollector, cinderCollector, neutronCollector, glanceCollector, heatCollector, identityCollector, placementCollector].map((make) =>
      make(this.registry),
    );
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

  /**
   * A fresh caller per scrape (a context claims an expiry), in the admin
   * project found once; system-scoped while identity cannot say the project,
   * so that the page still shows the process's own health.
   */
  async #adminCaller(): Promise<CallerContext> {
    const system = serviceCaller(EXPORTER_USER, null);
    try {
      this.#adminProject ??= (await this.services.identity?.listProjects(system, { name: 'admin' }))?.[0] ?? null;
    } catch (err) {
      this.log.warn({ err }, 'could not find the admin project for /metrics');
    }
    return this.#adminProject ? serviceCaller(EXPORTER_USER, this.#adminProject) : system;
  }
}
