/**
 * The cloud's state in openstack-exporter's names: one collector per
 * OpenStack service, reading that service's door at scrape time. Each sets
 * its own gauges from scratch at every refresh, so a deleted resource's
 * series disappears; `openstack_<service>_up` says whether the read worked.
 */
import { Gauge, type Registry } from 'prom-client';
import type { CallerContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';
import type { ServiceRegistry } from '../../core/service-module.js';

export interface CloudCollector {
  gauges: GaugeSet;
  /** Reads the service's door and sets every gauge of the set; throws when the door is absent or fails. */
  refresh(services: ServiceRegistry, caller: CallerContext): Promise<void>;
}

/** The gauges of one service, named `openstack_<service>_<name>`, with the service's `up` gauge. */
export class GaugeSet {
  readonly #gauges: Gauge<string>[] = [];
  readonly up: Gauge<string>;

  constructor(
    private readonly registry: Registry,
    /** openstack-exporter's name for the service: nova, cinder, neutron, glance, heat, identity. */
    readonly service: string,
  ) {
    this.up = new Gauge({ name: `openstack_${service}_up`, help: 'Service status (1=up, 0=down)', registers: [registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    const gauge = new Gauge<L>({ name: `openstack_${this.service}_${name}`, help, labelNames, registers: [this.registry] });
    this.#gauges.push(gauge as Gauge<string>);
    return gauge;
  }

  /** Drops every series but `up` (before a refresh, and when the service is down: stale values would lie). */
  clear(): void {
    for (const gauge of this.#gauges) gauge.reset();
  }
}

/** A status's position in one of openstack-exporter's status lists (its gauge value); -1 for a status it does not know. */
export function statusIndex(known: readonly string[], status: string): number {
  return known.indexOf(status);
}

/** Counts of each status, every known one present (0 when none has it), as openstack-exporter's `*_status_counter`. */
export function countByStatus(known: readonly string[], statuses: readonly string[]): Map<string, number> {
  const counts = new Map(known.map((s) => [s, 0]));
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return counts;
}

/** Refreshes every collector; one that fails is logged, its series dropped and its `up` gauge set to 0. */
export async function refreshCloud(collectors: readonly CloudCollector[], services: ServiceRegistry, caller: CallerContext, log: Logger): Promise<void> {
  await Promise.all(
    collectors.map(async ({ gauges, refresh }) => {
      gauges.clear();
      try {
        await refresh(services, caller);
        gauges.up.set(1);
      } catch (err) {
        gauges.clear();
        gauges.up.set(0);
        log.warn({ err, service: gauges.service }, 'could not read the cloud state for /metrics');
      }
    }),
  );
}
