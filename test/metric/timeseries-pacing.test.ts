/**
 * How the background loop shares the process with the pushes (engine.ts,
 * `Pacing`): it lets I/O run between batches of metrics, holds back while pushes keep
 * coming, and holds back only so long. SQLite, the embedded case where the
 * loop shares the one connection and thread with the API.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { metricMigrations } from '../../src/metric/migrations/index.js';
import { DEFAULT_PACING, type Pacing } from '../../src/metric/timeseries/engine.js';
import { createTimeSeriesEngine } from '../../src/metric/timeseries/index.js';
import type { TimeSeriesEngine } from '../../src/metric/timeseries/types.js';
import { eachDialect } from '../support/databases.js';
import { policy } from './timeseries-reference.js';

const T0 = Date.UTC(2026, 11, 7, 9) / 1000;
const archive = policy([{ granularity: 60, points: null }], ['count'], 0);
const metricId = (n: number) => `5a1c2e00-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function openEngine(t: TestContext, pacing: Partial<Pacing>): Promise<TimeSeriesEngine> {
  const db = await eachDialect()[0]!.open();
  await migrateService(db, 'metric', metricMigrations);
  const engine = createTimeSeriesEngine({
    db,
    dataDir: '/nonexistent',
    log: createLogger('silent'),
    processDelayMs: 10,
    pacing: { ...DEFAULT_PACING, ...pacing },
  });
  t.after(async () => {
    await engine.close();
    await db.close();
  });
  return engine;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 25) {
    if (await condition()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const push = (engine: TimeSeriesEngine, n: number, at: number) => engine.accept([{ metricId: metricId(n), measures: [{ timestamp: at, value: 1 }] }]);

/** Pushes to metric 0 every 40 ms until the returned stop() is called; resolves with how many it made. */
function pushStream(engine: TimeSeriesEngine): () => Promise<number> {
  let stopped = false;
  const done = (async () => {
    let count = 0;
    while (!stopped) {
      await push(engine, 0, T0 + count++);
      await sleep(40);
    }
    return count;
  })();
  return () => {
    stopped = true;
    return done;
  };
}

test('the loop lets I/O run between two batches of metrics, not only between passes', async (t) => {
  const engine = await openEngine(t, { sliceMs: 0, pushQuietMs: 0, maxHoldBackMs: 0, metricsPerBatch: 4 });
  for (let n = 1; n <= 20; n++) await push(engine, n, T0);
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turnAtStart: number[] = [];
  engine.start(async () => {
    turnAtStart.push(turns);
    return archive;
  });
  await until(async () => (await engine.backlog()).measures === 0, 'an empty backlog');
  ticking = false;
  assert.equal(turnAtStart.length, 20);
  // Each batch of 4 began in a later turn of the event loop than the one before.
  for (let i = 4; i < turnAtStart.length; i += 4) assert.ok(turnAtStart[i]! > turnAtStart[i - 1]!, `metric ${i} began in turn ${turnAtStart[i]}`);
});

test('the loop holds back while pushes keep coming and aggregates once they stop', async (t) => {
  const engine = await openEngine(t, { sliceMs: 0, pushQuietMs: 1000, maxHoldBackMs: 60_000 });
  await push(engine, 1, T0);
  engine.start(async () => archive);
  const stop = pushStream(engine);
  await sleep(1500);
  const pushed = await stop();
  // Nothing aggregated during the stream: metric 1's measure and every push are still pending.
  assert.deepEqual(await engine.backlog(), { measures: pushed + 1, metrics: 2 });
  await until(async () => (await engine.backlog()).measures === 0, 'an empty backlog after the pushes stopped');
  assert.deepEqual(await engine.read(metricId(0), archive, { aggregation: 'count' }), [
    ...Array.from({ length: Math.ceil(pushed / 60) }, (_, i) => ({
      timestamp: T0 + i * 60,
      granularity: 60,
      value: Math.min(60, pushed - i * 60),
    })),
  ]);
});

test('holding back is bounded: a steady stream of pushes still gets aggregated', async (t) => {
  const engine = await openEngine(t, { sliceMs: 0, pushQuietMs: 60_000, maxHoldBackMs: 200 });
  await push(engine, 1, T0);
  engine.start(async () => archive);
  const stop = pushStream(engine);
  try {
    await until(async () => (await engine.read(metricId(1), archive, { aggregation: 'count' })).length === 1, 'metric 1 aggregated during the stream');
  } finally {
    await stop();
  }
});

test('a push under way holds the loop back until it ends, however long it takes', async (t) => {
  const engine = await openEngine(t, { sliceMs: 0, pushQuietMs: 0, maxHoldBackMs: 60_000 });
  await push(engine, 1, T0);
  const end = engine.pushing();
  engine.start(async () => archive);
  await sleep(600);
  assert.equal((await engine.backlog()).measures, 1);
  end();
  end(); // a second call changes nothing: the count of pushes under way stays right
  await until(async () => (await engine.backlog()).measures === 0, 'an empty backlog once the push ended');
});
