/**
 * An independent model of what Gnocchi stores, for the time-series tests:
 * given every measure that counts, the expected series of one method at one
 * granularity, computed from scratch in seconds (no splits, no raw buffer, no
 * incremental recomputation), plus the helpers the suites share.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { createTimeSeriesEngine, timeseriesMigrations } from '../../src/metric/timeseries/index.js';
import type { AggregatedPoint, ArchivePolicy, Measure, TimeSeriesEngine } from '../../src/metric/timeseries/types.js';
import type { Database } from '../../src/core/db/database.js';
import type { TestDatabase, TestDialect } from '../support/databases.js';

export { seededRandom as randomSource } from '../crash/support/ledger.js';

export const ALL_METHODS = ['mean', 'min', 'max', 'sum', 'std', 'count', 'last', 'first', 'median', '5pct', '95pct', '50pct', '33pct'];
export const RATE_METHODS = ['rate:mean', 'rate:max', 'rate:min', 'rate:sum', 'rate:last', 'rate:first', 'rate:count', 'rate:std', 'rate:90pct'];

/** numpy.percentile's linear interpolation, written from its definition. */
function percentile(sortedValues: number[], percent: number): number {
  const rank = ((sortedValues.length - 1) * percent) / 100;
  const lower = Math.floor(rank);
  const lowerValue = sortedValues[lower] as number;
  const upperValue = sortedValues[Math.min(lower + 1, sortedValues.length - 1)] as number;
  return lowerValue + (rank - lower) * (upperValue - lowerValue);
}

function reduce(method: string, values: number[]): number | undefined {
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  const sorted = [...values].sort((a, b) => a - b);
  const pct = /^(\d+)pct$/.exec(method);
  if (pct) return percentile(sorted, Number(pct[1]));
  switch (method) {
    case 'mean':
      return total / n;
    case 'sum':
      return total;
    case 'min':
      return sorted[0];
    case 'max':
      return sorted[n - 1];
    case 'count':
      return n;
    case 'first':
      return values[0];
    case 'last':
      return values[n - 1];
    case 'median':
      return percentile(sorted, 50);
    case 'std': {
      if (n < 2) return undefined;
      const squares = values.reduce((a, b) => a + b * b, 0);
      return Math.sqrt(Math.max(0, (squares - (total * total) / n) / (n - 1)));
    }
    default:
      throw new Error(`the model knows no method ${method}`);
  }
}

/** The expected series, oldest first, with Gnocchi's `timespan` retention behind the newest period when given. */
export function expectedSeries(measures: Measure[], granularity: number, method: string, timespan?: number): AggregatedPoint[] {
  const byTime = new Map<number, number>();
  for (const measure of measures) byTime.set(measure.timestamp, measure.value);
  let points = [...byTime].sort((a, b) => a[0] - b[0]);
  let base = method;
  if (method.startsWith('rate:')) {
    base = method.slice(5);
    points = points.slice(1).map(([time, value], i) => [time, value - (points[i] as [number, number])[1]]);
  }
  const periods = new Map<number, number[]>();
  for (const [time, value] of points) {
    const period = Math.floor(time / granularity) * granularity;
    periods.set(period, [...(periods.get(period) ?? []), value]);
  }
  const series: AggregatedPoint[] = [];
  for (const [timestamp, values] of [...periods].sort((a, b) => a[0] - b[0])) {
    const value = reduce(base, values);
    if (value !== undefined) series.push({ timestamp, granularity, value });
  }
  const newest = series[series.length - 1];
  return timespan === undefined || !newest ? series : series.filter((p) => p.timestamp > newest.timestamp - timespan);
}

export function assertSeriesEqual(actual: AggregatedPoint[], expected: AggregatedPoint[], what: string): void {
  assert.deepEqual(
    actual.map((p) => [p.timestamp, p.granularity]),
    expected.map((p) => [p.timestamp, p.granularity]),
    `${what}: periods`,
  );
  actual.forEach((point, i) => {
    const want = (expected[i] as AggregatedPoint).value;
    assert.ok(Math.abs(point.value - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what} at ${point.timestamp}: ${point.value} != ${want}`);
  });
}

export function policy(definition: Array<{ granularity: number; points: number | null }>, methods: string[], backWindow = 0): ArchivePolicy {
  return {
    name: 'test',
    backWindow,
    aggregationMethods: methods,
    definition: definition.map((d) => ({ ...d, timespan: d.points === null ? null : d.points * d.granularity })),
  };
}

/** Random measures every few seconds from `start` for `seconds`, some with microseconds. */
export function randomMeasures(random: () => number, start: number, seconds: number): Measure[] {
  const measures: Measure[] = [];
  for (let t = start; t < start + seconds; t += 1 + Math.floor(random() * 20)) {
    const timestamp = random() < 0.2 ? t + Math.floor(random() * 1e6) / 1e6 : t;
    measures.push({ timestamp, value: Math.round(random() * 10000) / 100 - 20 });
  }
  return measures;
}

export interface EngineBed {
  db: TestDatabase;
  engine: TimeSeriesEngine;
  /**
   * Another engine, as a second process would run: over its own connection on
   * PostgreSQL; on SQLite over the same one (better-sqlite3 waits for a lock
   * synchronously, so two connections in one process would stall each other).
   */
  another(): TimeSeriesEngine;
}

export async function openEngine(dialect: TestDialect, t: TestContext): Promise<EngineBed> {
  const db = await dialect.open();
  await migrateService(db, 'metric', timeseriesMigrations);
  const log = createLogger('silent');
  const opened: Array<{ engine: TimeSeriesEngine; db?: Database }> = [];
  const make = (on: Database, own: boolean) => {
    const engine = createTimeSeriesEngine({ db: on, dataDir: '/nonexistent', log, processDelayMs: 20 });
    opened.push({ engine, ...(own && { db: on }) });
    return engine;
  };
  const engine = make(db, false);
  t.after(async () => {
    for (const item of opened.reverse()) {
      await item.engine.close();
      await item.db?.close();
    }
    await db.close();
  });
  return { db, engine, another: () => (db.dialect === 'postgres' ? make(db.connectAgain(), true) : make(db, false)) };
}

/** The crash test's metric, policy and batches, shared by the test and the process it kills. */
export const CRASH_METRIC = 'c4a5b000-0000-4000-8000-000000000001';
export const CRASH_BATCH_SIZE = 50;
export const crashPolicy = policy(
  [
    { granularity: 60, points: null },
    { granularity: 600, points: null },
  ],
  ['count', 'sum', 'rate:max'],
  1,
);

export function crashBatch(batch: number): Measure[] {
  const t0 = Date.UTC(2026, 11, 6) / 1000;
  return Array.from({ length: CRASH_BATCH_SIZE }, (_, i) => ({ timestamp: t0 + batch * CRASH_BATCH_SIZE + i, value: (batch * 7 + i) % 13 }));
}
