/**
 * The metering service's door (`deps.services.metering`): what the polling
 * agent of this process last measured, for the exporter's `ceilometer_*`
 * metrics (Ceilometer's Prometheus exporter shows the samples of its own
 * polling agent the same way). Samples polled by another process of a
 * cluster (one that claimed a cycle's pollster group) are that process's.
 */
import type { LatestSamples } from './latest-samples.js';
import type { Sample } from './samples.js';

export type { Meter, MeterType, Sample } from './samples.js';

export interface MeteringOperations {
  /** The latest sample of each meter and resource polled here recently (within two polling intervals). */
  latestSamples(): Sample[];
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    metering?: MeteringOperations;
  }
}

export function meteringOperations(latest: LatestSamples): MeteringOperations {
  return { latestSamples: () => latest.current() };
}
