/**
 * The engine's tables and queries: accepted batches, each metric's lock row
 * with its raw points, and the splits of the aggregated series. Nothing else
 * touches these tables.
 */
import { type Generated, type Kysely, type Transaction } from 'kysely';
import type { Database, Dialect } from '../../core/db/database.js';
import { toCount } from '../../core/db/values.js';
import { groups, list, run, slices, SqlTexts } from './sql-texts.js';

type TimeSeriesTables = {
  ts_incoming: { id: Generated<number | string>; metric_id: string; measure_count: number; points: Uint8Array };
  ts_metric: { metric_id: string; raw_points: Uint8Array };
  ts_split: { metric_id: string; method: string; granularity_us: number | string; split_start_us: number | string; points: Uint8Array };
};

type Tx = Transaction<TimeSeriesTables>;

const INSERT_ROWS_PER_STATEMENT = 1000;
const EMPTY = Buffer.alloc(0);

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

/** What one aggregation batch writes (`saveBatch`). */
export interface BatchOutcome {
  /** Splits of a series starting before `before` go (retention). */
  trims: Array<{ key: SplitKey; before: number }>;
  removals: Array<{ key: SplitKey; splitStart: number }>;
  splits: Array<{ key: SplitKey; splitStart: number; points: Buffer }>;
  rawPoints: Array<{ metricId: string; points: Buffer }>;
  /** Ids of the pending batches aggregated. */
  consumed: number[];
}

export class TimeSeriesStore {
  readonly #db: Kysely<TimeSeriesTables>;
  readonly #dialect: Dialect;
  readonly #sql: SqlTexts;

  constructor(db: Database) {
    this.#db = db.kysely.withTables<TimeSeriesTables>();
    this.#dialect = db.dialect;
    this.#sql = new SqlTexts(db.dialect);
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

  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(work);
  }

  /**
   * Takes the metrics' row locks in `tx`, so one process at a time aggregates
   * a metric; returns the metrics it holds. With `skipLocked`, a metric another
   * process holds is left out instead of waited for. Rows are created and
   * locked in id order, so two processes locking overlapping batches never
   * deadlock. SQLite serialises write transactions itself: it holds them all.
   */
  async lockMetrics(tx: Tx, metricIds: readonly string[], skipLocked: boolean): Promise<string[]> {
    const sorted = [...metricIds].sort();
    for (const slice of slices(sorted)) {
      const text = this.#sql.text(
        'ensure-metric',
        slice.length,
        (next, rows) => `INSERT INTO ts_metric (metric_id, raw_points) VALUES ${groups(next, rows, 2)} ON CONFLICT (metric_id) DO NOTHING`,
      );
      await run(
        tx,
        text,
        slice.flatMap((id) => [id, EMPTY]),
      );
    }
    if (this.#dialect !== 'postgres') return sorted;
    const locked: string[] = [];
    for (const slice of slices(sorted)) {
      const text = this.#sql.text(
        skipLocked ? 'lock-metric-skip' : 'lock-metric',
        slice.length,
        (next, rows) =>
          `SELECT metric_id FROM ts_metric WHERE metric_id IN (${list(next, rows)}) ORDER BY metric_id FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      );
      for (const row of await run<{ metric_id: string }>(tx, text, slice)) locked.push(row.metric_id);
    }
    return locked;
  }

  /** The metrics' pending batches, each metric's in the order they were accepted. */
  async incomingOf(tx: Tx, metricIds: readonly string[]): Promise<Map<string, IncomingBatch[]>> {
    const batches = new Map<string, IncomingBatch[]>();
    for (const slice of slices(metricIds)) {
      const text = this.#sql.text(
        'incoming',
        slice.length,
        (next, rows) => `SELECT id, metric_id, points FROM ts_incoming WHERE metric_id IN (${list(next, rows)}) ORDER BY id`,
      );
      for (const row of await run<{ id: number | string; metric_id: string; points: Uint8Array }>(tx, text, slice)) {
        const list = batches.get(row.metric_id) ?? [];
        list.push({ id: Number(row.id), points: row.points });
        batches.set(row.metric_id, list);
      }
    }
    return batches;
  }

  /** The raw points each metric's back window keeps (empty for a metric never aggregated). */
  async rawPointsOf(tx: Tx, metricIds: readonly string[]): Promise<Map<string, Uint8Array>> {
    const points = new Map<string, Uint8Array>();
    for (const slice of slices(metricIds)) {
      const text = this.#sql.text(
        'raw-points',
        slice.length,
        (next, rows) => `SELECT metric_id, raw_points FROM ts_metric WHERE metric_id IN (${list(next, rows)})`,
      );
      for (const row of await run<{ metric_id: string; raw_points: Uint8Array }>(tx, text, slice)) points.set(row.metric_id, row.raw_points);
    }
    return points;
  }

  /** The splits of every method of one metric at one granularity from `from` on, by method, oldest first. */
  async splitsFrom(tx: Tx, metricId: string, granularity: number, from: number): Promise<Map<string, SplitRow[]>> {
    const text = this.#sql.text(
      'splits-from',
      1,
      (next) =>
        `SELECT method, split_start_us, points FROM ts_split WHERE metric_id = ${next()} AND granularity_us = ${next()} AND split_start_us >= ${next()} ORDER BY split_start_us`,
    );
    const byMethod = new Map<string, SplitRow[]>();
    for (const row of await run<{ method: string; split_start_us: number | string; points: Uint8Array }>(tx, text, [metricId, granularity, from])) {
      const list = byMethod.get(row.method) ?? [];
      list.push({ splitStart: Number(row.split_start_us), points: row.points });
      byMethod.set(row.method, list);
    }
    return byMethod;
  }

  /**
   * Writes one aggregation batch's outcome with as few statements as the rows
   * allow: older splits trimmed (retention), emptied splits removed, rewritten
   * splits upserted, raw points saved, consumed batches deleted. The trims and
   * removals never touch a split that is upserted (they lie before it or are
   * distinct), so their order does not matter.
   */
  async saveBatch(tx: Tx, outcome: BatchOutcome): Promise<void> {
    for (const slice of slices(outcome.trims)) {
      const text = this.#sql.text(
        'trim-splits',
        slice.length,
        (next, rows) =>
          `DELETE FROM ts_split WHERE ${groups(next, rows, 4, ' OR ', ([m, method, g, before]) => `(metric_id = ${m} AND method = ${method} AND granularity_us = ${g} AND split_start_us < ${before})`)}`,
      );
      await run(
        tx,
        text,
        slice.flatMap(({ key, before }) => [key.metricId, key.method, key.granularity, before]),
      );
    }
    for (const slice of slices(outcome.removals)) {
      const text = this.#sql.text(
        'remove-splits',
        slice.length,
        (next, rows) =>
          `DELETE FROM ts_split WHERE ${groups(next, rows, 4, ' OR ', ([m, method, g, start]) => `(metric_id = ${m} AND method = ${method} AND granularity_us = ${g} AND split_start_us = ${start})`)}`,
      );
      await run(
        tx,
        text,
        slice.flatMap(({ key, splitStart }) => [key.metricId, key.method, key.granularity, splitStart]),
      );
    }
    for (const slice of slices(outcome.splits)) {
      const text = this.#sql.text(
        'save-splits',
        slice.length,
        (next, rows) =>
          `INSERT INTO ts_split (metric_id, method, granularity_us, split_start_us, points) VALUES ${groups(next, rows, 5)} ` +
          'ON CONFLICT (metric_id, method, granularity_us, split_start_us) DO UPDATE SET points = excluded.points',
      );
      await run(
        tx,
        text,
        slice.flatMap(({ key, splitStart, points }) => [key.metricId, key.method, key.granularity, splitStart, points]),
      );
    }
    for (const slice of slices(outcome.rawPoints)) {
      const text = this.#sql.text(
        'save-raw-points',
        slice.length,
        (next, rows) =>
          `INSERT INTO ts_metric (metric_id, raw_points) VALUES ${groups(next, rows, 2)} ON CONFLICT (metric_id) DO UPDATE SET raw_points = excluded.raw_points`,
      );
      await run(
        tx,
        text,
        slice.flatMap(({ metricId, points }) => [metricId, points]),
      );
    }
    for (const slice of slices(outcome.consumed)) {
      const text = this.#sql.text('remove-incoming', slice.length, (next, rows) => `DELETE FROM ts_incoming WHERE id IN (${list(next, rows)})`);
      await run(tx, text, slice);
    }
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

  #selectSeries(db: Kysely<TimeSeriesTables> | Tx, key: SplitKey) {
    return db
      .selectFrom('ts_split')
      .select(['split_start_us', 'points'])
      .where('metric_id', '=', key.metricId)
      .where('method', '=', key.method)
      .where('granularity_us', '=', key.granularity);
  }

  /** Everything of one metric: pending measures, raw points, splits. */
  async removeMetric(tx: Tx, metricId: string): Promise<void> {
    await tx.deleteFrom('ts_incoming').where('metric_id', '=', metricId).execute();
    await tx.deleteFrom('ts_split').where('metric_id', '=', metricId).execute();
    await tx.deleteFrom('ts_metric').where('metric_id', '=', metricId).execute();
  }
}

export type { Tx as TimeSeriesTransaction };
