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
import type { SplitKey, TimeSeriesStore, TimeSeriesTransaction } from './store.js';
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
  return { block, backWindow, series };
}

/** How far behind its newest point a series of this granularity keeps points, in microseconds; null: forever. */
export function retentionOf(item: ArchivePolicyItem): number | null {
  const seconds = item.timespan ?? (item.points === null ? null : item.points * item.granularity);
  return seconds === null ? null : toMicros(seconds);
}

/** Aggregates the metric's pending measures; returns how many it consumed. */
export async function processMetric(store: TimeSeriesStore, tx: TimeSeriesTransaction, metricId: string, plan: PolicyPlan, log: Logger): Promise<number> {
  const batches = await store.incoming(tx, metricId);
  if (batches.length === 0) return 0;
  const accepted = sortMeasures(batches.flatMap((batch) => unpackSeries(batch.points)));
  const raw = unpackSeries(await store.rawPoints(tx, metricId));
  const fresh = pointsFrom(accepted, oldestAccepted(raw, plan));
  // Gnocchi drops measures behind the back window without a word to the client; the operator may want to know.
  if (fresh.length < accepted.length) log.debug({ metricId, dropped: accepted.length - fresh.length }, 'measures older than the back window ignored');
  const first = fresh[0];
  if (first && plan.block > 0) {
    const merged = mergeSeries(raw, fresh);
    for (const series of plan.series)
      await updateSeries(store, tx, { metricId, method: series.method, granularity: series.granularity }, series, merged, first.time);
    // Gnocchi keeps the back window's blocks only, so the oldest of them lost its first rate; one point more keeps it.
    await store.saveRawPoints(tx, metricId, packSeries(pointsFromWithPredecessor(merged, oldestAccepted(merged, plan))));
  }
  await store.removeIncoming(
    tx,
    batches.map((batch) => batch.id),
  );
  return accepted.length;
}

/** The oldest time a measure may still have: the back window's blocks behind the block of the newest raw point. */
function oldestAccepted(raw: readonly Point[], plan: PolicyPlan): number {
  const newest = raw[raw.length - 1];
  return newest === undefined ? -Infinity : floorTo(newest.time, plan.block) - plan.block * plan.backWindow;
}

async function updateSeries(
  store: TimeSeriesStore,
  tx: TimeSeriesTransaction,
  key: SplitKey,
  plan: SeriesPlan,
  raw: readonly Point[],
  changedFrom: number,
): Promise<void> {
  const span = plan.granularity * POINTS_PER_SPLIT;
  const recomputeFrom = floorTo(changedFrom, plan.granularity);
  const source = plan.parsed.rate ? differences(raw) : raw;
  const recomputed = aggregate(pointsFrom(source, recomputeFrom), plan.granularity, plan.parsed.reduce);

  const firstSplit = floorTo(recomputeFrom, span);
  const stored = await store.splits(tx, key, { from: firstSplit });
  const unchanged = stored.flatMap((split) => unpackSeries(split.points)).filter((point) => point.time < recomputeFrom);
  let series = [...unchanged, ...recomputed];
  const newest = series[series.length - 1];
  if (newest !== undefined && plan.timespan !== null) {
    const oldestDropped = newest.time - plan.timespan;
    series = series.filter((point) => point.time > oldestDropped);
    await trimOlderSplits(store, tx, key, span, oldestDropped, firstSplit);
  }

  const bySplit = new Map<number, Point[]>(stored.map((split) => [split.splitStart, []]));
  for (const point of series) {
    const start = floorTo(point.time, span);
    const points = bySplit.get(start) ?? [];
    points.push(point);
    bySplit.set(start, points);
  }
  for (const [start, points] of bySplit) {
    if (points.length > 0) await store.saveSplit(tx, key, start, packSeries(points));
    else await store.removeSplit(tx, key, start);
  }
}

/** Retention for the splits older than the rewritten ones: whole splits go, the one across the limit is cut. */
async function trimOlderSplits(store: TimeSeriesStore, tx: TimeSeriesTransaction, key: SplitKey, span: number, oldestDropped: number, firstRewritten: number) {
  const boundary = floorTo(oldestDropped, span);
  await store.removeSplitsBefore(tx, key, Math.min(boundary, firstRewritten));
  if (boundary >= firstRewritten) return;
  for (const split of await store.splits(tx, key, { from: boundary, to: boundary + 1 })) {
    const kept = unpackSeries(split.points).filter((point) => point.time > oldestDropped);
    if (kept.length > 0) await store.saveSplit(tx, key, split.splitStart, packSeries(kept));
    else await store.removeSplit(tx, key, split.splitStart);
  }
}
