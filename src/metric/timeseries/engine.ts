/**
 * The time-series engine over one database: accepts measures durably,
 * aggregates them in the background (metricd) or on demand (refresh), reads
 * series back. Every instance over the same database sees the same series;
 * the metric's row lock keeps two processes from aggregating it at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedMutex } from '../../core/keyed-mutex.js';
import type { Logger } from '../../core/logger.js';
import { parseMethod } from './methods.js';
import { planOf, POINTS_PER_SPLIT, processBatch, retentionOf, type MetricWork } from './processing.js';
import { floorTo, packPairs, toMicros, toSeconds, unpackSeries } from './series.js';
import type { SplitKey, SplitRow, TimeSeriesStore } from './store.js';
import type { AggregatedPoint, ArchivePolicy, MeasureBatch, SeriesQuery, TimeSeriesEngine } from './types.js';

type PolicyLookup = (metricId: string) => Promise<ArchivePolicy | null>;

/** Metrics taken per pass of the background loop, so one pass never holds a huge list. */
const METRICS_PER_PASS = 500;

/**
 * How the background loop shares the process with the pushes. Aggregation runs on the
 * API's own event loop and SQLite connection (Gnocchi's metricd is a process of its own),
 * and better-sqlite3 answers synchronously: a pass of 100 metrics ran as one chain of
 * microtasks, so requests waited for whole passes, and a push burst arriving while the
 * backlog of its first requests was aggregated went several times slower (issue 15).
 */
export interface Pacing {
  /** The longest the loop works before letting I/O and timers run (setImmediate). */
  sliceMs: number;
  /** The loop holds back while a push is under way and until none ended for this long: a burst keeps the thread. */
  pushQuietMs: number;
  /** The longest it holds back in a row, so a steady stream of pushes still gets aggregated. */
  maxHoldBackMs: number;
  /**
   * Metrics aggregated in one transaction: one commit and a few statements serve
   * them all, and a batch stays short (about 5 ms for 25 metrics with a few new
   * points each) so the loop gives the thread back often.
   */
  metricsPerBatch: number;
}

export const DEFAULT_PACING: Pacing = { sliceMs: 10, pushQuietMs: 100, maxHoldBackMs: 2000, metricsPerBatch: 25 };

export class DatabaseTimeSeriesEngine implements TimeSeriesEngine {
  readonly #store: TimeSeriesStore;
  readonly #log: Logger;
  readonly #processDelayMs: number;
  readonly #pacing: Pacing;
  /** Pushes under way (`pushing`); performance.now() of the last accept or push end, and of the start of the loop's slice. */
  #pushesUnderWay = 0;
  #lastPushAt = -Infinity;
  #sliceStartedAt = -Infinity;
  /** Orders this process's work on one metric; the row lock orders it across processes. */
  readonly #metricMutex = new KeyedMutex();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #closed = false;

  constructor(store: TimeSeriesStore, log: Logger, processDelayMs: number, pacing: Pacing = DEFAULT_PACING) {
    this.#store = store;
    this.#log = log;
    this.#processDelayMs = processDelayMs;
    this.#pacing = pacing;
  }

  async accept(batches: MeasureBatch[]): Promise<void> {
    this.#lastPushAt = performance.now();
    const rows = batches
      .filter((batch) => batch.measures.length > 0)
      .map(({ metricId, measures }) => ({
        metricId,
        count: measures.length,
        points: packPairs(
          measures.length,
          (i) => toMicros(measures[i]!.timestamp),
          (i) => measures[i]!.value,
        ),
      }));
    await this.#store.addIncoming(rows);
  }

  pushing(): () => void {
    this.#pushesUnderWay++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#pushesUnderWay--;
      this.#lastPushAt = performance.now();
    };
  }

  async refresh(metricIds: string[], policyOf: PolicyLookup): Promise<void> {
    // One metric at a time: a refresh waits for the metric's lock, and holding one lock while waiting for another could deadlock.
    for (const metricId of new Set(metricIds)) await this.#processBatch([metricId], policyOf, false);
  }

  backlog(): Promise<{ measures: number; metrics: number }> {
    return this.#store.backlog();
  }

  async read(metricId: string, policy: ArchivePolicy, query: SeriesQuery): Promise<AggregatedPoint[]> {
    if (!policy.aggregationMethods.includes(query.aggregation) || !parseMethod(query.aggregation)) return [];
    const items = policy.definition
      .filter((item) => query.granularity === undefined || item.granularity === query.granularity)
      .sort((a, b) => b.granularity - a.granularity);
    const stop = query.stop === undefined ? Infinity : toMicros(query.stop);
    const result: AggregatedPoint[] = [];
    for (const item of items) {
      const granularity = toMicros(item.granularity);
      // Gnocchi rounds the start down to the granularity: asking from 17:02 returns the 17:00 period.
      const start = query.start === undefined ? -Infinity : floorTo(toMicros(query.start), granularity);
      const key = { metricId, method: query.aggregation, granularity };
      const span = granularity * POINTS_PER_SPLIT;
      const splits = await this.#store.splits(undefined, key, {
        ...(Number.isFinite(start) && { from: floorTo(start, span) }),
        ...(Number.isFinite(stop) && { to: stop }),
      });
      const oldest = await this.#oldestRetained(key, retentionOf(item), Number.isFinite(stop) ? undefined : splits[splits.length - 1]);
      for (const split of splits) {
        for (const point of unpackSeries(split.points)) {
          if (point.time >= start && point.time < stop && point.time > oldest)
            result.push({ timestamp: toSeconds(point.time), granularity: item.granularity, value: point.value });
        }
      }
    }
    return result;
  }

  /**
   * The time at and before which a series holds nothing (its newest point
   * less its retention). Processing trims the series already; this holds
   * when the policy's retention was shortened since, as Gnocchi truncates on
   * read. `newestSplit` saves the look-up when the read reached the end.
   */
  async #oldestRetained(key: SplitKey, retention: number | null, newestSplit?: SplitRow): Promise<number> {
    if (retention === null) return -Infinity;
    const split = newestSplit ?? (await this.#store.newestSplit(key));
    const newest = split && unpackSeries(split.points).pop();
    return newest ? newest.time - retention : -Infinity;
  }

  delete(metricId: string): Promise<void> {
    return this.#metricMutex.run(metricId, () => this.#remove(metricId));
  }

  start(policyOf: PolicyLookup): void {
    if (this.#closed || this.#timer || this.#pass) return;
    const schedule = (delayMs: number) => {
      if (this.#closed) return;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pass = this.#processPending(policyOf).then((full) => {
          this.#pass = undefined;
          // A full pass means a backlog: go on at once rather than let it grow.
          schedule(full ? 0 : this.#processDelayMs);
        });
      }, delayMs);
    };
    schedule(this.#processDelayMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }

  /**
   * One pass of metricd over the metrics with pending measures that no other
   * process is aggregating; true when it took as many as a pass may. One
   * metric's failure is logged and skips only that metric until the next pass.
   */
  async #processPending(policyOf: PolicyLookup): Promise<boolean> {
    let metricIds: string[];
    try {
      metricIds = await this.#store.metricsWithIncoming(METRICS_PER_PASS);
    } catch (err) {
      this.#log.error({ err }, 'listing metrics with pending measures failed; retrying on the next pass');
      return false;
    }
    // A pass begins by holding back too: the push that filled the backlog may be one of a burst.
    this.#sliceStartedAt = -Infinity;
    const size = Math.max(1, this.#pacing.metricsPerBatch);
    for (let at = 0; at < metricIds.length; at += size) {
      await this.#yieldToPushes();
      if (this.#closed) break;
      const batch = metricIds.slice(at, at + size);
      try {
        await this.#processBatch(batch, policyOf, true);
      } catch (err) {
        this.#log.error({ err, metricIds: batch }, 'aggregating a batch of metrics failed; retrying on the next pass');
      }
    }
    return metricIds.length === METRICS_PER_PASS;
  }

  /**
   * Between two batches (never inside one's transaction): once the slice is used up, hold
   * back while pushes keep coming (bounded), then let pending I/O run before the next slice.
   */
  async #yieldToPushes(): Promise<void> {
    if (performance.now() - this.#sliceStartedAt < this.#pacing.sliceMs) return;
    const { pushQuietMs, maxHoldBackMs } = this.#pacing;
    const holdStartedAt = performance.now();
    for (;;) {
      const now = performance.now();
      const heldFor = now - holdStartedAt;
      const quietFor = now - this.#lastPushAt;
      if (this.#closed || heldFor >= maxHoldBackMs || (this.#pushesUnderWay === 0 && quietFor >= pushQuietMs)) break;
      // While a push is under way its end is not known: look again shortly (never sooner than 5 ms, so this does not spin).
      const wait = this.#pushesUnderWay > 0 ? pushQuietMs : pushQuietMs - quietFor;
      await sleep(Math.max(5, Math.min(wait, maxHoldBackMs - heldFor)));
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#sliceStartedAt = performance.now();
  }

  /**
   * Aggregates the metrics in one transaction holding their locks (this
   * process's mutex, then the rows'), in id order so that two batches never
   * wait for each other crosswise. A metric whose policy is gone was deleted:
   * its leftovers are removed instead.
   */
  async #processBatch(metricIds: string[], policyOf: PolicyLookup, skipLocked: boolean): Promise<void> {
    const sorted = [...metricIds].sort();
    const locked = sorted.reduceRight<() => Promise<void>>(
      (inner, metricId) => () => this.#metricMutex.run(metricId, inner),
      async () => {
        const work: MetricWork[] = [];
        for (const metricId of sorted) {
          const policy = await this.#policy(metricId, policyOf, skipLocked);
          if (policy) work.push({ metricId, plan: planOf(policy) });
          else if (policy === null) await this.#remove(metricId);
        }
        if (work.length === 0) return;
        const consumed = await this.#store.transaction(async (tx) => {
          const held = new Set(
            await this.#store.lockMetrics(
              tx,
              work.map((item) => item.metricId),
              skipLocked,
            ),
          );
          return processBatch(
            this.#store,
            tx,
            work.filter((item) => held.has(item.metricId)),
            this.#log,
          );
        });
        if (consumed) this.#log.debug({ metrics: work.length, measures: consumed }, 'measures aggregated');
      },
    );
    await locked();
  }

  /**
   * The metric's policy (null: the metric is gone). In the background loop, a failing look-up is logged and
   * leaves only that metric pending until the next pass (undefined); a refresh lets it fail.
   */
  async #policy(metricId: string, policyOf: PolicyLookup, background: boolean): Promise<ArchivePolicy | null | undefined> {
    try {
      return await policyOf(metricId);
    } catch (err) {
      if (!background) throw err;
      this.#log.error({ err, metricId }, 'looking up the policy of a metric failed; retrying on the next pass');
      return undefined;
    }
  }

  async #remove(metricId: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      await this.#store.lockMetrics(tx, [metricId], false);
      await this.#store.removeMetric(tx, metricId);
    });
  }
}
