/**
 * What the engine keeps and when: measures survive a restart before they are
 * aggregated, the backlog counts them, delete forgets everything, the
 * background loop aggregates (and drops the measures of deleted metrics), and
 * two processes aggregating the same metrics never count a measure twice.
 * On SQLite, and on PostgreSQL when NIMBUS_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { sql } from 'kysely';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { createTimeSeriesEngine } from '../../src/metric/timeseries/index.js';
import { metricMigrations } from '../../src/metric/migrations/index.js';
import type { Measure, TimeSeriesEngine } from '../../src/metric/timeseries/types.js';
import { forEachDialect } from '../support/databases.js';
import { assertSeriesEqual, expectedSeries, openEngine, policy, randomMeasures, randomSource } from './timeseries-reference.js';

const T0 = Date.UTC(2026, 11, 6, 18) / 1000;
const archive = policy(
  [
    { granularity: 60, points: null },
    { granularity: 3600, points: null },
  ],
  ['sum', 'count', 'rate:mean'],
  1,
);
const policyOf = async () => archive;
const METRIC_A = '7f1c2a55-0000-4000-8000-00000000000a';
const METRIC_B = '7f1c2a55-0000-4000-8000-00000000000b';
const METRIC_C = '7f1c2a55-0000-4000-8000-00000000000c';

async function assertHolds(engine: TimeSeriesEngine, metricId: string, measures: Measure[]): Promise<void> {
  for (const aggregation of archive.aggregationMethods) {
    for (const { granularity } of archive.definition) {
      const actual = await engine.read(metricId, archive, { aggregation, granularity });
      assertSeriesEqual(actual, expectedSeries(measures, granularity, aggregation), `${metricId} ${aggregation} ${granularity}`);
    }
  }
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (await condition()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

forEachDialect('time-series storage', (dialect) => {
  test('accepted measures survive a restart, are counted in the backlog, and aggregate in the next process', async (t) => {
    const db = await dialect.open();
    t.after(() => db.close());
    await migrateService(db, 'metric', metricMigrations);
    const log = createLogger('silent');
    const random = randomSource(7);
    const a = randomMeasures(random, T0, 1800);
    const b = randomMeasures(random, T0, 600);
    const first = createTimeSeriesEngine({ db, dataDir: '/nonexistent', log });
    await first.accept([
      { metricId: METRIC_A, measures: a.slice(0, 40) },
      { metricId: METRIC_B, measures: b },
      { metricId: METRIC_A, measures: [] },
    ]);
    await first.accept([{ metricId: METRIC_A, measures: a.slice(40) }]);
    await first.close();

    const again = db.connectAgain();
    const second = createTimeSeriesEngine({ db: again, dataDir: '/nonexistent', log });
    t.after(async () => {
      await second.close();
      await again.close();
    });
    assert.deepEqual(await second.backlog(), { measures: a.length + b.length, metrics: 2 });
    await second.refresh([METRIC_A, METRIC_B, METRIC_A], policyOf);
    assert.deepEqual(await second.backlog(), { measures: 0, metrics: 0 });
    await assertHolds(second, METRIC_A, a);
    await assertHolds(second, METRIC_B, b);
  });

  test('one accept for thousands of metrics', async (t) => {
    const { engine } = await openEngine(dialect, t);
    const batches = Array.from({ length: 12_000 }, (_, i) => ({ metricId: `metric-${i}`, measures: [{ timestamp: T0 + i, value: i }] }));
    await engine.accept(batches);
    assert.deepEqual(await engine.backlog(), { measures: 12_000, metrics: 12_000 });
  });

  test('delete forgets series and pending measures; the metric id starts afresh after', async (t) => {
    const { engine } = await openEngine(dialect, t);
    await engine.accept([{ metricId: METRIC_A, measures: [{ timestamp: T0 + 600, value: 1 }] }]);
    await engine.refresh([METRIC_A], policyOf);
    await engine.accept([{ metricId: METRIC_A, measures: [{ timestamp: T0 + 660, value: 2 }] }]);
    await engine.delete(METRIC_A);
    assert.deepEqual(await engine.backlog(), { measures: 0, metrics: 0 });
    assert.deepEqual(await engine.read(METRIC_A, archive, { aggregation: 'count' }), []);
    // No back window left from before: an old timestamp is accepted again.
    const fresh = [{ timestamp: T0, value: 5 }];
    await engine.accept([{ metricId: METRIC_A, measures: fresh }]);
    await engine.refresh([METRIC_A], policyOf);
    await assertHolds(engine, METRIC_A, fresh);
  });

  test('the background loop aggregates pending measures, drops those of deleted metrics, and goes past a failing one', async (t) => {
    const { engine } = await openEngine(dialect, t);
    const measures = randomMeasures(randomSource(8), T0, 900);
    // The failing metric's measures were accepted first: the loop takes the longest waiting first, and must not stop there.
    await engine.accept([{ metricId: METRIC_C, measures: [{ timestamp: T0, value: 1 }] }]);
    await engine.accept([
      { metricId: METRIC_A, measures },
      { metricId: METRIC_B, measures: [{ timestamp: T0, value: 1 }] },
    ]);
    engine.start(async (metricId) => {
      if (metricId === METRIC_C) throw new Error('index unreachable');
      return metricId === METRIC_A ? archive : null;
    });
    await until(async () => (await engine.backlog()).measures === 1, 'only the failing metric left pending');
    await assertHolds(engine, METRIC_A, measures);
    assert.deepEqual(await engine.read(METRIC_B, archive, { aggregation: 'count' }), []);
  });

  test('the background loop aggregates batches of metrics on their own policies, and retention drops whole splits', async (t) => {
    const { engine, db } = await openEngine(dialect, t);
    // 1-s points kept 10 minutes: a split holds an hour, so a later hour's measures leave the first split wholly expired.
    const short = policy(
      [
        { granularity: 1, points: 600 },
        { granularity: 60, points: null },
      ],
      ['mean', 'max', 'rate:sum'],
    );
    const ids = Array.from({ length: 30 }, (_, n) => `7f1c2a55-0000-4000-8000-${String(100 + n).padStart(12, '0')}`);
    const policyOfId = (metricId: string) => (ids.indexOf(metricId) % 2 === 0 ? archive : short);
    const pushed = new Map<string, Measure[]>(ids.map((id) => [id, []]));
    const random = randomSource(11);
    engine.start(async (metricId) => policyOfId(metricId));
    for (const [from, seconds] of [
      [T0, 1200],
      [T0 + 7300, 700],
    ] as const) {
      const batches = ids.map((metricId) => ({ metricId, measures: randomMeasures(random, from, seconds) }));
      for (const batch of batches) pushed.get(batch.metricId)!.push(...batch.measures);
      await engine.accept(batches);
      await until(async () => (await engine.backlog()).measures === 0, 'an empty backlog');
    }
    for (const metricId of ids) {
      const { aggregationMethods, definition } = policyOfId(metricId);
      for (const aggregation of aggregationMethods) {
        for (const { granularity, timespan } of definition) {
          const expected = expectedSeries(pushed.get(metricId)!, granularity, aggregation, timespan ?? undefined);
          assertSeriesEqual(
            await engine.read(metricId, policyOfId(metricId), { aggregation, granularity }),
            expected,
            `${metricId} ${aggregation} ${granularity}`,
          );
        }
      }
    }
    const expired = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM ts_split WHERE granularity_us = 1000000 AND split_start_us < ${(T0 + 7200) * 1e6}`.execute(db.kysely);
    assert.equal(Number(expired.rows[0]?.n), 0, 'the first hour of 1-s splits is gone');
  });

  test('two processes aggregating the same metrics count every measure once', async (t) => {
    const bed = await openEngine(dialect, t);
    const engines = [bed.engine, bed.another()];
    const random = randomSource(9);
    const all = { [METRIC_A]: [] as Measure[], [METRIC_B]: [] as Measure[] };
    for (let round = 0; round < 6; round++) {
      const pushes = engines.map((engine, i) => {
        const metricId = (round + i) % 2 === 0 ? METRIC_A : METRIC_B;
        // Distinct timestamps per push, so the expected counts do not hinge on which duplicate wins.
        const measures = randomMeasures(random, T0 + round * 1200 + i * 600, 600);
        all[metricId].push(...measures);
        return engine.accept([{ metricId, measures }]);
      });
      await Promise.all(pushes);
      await Promise.all(engines.map((engine) => engine.refresh([METRIC_A, METRIC_B], policyOf)));
    }
    for (const engine of engines) engine.start(policyOf);
    await until(async () => (await bed.engine.backlog()).measures === 0, 'an empty backlog');
    for (const engine of engines) await engine.close();
    for (const [metricId, measures] of Object.entries(all)) await assertHolds(engines[1] as TimeSeriesEngine, metricId, measures);
  });
});
