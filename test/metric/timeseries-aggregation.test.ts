/**
 * The engine's series against the independent model (timeseries-reference.ts):
 * every method at every granularity over random measures pushed in batches
 * and aggregated between them, late measures inside the back window merged,
 * measures behind it ignored, retention, and reads by range and granularity.
 * On SQLite, and on PostgreSQL when NIMBUS_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggregatedPoint, ArchivePolicy, Measure } from '../../src/metric/timeseries/types.js';
import { forEachDialect } from '../support/databases.js';
import {
  ALL_METHODS,
  assertSeriesEqual,
  expectedSeries,
  openEngine,
  policy,
  randomMeasures,
  randomSource,
  RATE_METHODS,
  type EngineBed,
} from './timeseries-reference.js';

const T0 = Date.UTC(2026, 11, 6, 12) / 1000;
const metricId = 'b3a1b6f4-5a4e-4d33-9f7e-6f0a2d7c1e11';

async function push(bed: EngineBed, archive: ArchivePolicy, measures: Measure[]): Promise<void> {
  await bed.engine.accept([{ metricId, measures }]);
  await bed.engine.refresh([metricId], async () => archive);
}

async function assertMatchesModel(bed: EngineBed, archive: ArchivePolicy, counted: Measure[]): Promise<void> {
  for (const item of archive.definition) {
    for (const method of archive.aggregationMethods) {
      const actual = await bed.engine.read(metricId, archive, { aggregation: method, granularity: item.granularity });
      assertSeriesEqual(actual, expectedSeries(counted, item.granularity, method, item.timespan ?? undefined), `${method} at ${item.granularity}s`);
    }
  }
}

forEachDialect('time-series aggregation', (dialect) => {
  test('every method at every granularity matches the model, pushed in batches in order', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy(
      [
        { granularity: 60, points: null },
        { granularity: 300, points: null },
        { granularity: 3600, points: null },
      ],
      [...ALL_METHODS, ...RATE_METHODS],
    );
    const measures = randomMeasures(randomSource(1), T0, 3 * 3600);
    for (let i = 0; i < measures.length; i += 97) await push(bed, archive, measures.slice(i, i + 97));
    await assertMatchesModel(bed, archive, measures);
  });

  test("Gnocchi's own rate example (gabbits/metric-derived.yaml), pushed in two batches aggregated apart", async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy([{ granularity: 60, points: null }], ['rate:mean', 'rate:max', 'rate:95pct', 'max']);
    const pushed: Array<[string, number]> = [
      ['14:33:00', 10],
      ...[13, 13, 15, 18, 20].map((value, i): [string, number] => [`14:34:${i + 1}0`, value]),
      ...[22, 26, 30, 31, 37, 55].map((value, i): [string, number] => [`14:35:${i}0`, value]),
      ...[62, 100, 102, 103, 104, 110].map((value, i): [string, number] => [`14:36:${i}0`, value]),
    ];
    const measures = pushed.map(([time, value]) => ({ timestamp: Date.parse(`2015-03-06T${time}Z`) / 1000, value }));
    await push(bed, archive, measures.slice(0, 8));
    await push(bed, archive, measures.slice(8));
    const read = async (aggregation: string) =>
      (await bed.engine.read(metricId, archive, { aggregation })).map((p) => [new Date(p.timestamp * 1000).toISOString().slice(11, 16), p.value]);
    assert.deepEqual(await read('rate:mean'), [
      ['14:34', 2.0],
      ['14:35', 5.833333333333333],
      ['14:36', 9.166666666666666],
    ]);
    assert.deepEqual(await read('rate:95pct'), [
      ['14:34', 3.0],
      ['14:35', 15.0],
      ['14:36', 30.25],
    ]);
    assert.deepEqual(await read('rate:max'), [
      ['14:34', 3.0],
      ['14:35', 18.0],
      ['14:36', 38.0],
    ]);
    assert.deepEqual(await read('max'), [
      ['14:33', 10.0],
      ['14:34', 20.0],
      ['14:35', 55.0],
      ['14:36', 110.0],
    ]);
  });

  test('late measures within the back window are merged; older ones are ignored', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy(
      [
        { granularity: 60, points: null },
        { granularity: 600, points: null },
      ],
      ['mean', 'count', 'max', 'rate:sum', '95pct'],
      2,
    );
    const random = randomSource(2);
    const late = randomMeasures(random, T0 + 3600, 3600);
    // Interleaved with the late ones from T0+4200 on: the back window reaches only part of them.
    const early = randomMeasures(random, T0 + 4200, 1800);
    await push(bed, archive, late);
    const newestBlock = Math.floor(Math.max(...late.map((m) => m.timestamp)) / 600) * 600;
    // Two blocks of back window, and one more because the policy has a rate.
    const oldestAccepted = newestBlock - 3 * 600;
    await push(bed, archive, early);
    const merged = early.filter((m) => m.timestamp >= oldestAccepted);
    assert.ok(merged.length > 0 && merged.length < early.length, 'the test pushes measures on both sides of the back window');
    await assertMatchesModel(bed, archive, [...late, ...merged]);
  });

  test('the back window counts one block more when the policy has a rate (the rate of the oldest period needs its predecessor)', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy([{ granularity: 60, points: null }], ['rate:last'], 0);
    await push(bed, archive, [{ timestamp: T0 + 130, value: 10 }]);
    // One block (60 s) behind the newest one is still accepted; two are not.
    await push(bed, archive, [
      { timestamp: T0 + 50, value: 1 },
      { timestamp: T0 + 70, value: 4 },
    ]);
    const read = await bed.engine.read(metricId, archive, { aggregation: 'rate:last' });
    assert.deepEqual(
      read.map((p) => [p.timestamp - T0, p.value]),
      [[120, 6]],
    );
  });

  test('a re-sent timestamp replaces the earlier value, also inside one batch', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy([{ granularity: 60, points: null }], ['sum', 'count'], 1);
    await push(bed, archive, [
      { timestamp: T0 + 1, value: 5 },
      { timestamp: T0 + 2, value: 7 },
    ]);
    await push(bed, archive, [
      { timestamp: T0 + 2, value: 1 },
      { timestamp: T0 + 3, value: 2 },
      { timestamp: T0 + 3, value: 3 },
    ]);
    const sum = await bed.engine.read(metricId, archive, { aggregation: 'sum' });
    const count = await bed.engine.read(metricId, archive, { aggregation: 'count' });
    assert.deepEqual([sum[0]?.value, count[0]?.value], [9, 3]);
  });

  test('retention keeps `points` periods back from the newest, per granularity', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy(
      [
        { granularity: 1, points: 5000 },
        { granularity: 60, points: 10 },
        { granularity: 300, points: 3 },
      ],
      ['mean', 'std', 'rate:max'],
    );
    const measures = randomMeasures(randomSource(3), T0, 4 * 3600 + 17);
    for (let i = 0; i < measures.length; i += 400) await push(bed, archive, measures.slice(i, i + 400));
    await assertMatchesModel(bed, archive, measures);
    const minutes = await bed.engine.read(metricId, archive, { aggregation: 'mean', granularity: 60 });
    assert.equal(minutes.length, 10);
    // The policy's retention shortened since: reads keep to it before the next processing trims.
    const shorter = policy([{ granularity: 60, points: 4 }], ['mean']);
    const expected = expectedSeries(measures, 60, 'mean', 240);
    assertSeriesEqual(await bed.engine.read(metricId, shorter, { aggregation: 'mean', granularity: 60 }), expected, 'shortened retention');
    const beforeLast = expected[2] as AggregatedPoint;
    const bounded = await bed.engine.read(metricId, shorter, { aggregation: 'mean', granularity: 60, start: T0, stop: beforeLast.timestamp });
    assertSeriesEqual(bounded, expected.slice(0, 2), 'shortened retention, bounded read');
  });

  test('reads: start floored to the granularity, stop exclusive, coarsest granularity first, unknown method or granularity empty', async (t) => {
    const bed = await openEngine(dialect, t);
    const archive = policy(
      [
        { granularity: 60, points: null },
        { granularity: 300, points: null },
      ],
      ['last'],
    );
    await push(
      bed,
      archive,
      Array.from({ length: 20 }, (_, i) => ({ timestamp: T0 + i * 60 + 5, value: i })),
    );
    const read = await bed.engine.read(metricId, archive, { aggregation: 'last', start: T0 + 302, stop: T0 + 600 });
    assert.deepEqual(
      read.map((p) => [p.timestamp - T0, p.granularity, p.value]),
      [
        [300, 300, 9],
        [300, 60, 5],
        [360, 60, 6],
        [420, 60, 7],
        [480, 60, 8],
        [540, 60, 9],
      ],
    );
    assert.deepEqual(await bed.engine.read(metricId, archive, { aggregation: 'mean' }), []);
    assert.deepEqual(await bed.engine.read(metricId, archive, { aggregation: 'last', granularity: 3600 }), []);
    assert.deepEqual(await bed.engine.read('unknown-metric', archive, { aggregation: 'last' }), []);
  });
});
