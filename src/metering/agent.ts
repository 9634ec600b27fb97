/**
 * The polling agent (ceilometer-polling, compute and central namespaces in
 * one loop): every `interval` seconds, on the cycle boundary, it polls,
 * publishes to the metric service and ends the resources whose objects were
 * deleted. Every process of a cluster runs the loop; a pollster group
 * (`central`, or `compute:<host>` for each host this process's driver runs)
 * is polled in a cycle only by the process that claims that cycle in the
 * database, so two processes never publish the same samples twice.
 */
import { hostname } from 'node:os';
import { serviceCaller, type CallerContext } from '../core/context.js';
import { uuid } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { ServiceRegistry } from '../core/service-module.js';
import { meterSelected, type MeteringConfig } from './config.js';
import { METERING_USER, pollCentral } from './pollsters/central.js';
import { pollCompute } from './pollsters/compute.js';
import type { LatestSamples } from './latest-samples.js';
import type { GnocchiPublisher } from './publisher/gnocchi.js';
import { metricDoor } from './publisher/metric-door.js';
import { definitionOf } from './publisher/resources.js';
import type { OwnerKind, Sample } from './samples.js';
import type { MeteringStore } from './store/index.js';
import { nowIso } from '../core/time.js';

export interface AgentDeps {
  config: MeteringConfig;
  store: MeteringStore;
  services: ServiceRegistry;
  publisher: GnocchiPublisher;
  /** Keeps each meter's latest sample for the Prometheus exporter. */
  latest: LatestSamples;
  log: Logger;
}

export class PollingAgent {
  readonly #owner = `${hostname()}:${process.pid}:${uuid().slice(0, 8)}`;
  /** Ceilometer's service user in the `service` project (else `admin`), found at the first cycle. */
  #caller: CallerContext | null = null;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  #warnedNoMetric = false;

  constructor(private readonly deps: AgentDeps) {}

  get intervalMs(): number {
    return this.deps.config.polling.interval * 1000;
  }

  start(): void {
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Polls cycle `cycle` (the number of intervals since the epoch): what this process claims of it. */
  async pollCycle(cycle: number): Promise<void> {
    const { store, services, log } = this.deps;
    if (!metricDoor(services)) {
      // Nowhere to publish: poll nothing rather than read every guest for nothing.
      if (!this.#warnedNoMetric) log.warn('the metric service is not running: metering polls nothing');
      this.#warnedNoMetric = true;
      return;
    }
    const caller = await this.#serviceCaller();
    const timestamp = nowIso();
    const samples: Sample[] = [];
    const completeKinds: OwnerKind[] = [];
    const compute = services.compute;
    if (compute) {
      try {
        samples.push(...(await pollCompute(compute, caller, (host) => store.claimCycle(`compute:${host}`, cycle, this.#owner), timestamp, log)));
      } catch (err) {
        log.warn({ err }, 'compute pollsters failed this cycle');
      }
    }
    const central = await store.claimCycle('central', cycle, this.#owner);
    if (central) {
      const outcome = await pollCentral(services, caller, timestamp, log);
      samples.push(...outcome.samples);
      completeKinds.push(...outcome.completeKinds);
    }
    const selected = samples.filter((s) => meterSelected(this.deps.config.polling.meters, s.meter.name));
    this.deps.latest.record(selected);
    await this.deps.publisher.publish(caller, selected);
    await store.remember(
      selected.flatMap((s) => {
        const definition = definitionOf(s.meter.name);
        return definition ? [{ resourceId: s.resourceId, resourceType: definition.resourceType, owner: s.owner }] : [];
      }),
    );
    // Ending deleted objects' resources is central work: one process per cycle does it. Every polled sample tells an owner lives, selected or not.
    if (central) await this.#endVanished(caller, samples, compute ? [...completeKinds, 'server'] : completeKinds, timestamp);
  }

  /**
   * Ends the resources of owners gone since they were published: an owner
   * missing from a complete listing is gone; a server missing from this
   * cycle's samples (it may be stopped, or on another agent's host) is gone
   * only when compute no longer has it.
   */
  async #endVanished(caller: CallerContext, samples: Sample[], kinds: OwnerKind[], endedAt: string): Promise<void> {
    const seen = new Set(samples.map((s) => `${s.owner.kind}/${s.owner.id}`));
    for (const kind of kinds) {
      for (const ownerId of await this.deps.store.owners(kind)) {
        if (seen.has(`${kind}/${ownerId}`)) continue;
        if (kind === 'server' && !(await this.#serverGone(caller, ownerId))) continue;
        for (const resource of await this.deps.store.resourcesOf(kind, ownerId)) {
          await this.deps.publisher.end(caller, resource.resourceType, resource.resourceId, endedAt);
          await this.deps.store.forget(resource.resourceId);
        }
      }
    }
  }

  async #serverGone(caller: CallerContext, serverId: string): Promise<boolean> {
    const compute = this.deps.services.compute;
    if (!compute) return false;
    try {
      return (await compute.getServer(caller, serverId)).status === 'DELETED';
    } catch (error) {
      if ((error as { status?: number }).status === 404) return true;
      throw error;
    }
  }

  async #serviceCaller(): Promise<CallerContext> {
    if (this.#caller) return this.#caller;
    const identity = this.deps.services.identity;
    const system = serviceCaller(METERING_USER, null);
    if (!identity) return system;
    const [project] = [...(await identity.listProjects(system, { name: 'service' })), ...(await identity.listProjects(system, { name: 'admin' }))];
    this.#caller = project ? serviceCaller(METERING_USER, project) : system;
    return this.#caller;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const cycle = Math.floor(Date.now() / this.intervalMs) + 1;
    this.#timer = setTimeout(
      () => {
        this.#running = this.pollCycle(cycle)
          .catch((err: unknown) => this.deps.log.error({ err, cycle }, 'polling cycle failed'))
          .finally(() => this.#schedule());
      },
      cycle * this.intervalMs - Date.now(),
    );
  }
}
