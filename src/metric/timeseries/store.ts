/**
 * The engine's tables and queries: accepted batches, each metric's lock row
 * with its raw points, and the splits of the aggregated series. Nothing else
 * touches these tables.
 */
import { type Generated, type Kysely, type Transaction } from 'kysely';
import type { Database, Dialect } from '../../core/db/database.js';
import { toCount } from '../../core/db/values.js';

type TimeSeriesTables = {
  ts_incoming: { id: Generated<number | string>; metric_id: string; measure_count: number; points: Uint8Array };
  ts_metric: { metric_id: string; raw_points: Uint8Array };
  ts_split: { metric_id: string; method: string; granularity_us: number | string; split_start_us: number | string; points: Uint8Array };
};

type Tx = Transaction<TimeSeriesTables>;

const INSERT_ROWS_PER_STATEMENT = 1000;

export interface IncomingBatch {
  id: number;
  points: Uint8Array;
}

export interface SplitRow {
  splitStart: number;
  points: Uint8Array;
}

export interface SplitKey {
  metricId: string;
  method: string;
  granularity: number;
}

export class TimeSeriesStore {
  readonly #db: Kysely<TimeSeriesTables>;
  readonly #dialect: Dialect;

  constructor(db: Database) {
    this.#db = db.kysely.withTables<TimeSeriesTables>();
    this.#dialect = db.dialect;
  }

  /** All batches in one transaction: once it commits they survive a crash. */
  async addIncoming(rows: Array<{ metricId: string; count: number; points: Buffer }>): Promise<void> {
    if (rows.length === 0) return;
    await this.#db.transaction().execute(async (tx) => {
      // In slices, so a batch push for thousands of metrics stays under the engines' bound-parameter limits.
      for (let i = 0; i < rows.length; i += INSERT_ROWS_PER_STATEMENT) {
        const slice = rows.slice(i, i + INSERT_ROWS_PER_STATEMENT);
        await tx
          .insertInto('ts_incoming')
          .values(slice.map((row) => ({ metric_id: row.metricId, measure_count: row.count, points: row.points })))
          .execute();
      }
    });
  }

  async backlog(): Promise<{ measures: number; metrics: number }> {
    // Grouped first: both figures then come from the (metric_id, id, measure_count) index without a distinct sort.
    const perMetric = this.#db
      .selectFrom('ts_incoming')
      .select((eb) => eb.fn.sum<number | string>('measure_count').as('n'))
      .groupBy('metric_id')
      .as('m');
    const row = await this.#db
      .selectFrom(perMetric)
      .select((eb) => [eb.fn.sum<number | string | null>('m.n').as('measures'), eb.fn.countAll<number | string>().as('metrics')])
      .executeTakeFirst();
    return { measures: toCount(row?.measures), metrics: toCount(row?.metrics) };
  }

  /** Metrics with pending measures, the longest waiting first (so metrics pushed to all the time never starve the others). */
  async metricsWithIncoming(limit: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('ts_incoming')
      .select('metric_id')
      .groupBy('metric_id')
      .orderBy((eb) => eb.fn.min('id'))
      .limit(limit)
      .execute();
    return rows.map((row) => row.metric_id);
  }

  /**
   * Runs `work` in a transaction holding the metric's row lock, so one
   * process at a time aggregates a metric. With `skipLocked`, a metric
   * another process holds is skipped (work is not called, null is returned)
   * instead of waited for. SQLite serialises write transactions itself.
   */
  async withMetricLock<T>(metricId: string, skipLocked: boolean, work: (tx: Tx) => Promise<T>): Promise<T | null> {
    return this.#db.transaction().execute(async (tx) => {
      await tx
        .insertInto('ts_metric')
        .values({ metric_id: metricId, raw_points: Buffer.alloc(0) })
        .onConflict((oc) => oc.column('metric_id').doNothing())
        .execute();
      if (this.#dialect === 'postgres') {
        const locked = await tx
          .selectFrom('ts_metric')
          .select('metric_id')
          .where('metric_id', '=', metricId)
          .forUpdate()
          .$if(skipLocked, (q) => q.skipLocked())
          .executeTakeFirst();
        if (!locked) return null;
      }
      return work(tx);
    });
  }

  async incoming(tx: Tx, metricId: string): Promise<IncomingBatch[]> {
    const rows = await tx.selectFrom('ts_incoming').select(['id', 'points']).where('metric_id', '=', metricId).orderBy('id').execute();
    return rows.map((row) => ({ id: Number(row.id), points: row.points }));
  }

  async removeIncoming(tx: Tx, ids: number[]): Promise<void> {
    if (ids.length > 0) await tx.deleteFrom('ts_incoming').where('id', 'in', ids).execute();
  }

  async rawPoints(tx: Tx, metricId: string): Promise<Uint8Array> {
    const row = await tx.selectFrom('ts_metric').select('raw_points').where('metric_id', '=', metricId).executeTakeFirstOrThrow();
    return row.raw_points;
  }

  async saveRawPoints(tx: Tx, metricId: string, points: Buffer): Promise<void> {
    await tx.updateTable('ts_metric').set({ raw_points: points }).where('metric_id', '=', metricId).execute();
  }

  /** The splits of one series whose first period is in [from, to) (either bound open when absent), oldest first. */
  async splits(db: Tx | undefined, key: SplitKey, range: { from?: number; to?: number }): Promise<SplitRow[]> {
    const rows = await this.#selectSeries(db ?? this.#db, key)
      .$if(range.from !== undefined, (q) => q.where('split_start_us', '>=', range.from as number))
      .$if(range.to !== undefined, (q) => q.where('split_start_us', '<', range.to as number))
      .orderBy('split_start_us')
      .execute();
    return rows.map((row) => ({ splitStart: Number(row.split_start_us), points: row.points }));
  }

  async newestSplit(key: SplitKey): Promise<SplitRow | undefined> {
    const row = await this.#selectSeries(this.#db, key).orderBy('split_start_us', 'desc').limit(1).executeTakeFirst();
    return row && { splitStart: Number(row.split_start_us), points: row.points };
  }

  async saveSplit(tx: Tx, key: SplitKey, splitStart: number, points: Buffer): Promise<void> {
    await tx
      .insertInto('ts_split')
      .values({ metric_id: key.metricId, method: key.method, granularity_us: key.granularity, split_start_us: splitStart, points })
      .onConflict((oc) => oc.columns(['metric_id', 'method', 'granularity_us', 'split_start_us']).doUpdateSet({ points }))
      .execute();
  }

  async removeSplit(tx: Tx, key: SplitKey, splitStart: number): Promise<void> {
    await this.#seriesSplits(tx, key).where('split_start_us', '=', splitStart).execute();
  }

  /** Drops the splits of one series that start before `before` (retention). */
  async removeSplitsBefore(tx: Tx, key: SplitKey, before: number): Promise<void> {
    await this.#seriesSplits(tx, key).where('split_start_us', '<', before).execute();
  }

  #selectSeries(db: Kysely<TimeSeriesTables> | Tx, key: SplitKey) {
    return db
      .selectFrom('ts_split')
      .select(['split_start_us', 'points'])
      .where('metric_id', '=', key.metricId)
      .where('method', '=', key.method)
      .where('granularity_us', '=', key.granularity);
  }

  #seriesSplits(tx: Tx, key: SplitKey) {
    return tx.deleteFrom('ts_split').where('metric_id', '=', key.metricId).where('method', '=', key.method).where('granularity_us', '=', key.granularity);
  }

  /** Everything of one metric: pending measures, raw points, splits. */
  async removeMetric(tx: Tx, metricId: string): Promise<void> {
    await tx.deleteFrom('ts_incoming').where('metric_id', '=', metricId).execute();
    await tx.deleteFrom('ts_split').where('metric_id', '=', metricId).execute();
    await tx.deleteFrom('ts_metric').where('metric_id', '=', metricId).execute();
  }
}

export type { Tx as TimeSeriesTransaction };
