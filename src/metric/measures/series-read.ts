/**
 * Reading one metric's aggregated series as `GET /v1/metric/{id}/measures`
 * does: the policy must hold the method (404 with Gnocchi's cause) and the
 * granularity (404 `Aggregation method ... does not exist`), pending
 * measures are aggregated first on `refresh`, coarsest granularity first;
 * with a granularity, optionally resampled to a coarser period or calendar group.
 */
import type { CallerContext } from '../../core/context.js';
import type { MetricIndex, MetricRecord } from '../types.js';
import type { AggregatedPoint, ArchivePolicy, SeriesQuery, TimeSeriesEngine } from '../timeseries/types.js';
import { aggregationAtGranularityNotFound, metricNotFound, noSuchAggregationMethod } from './errors.js';
import { periodReducer, splitRate } from './reducers.js';
import { periodStart, type Sampling } from './calendar.js';
import { floorToGranularity } from './time.js';

export interface SeriesSources {
  index: MetricIndex;
  engine: TimeSeriesEngine;
  /**
   * Gnocchi's policy check (the index's rules): `post measures` and `get measures` with the metric
   * as target, `get status` without one. Throws Forbidden.
   */
  enforce(caller: CallerContext, rule: string, metric?: MetricRecord): void | Promise<void>;
  /** `enforce` over a batch's metrics at once (403 if any is refused); the index decides once per owner, not per metric. */
  enforceAll(caller: CallerContext, rule: MeasureRule, metrics: readonly MetricRecord[]): void | Promise<void>;
}

export interface ReadQuery extends SeriesQuery {
  refresh?: boolean;
}

/** A point of a resampled read: its granularity is the sampling asked, seconds or a calendar group's letter. */
export type ResampledPoint = Omit<AggregatedPoint, 'granularity'> & { granularity: Sampling };

export async function policyOf(sources: SeriesSources, metric: MetricRecord): Promise<ArchivePolicy> {
  const policy = (await sources.index.policyOfMetric(metric.id)) ?? (await sources.index.archivePolicy(metric.archivePolicyName));
  // A metric deleted between the look-up and now reads as absent.
  if (!policy) throw metricNotFound(metric.id);
  return policy;
}

/** Aggregates what is pending for these metrics now (Gnocchi's refresh=true). */
export function refreshMetrics(sources: SeriesSources, metricIds: string[]): Promise<void> {
  return sources.engine.refresh(metricIds, (id) => sources.index.policyOfMetric(id));
}

/** One granularity's points between start (rounded down to the granularity, as carbonara does) and stop. */
export function readGranularity(
  sources: SeriesSources,
  metricId: string,
  policy: ArchivePolicy,
  aggregation: string,
  granularity: number,
  start?: number,
  stop?: number,
): Promise<AggregatedPoint[]> {
  const query: SeriesQuery = { aggregation, granularity };
  if (start !== undefined) query.start = floorToGranularity(start, granularity);
  if (stop !== undefined) query.stop = stop;
  return sources.engine.read(metricId, policy, query);
}

/** Points regrouped into periods of `sampling` with the series' own method (a rate differentiates first). */
function resamplePoints(points: AggregatedPoint[], aggregation: string, sampling: Sampling): ResampledPoint[] {
  const { base, rate } = splitRate(aggregation);
  const reducer = periodReducer(base) ?? periodReducer('mean')!;
  const buckets = new Map<number, number[]>();
  points.forEach((point, i) => {
    if (rate && i === 0) return;
    const value = rate ? point.value - points[i - 1]!.value : point.value;
    const bucket = periodStart(point.timestamp, sampling);
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), value]);
  });
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((timestamp) => ({ timestamp, granularity: sampling, value: reducer(buckets.get(timestamp)!) }))
    .filter((point) => !Number.isNaN(point.value));
}

/** `GET /v1/metric/{id}/measures` for a metric the caller may read. */
export async function readMetricMeasures(sources: SeriesSources, metric: MetricRecord, query: ReadQuery): Promise<AggregatedPoint[]> {
  const policy = await policyOf(sources, metric);
  if (!policy.aggregationMethods.includes(query.aggregation)) throw noSuchAggregationMethod(metric.id, query.aggregation);
  const available = policy.definition.map((item) => item.granularity);
  const granularities = query.granularity === undefined ? available : [query.granularity];
  for (const granularity of granularities)
    if (!available.includes(granularity)) throw aggregationAtGranularityNotFound(metric.id, query.aggregation, granularity);
  if (query.refresh) await refreshMetrics(sources, [metric.id]);
  const answer: AggregatedPoint[] = [];
  for (const granularity of [...granularities].sort((a, b) => b - a)) {
    const points = await readGranularity(sources, metric.id, policy, query.aggregation, granularity, query.start, query.stop);
    answer.push(...points);
  }
  return answer;
}

/** One granularity's read regrouped by `sampling` (Gnocchi's `resample`, which needs a granularity). */
export async function readResampled(
  sources: SeriesSources,
  metric: MetricRecord,
  query: ReadQuery & { granularity: number },
  sampling: Sampling,
): Promise<ResampledPoint[]> {
  return resamplePoints(await readMetricMeasures(sources, metric, query), query.aggregation, sampling);
}

/** A metric the caller sees (else Gnocchi's 404) and may act on by `rule` (else 403). */
export async function visibleMetric(sources: SeriesSources, caller: CallerContext, metricId: string, rule: MeasureRule): Promise<MetricRecord> {
  const metric = await sources.index.metric(caller, metricId);
  if (!metric) throw metricNotFound(metricId);
  await sources.enforce(caller, rule, metric);
  return metric;
}

export type MeasureRule = 'get measures' | 'post measures';
