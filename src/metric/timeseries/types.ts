/**
 * The contract of Gnocchi's storage side (metricd + carbonara) as Nimbus
 * builds it: measures are accepted durably first, then aggregated per
 * archive-policy granularity into compact series. Everything above it (the
 * /metric API, Aodh's evaluator, Ceilometer's publisher) speaks these types.
 *
 * Time is epoch seconds as a float (microsecond precision holds for the next
 * centuries); granularities and timespans are seconds.
 */

/** One raw point as pushed by a client. */
export interface Measure {
  timestamp: number;
  value: number;
}

/**
 * An aggregation method's name as Gnocchi spells it: `mean`, `min`, `max`,
 * `sum`, `std`, `count`, `last`, `first`, `median`, a percentile `<N>pct`
 * (e.g. `95pct`), or any of those as a rate: `rate:mean`, `rate:last`, ...
 */
export type AggregationMethod = string;

/** One row of an archive policy's definition (Gnocchi fills in the third of the three). */
export interface ArchivePolicyItem {
  granularity: number;
  /** How many points are kept: the series is trimmed to granularity x points. Null: kept forever. */
  points: number | null;
  timespan: number | null;
}

export interface ArchivePolicy {
  name: string;
  /** How many periods of the coarsest granularity behind the newest point a late measure may still land in. */
  backWindow: number;
  definition: ArchivePolicyItem[];
  aggregationMethods: AggregationMethod[];
}

/** One aggregated point: Gnocchi's `[timestamp, granularity, value]` triple. */
export interface AggregatedPoint {
  timestamp: number;
  granularity: number;
  value: number;
}

export interface SeriesQuery {
  aggregation: AggregationMethod;
  /** One granularity of the policy; absent: every granularity, finest last as Gnocchi lists them (coarsest first). */
  granularity?: number;
  /** Inclusive start, exclusive stop (Gnocchi's semantics), epoch seconds. */
  start?: number;
  stop?: number;
}

/** A measure batch for one metric, as the API accepted it. */
export interface MeasureBatch {
  metricId: string;
  measures: Measure[];
}

/**
 * The time-series store. One per process; every instance over the same
 * database and data dir sees the same series (cluster mode: PostgreSQL).
 */
export interface TimeSeriesEngine {
  /**
   * Stores the batches durably (they survive kill -9 once this resolves; the
   * API answers 202 only after it) and schedules their aggregation.
   */
  accept(batches: MeasureBatch[]): Promise<void>;
  /**
   * Marks a push under way, from its request's first byte to its answer: the
   * background aggregation gives way until it ends (bounded). Returns the call
   * that ends it; later calls of that are ignored.
   */
  pushing(): () => void;
  /** Aggregates what is pending for these metrics now (Gnocchi's `refresh=true`). */
  refresh(metricIds: string[], policyOf: (metricId: string) => Promise<ArchivePolicy | null>): Promise<void>;
  /** How many measures await aggregation (Gnocchi's /v1/status `storage.summary.measures`), and for how many metrics. */
  backlog(): Promise<{ measures: number; metrics: number }>;
  /** The aggregated series; points outside the policy's retention are gone. An unknown metric reads as empty. */
  read(metricId: string, policy: ArchivePolicy, query: SeriesQuery): Promise<AggregatedPoint[]>;
  /** Forgets a metric's pending measures and series (metric deleted). */
  delete(metricId: string): Promise<void>;
  /**
   * Starts the background aggregation (metricd's job), which asks `policyOf`
   * for each metric's archive policy (null: the metric was deleted, drop its
   * measures). Stopped by `close()`.
   */
  start(policyOf: (metricId: string) => Promise<ArchivePolicy | null>): void;
  close(): Promise<void>;
}
