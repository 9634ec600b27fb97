#!/usr/bin/env node
/**
 * Ingest micro-check of the metric time-series engine (Nimbus only: no
 * Gnocchi peer runs here yet). METRICS metrics receive one measure a second,
 * pushed every PUSH_SECONDS for ROUNDS rounds, each round aggregated at once
 * (as `refresh=true` or a busy metricd would), on Gnocchi's `high` and
 * `medium` default policies with the default methods. Prints one JSON line
 * per policy: accepted and aggregated measures per second, and the rows and
 * bytes the series take.
 *
 *   npx tsc -p tsconfig.json && node bench/metric/ingest.mjs   # SQLite in a temp dir
 *   DB_URL=postgres://... node bench/metric/ingest.mjs         # a PostgreSQL database the bench may fill
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { openEngine } from './engine.mjs';

const METRICS = Number(process.env.METRICS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PUSH_SECONDS = Number(process.env.PUSH_SECONDS ?? 60);
const METHODS = ['mean', 'min', 'max', 'sum', 'std', 'count'];
const POLICIES = {
  high: [
    [1, 3600],
    [60, 10080],
    [3600, 8760],
  ],
  medium: [
    [60, 10080],
    [3600, 8760],
  ],
};

for (const [name, items] of Object.entries(POLICIES)) {
  const { dir, db, engine } = await openEngine('nimbus-bench-metric-');
  try {
    const policy = {
      name,
      backWindow: 0,
      aggregationMethods: METHODS,
      definition: items.map(([granularity, points]) => ({ granularity, points, timespan: granularity * points })),
    };
    const ids = Array.from({ length: METRICS }, (_, i) => `bench-${name}-${i}`);
    const t0 = Math.floor(Date.now() / 1000);
    let acceptMs = 0;
    let aggregateMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const batches = ids.map((metricId) => ({
        metricId,
        measures: Array.from({ length: PUSH_SECONDS }, (_, s) => ({ timestamp: t0 + round * PUSH_SECONDS + s, value: Math.random() * 100 })),
      }));
      let start = performance.now();
      await engine.accept(batches);
      acceptMs += performance.now() - start;
      start = performance.now();
      await engine.refresh(ids, async () => policy);
      aggregateMs += performance.now() - start;
    }
    const measures = METRICS * ROUNDS * PUSH_SECONDS;
    const size = await sql`SELECT count(*) AS splits, sum(length(points)) AS bytes FROM ts_split`.execute(db.kysely);
    await engine.close();
    console.log(
      JSON.stringify({
        policy: name,
        dialect: db.dialect,
        metrics: METRICS,
        measures,
        acceptPerSecond: Math.round(measures / (acceptMs / 1000)),
        aggregatePerSecond: Math.round(measures / (aggregateMs / 1000)),
        splits: Number(size.rows[0].splits),
        splitBytes: Number(size.rows[0].bytes),
      }),
    );
    if (process.env.DB_URL) await sql`DROP TABLE ts_incoming, ts_metric, ts_split, metric_migration, metric_migration_lock`.execute(db.kysely);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
