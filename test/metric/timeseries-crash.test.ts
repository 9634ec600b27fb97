/**
 * kill -9 of a process in the middle of accepting and aggregating: every
 * measure whose accept resolved is there for the next process, the batch in
 * flight is there entirely or not at all, and the series equal the model of
 * exactly those measures (nothing lost, nothing counted twice). SQLite: the
 * embedded default, where a crash is a process's own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { createTimeSeriesEngine, timeseriesMigrations } from '../../src/metric/timeseries/index.js';
import { assertSeriesEqual, CRASH_BATCH_SIZE, CRASH_METRIC, crashBatch, crashPolicy, expectedSeries } from './timeseries-reference.js';

/** Runs the child until it acknowledged `batches` batches, kills it, and returns how many it acknowledged. */
async function acceptUntilKilled(file: string, batches: number): Promise<number> {
  const child = spawn(process.execPath, [new URL('./timeseries-crash-child.js', import.meta.url).pathname, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acknowledged = 0;
  let output = '';
  // 'close', not 'exit': every line the child wrote before it died is read by then.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const lines = output.split('\n');
    output = lines.pop() ?? '';
    acknowledged += lines.length;
    if (acknowledged >= batches) child.kill('SIGKILL');
  });
  await exited;
  return acknowledged;
}

for (const batches of [3, 17, 40]) {
  test(`kill -9 after ${batches} acknowledged batches loses nothing and counts nothing twice`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-ts-crash-'));
    const file = join(dir, 'metric.sqlite');
    const db = openDatabase({ connection: file });
    t.after(async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await migrateService(db, 'metric', timeseriesMigrations);

    const acknowledged = await acceptUntilKilled(file, batches);
    assert.ok(acknowledged >= batches, `the child acknowledged ${acknowledged} batches`);

    const engine = createTimeSeriesEngine({ db, dataDir: dir, log: createLogger('silent') });
    t.after(() => engine.close());
    await engine.refresh([CRASH_METRIC], async () => crashPolicy);
    const counts = await engine.read(CRASH_METRIC, crashPolicy, { aggregation: 'count', granularity: 60 });
    const stored = counts.reduce((total, point) => total + point.value, 0);
    assert.ok(stored === acknowledged * CRASH_BATCH_SIZE || stored === (acknowledged + 1) * CRASH_BATCH_SIZE, `${stored} measures stored`);
    const measures = Array.from({ length: stored / CRASH_BATCH_SIZE }, (_, batch) => crashBatch(batch)).flat();
    for (const aggregation of crashPolicy.aggregationMethods) {
      for (const { granularity } of crashPolicy.definition) {
        const actual = await engine.read(CRASH_METRIC, crashPolicy, { aggregation, granularity });
        assertSeriesEqual(actual, expectedSeries(measures, granularity, aggregation), `${aggregation} at ${granularity}s`);
      }
    }
  });
}
