#!/usr/bin/env node
/**
 * How fast the background aggregation (metricd's job) drains a backlog, on the
 * engine alone: METRICS metrics x POINTS points accepted at once (as the bench's
 * batch push leaves them), then the background loop started and timed until
 * nothing is pending. The policy is bench/metric/telemetry.mjs's (1 s for a day,
 * mean/min/max/sum/std/count). Run under `node --cpu-prof` to see where a pass
 * spends its time.
 *
 *   node scripts/build.mjs && METRICS=2000 POINTS=10 node bench/metric/drain.mjs
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEngine } from './engine.mjs';

const METRICS = Number(process.env.METRICS ?? 2000);
const POINTS = Number(process.env.POINTS ?? 10);
const policy = {
  name: 'bench',
  backWindow: 0,
  aggregationMethods: ['mean', 'min', 'max', 'sum', 'std', 'count'],
  definition: [{ granularity: 1, points: 86400, timespan: 86400 }],
};

const { dir, db, engine } = await openEngine('nimbus-bench-drain-', { processDelayMs: 1 });
try {
  const t0 = Math.floor(Date.now() / 1000) - POINTS;
  const ids = Array.from({ length: METRICS }, (_, i) => `drain-${i}`);
  await engine.accept(
    ids.map((metricId) => ({ metricId, measures: Array.from({ length: POINTS }, (_, s) => ({ timestamp: t0 + s, value: Math.random() * 100 })) })),
  );
  const start = performance.now();
  engine.start(async () => policy);
  // The event loop's worst stall while draining: what an API request would have waited at most.
  let worstStallMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worstStallMs = Math.max(worstStallMs, now - last - 5);
    last = now;
  }, 5);
  while ((await engine.backlog()).measures > 0) await sleep(20);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(ticker);
  await engine.close();
  const values = await engine.read(ids[0], policy, { aggregation: 'mean' });
  if (values.length !== POINTS) throw new Error(`expected ${POINTS} aggregated points, read ${values.length}`);
  console.log(
    JSON.stringify({
      dialect: db.dialect,
      metrics: METRICS,
      points: POINTS,
      drainSeconds: +seconds.toFixed(2),
      metricsPerSecond: Math.round(METRICS / seconds),
      worstStallMs: Math.round(worstStallMs),
    }),
  );
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
