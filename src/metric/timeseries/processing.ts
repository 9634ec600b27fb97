/**
 * metricd's job for one metric, inside the transaction that holds its lock:
 * merge the accepted measures into the raw points the back window keeps,
 * recompute every period they touch at every granularity and method, trim
 * each series to its retention and the raw points to the back window, then
 * forget the measures. All of it commits at once or not at all, so a crash
 * or a second process never counts a measure twice.
 */
import type { Logger } from '../../core/logger.js';
import { parseMethod, type ParsedMethod } from './methods.js';
import {
  aggregate,
  differences,
  floorTo,
  mergeSeries,
  packSeries,
  pointsFrom,
  pointsFromWithPredecessor,
  sortMeasures,
  toMicros,
  unpackSeries,
  type Point,
} from './series.js';
import type { BatchOutcome, SplitKey, SplitRow, TimeSeriesStore, TimeSeriesTransaction } from './store.js';
import type { ArchivePolicy, ArchivePolicyItem } from './types.js';

/** Periods per split, as carbonara cuts its series. */
export const POINTS_PER_SPLIT = 3600;

export interface SeriesPlan {
  method: string;
  parsed: ParsedMethod;
  /** Microseconds, as every time below. */
  granularity: number;
  /** How far behind its newest point a series keeps points; null: forever. */
  timespan: number | null;
}

export interface PolicyPlan {
  /** The coarsest granularity: the back window counts in these. */
  block: number;
  backWindow: number;
  series: SeriesPlan[];
  /** The series grouped by granularity: one read loads a granularity's splits of every method. */
  granularities: Array<{ granularity: number; series: SeriesPlan[] }>;
}

export function planOf(policy: ArchivePolicy): PolicyPlan {
  const methods = policy.aggregationMethods.flatMap((method) => {
    const parsed = parseMethod(method);
    return parsed ? [{ method, parsed }] : [];
  });
  const series = policy.definition.flatMap((item) => {
    const granularity = toMicros(item.granularity);
    const timespan = retentionOf(item);
    return methods.map(({ method, parsed }) => ({ method, parsed, granularity, timespan }));
  });
  const block = Math.max(0, ...series.map((s) => s.granularity));
  // Gnocchi widens the back window by one block when a rate is kept, so that the oldest block's periods keep their rates.
  const backWindow = policy.backWindow + (series.some((s) => s.parsed.rate) ? 1 : 0);
  const granularities = [...new Set(series.map((s) => s.granularity))].map((granularity) => ({
    granularity,
    series: series.filter((s) => s.granularity === granularity),
  }));
  return { block, backWindow, series, granularities };
}

/** How far behind its newest point a series of this granularity keeps points, in microseconds; null: forever. */
export function retentionOf(item: ArchivePolicyItem): number | null {
  const seconds = item.timespan ?? (item.points === null ? null : item.points * item.granularity);
  return seconds === null ? null : toMicros(seconds);
}

/** A metric of a batch and the plan of its archive policy. */
export interface MetricWork {
  metricId: string;
  plan: PolicyPlan;
}

/**
 * Aggregates the pending measures of a batch of metrics whose locks `tx`
 * holds: their batches and raw points read with one statement each, each
 * touched granularity's splits with one, every write of the batch at the end
 * in a few multi-row statements. Returns how many measures it consumed.
 */
export async function processBatch(store: TimeSeriesStore, tx: TimeSeriesTransaction, work: readonly MetricWork[], log: Logger): Promise<number> {
  const ids = work.map((item) => item.metricId);
  const incoming = await store.incomingOf(tx, ids);
  const raws = await store.rawPointsOf(tx, ids);
  const outcome: BatchOutcome = { trims: [], removals: [], splits: [], rawPoints: [], consumed: [] };
  let consumed = 0;
  for (const { metricId, plan } of work) {
    const batches = incoming.get(metricId) ?? [];
    if (batches.length === 0) continue;
    const accepted = sortMeasures(batches.flatMap((batch) => unpackSeries(batch.points)));
    const raw = unpackSeries(raws.get(metricId) ?? new Uint8Array());
    const fresh = pointsFrom(accepted, oldestAccepted(raw, plan));
    // Gnocchi drops measures behind the back window without a word to the client; the operator may want to know.
    if (fresh.length < accepted.length) log.debug({ metricId, dropped: accepted.length - fresh.length }, 'measures older than the back window ignored');
    const first = fresh[0];
    if (first && plan.block > 0) {
      const merged = mergeSeries(raw, fresh);
      const sources = { raw: merged, rates: plan.series.some((series) => series.parsed.rate) ? differences(merged) : [] };
      for (const { granularity, series } of plan.granularities) {
        const recomputeFrom = floorTo(first.time, granularity);
        const stored = await store.splitsFrom(tx, metricId, granularity, floorTo(recomputeFrom, granularity * POINTS_PER_SPLIT));
        for (const item of series) {
          const key = { metricId, method: item.method, granularity };
          updateSeries(key, item, sources, recomputeFrom, stored.get(item.method) ?? [], outcome);
        }
      }
      // Gnocchi keeps the back window's blocks only, so the oldest of them lost its first rate; one point more keeps it.
      outcome.rawPoints.push({ metricId, points: packSeries(pointsFromWithPredecessor(merged, oldestAccepted(merged, plan))) });
    }
    outcome.consumed.push(...batches.map((batch) => batch.id));
    consumed += accepted.length;
  }
  await store.saveBatch(tx, outcome);
  return consumed;
}

/** The oldest time a measure may still have: the back window's blocks behind the block of the newest raw point. */
function oldestAccepted(raw: readonly Point[], plan: PolicyPlan): number {
  const newest = raw[raw.length - 1];
  return newest === undefined ? -Infinity : floorTo(newest.time, plan.block) - plan.block * plan.backWindow;
}

/** Recomputes one series from `recomputeFrom` on over its stored splits from there, recording the writes in `outcome`. */
function updateSeries(
  key: SplitKey,
  plan: SeriesPlan,
  sources: { raw: readonly Point[]; rates: readonly Point[] },
  recomputeFrom: number,
  stored: readonly SplitRow[],
  outcome: BatchOutcome,
): void {
  const span = plan.granularity * POINTS_PER_SPLIT;
  const recomputed = aggregate(pointsFrom(plan.parsed.rate ? sources.rates : sources.raw, recomputeFrom), plan.granularity, plan.parsed.reduce);

  const firstSplit = floorTo(recomputeFrom, span);
  const unchanged = stored.flatMap((split) => unpackSeries(split.points)).filter((point) => point.time < recomputeFrom);
  let series = [...unchanged, ...recomputed];
  const newest = series[series.length - 1];
  if (newest !== undefined && plan.timespan !== null) {
    const oldestDropped = newest.time - plan.timespan;
    series = series.filter((point) => point.time > oldestDropped);
    // Older splits wholly past retention go. The one across the limit, when older than the rewritten ones, stays whole until
    // it falls out entirely (one split a series at most): every read filters by retention anyway, and cutting it would cost
    // a read per series and batch (issue 15's profile: 40% of the aggregation pass).
    outcome.trims.push({ key, before: Math.min(floorTo(oldestDropped, span), firstSplit) });
  }

  const bySplit = new Map<number, Point[]>(stored.map((split) => [split.splitStart, []]));
  for (const point of series) {
    const start = floorTo(point.time, span);
    const points = bySplit.get(start) ?? [];
    points.push(point);
    bySplit.set(start, points);
  }
  for (const [splitStart, points] of bySplit) saveOrRemove(outcome, key, splitStart, points);
}

function saveOrRemove(outcome: BatchOutcome, key: SplitKey, splitStart: number, points: readonly Point[]): void {
  if (points.length > 0) outcome.splits.push({ key, splitStart, points: packSeries(points) });
  else outcome.removals.push({ key, splitStart });
}
