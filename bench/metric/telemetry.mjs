#!/usr/bin/env node
/**
 * One side of bench/metric/run.sh: the same Gnocchi v1 calls against one
 * server (Debian's Gnocchi or Nimbus's /metric), one JSON line on stdout.
 *
 * 1. An archive policy `bench-<run>` (1-s granularity kept for a day, the
 *    methods of Gnocchi's defaults) and METRICS metrics on it (C at a time).
 * 2. ROUNDS rounds: METRICS x POINTS measures (1 s apart, newer every round)
 *    through POST /v1/batch/metrics/measures, CHUNK metrics a request, C
 *    requests at a time; measures/s from the first request to the last 202.
 *    Then waits for /v1/status to show no backlog and reads POST
 *    /v1/aggregates ((metric (id mean) ...), QUERY_METRICS metrics a request)
 *    until every metric shows the round's POINTS points: seconds from the
 *    last 202 until all are queryable.
 * 3. QUERIES times `(aggregate mean (metric (id mean) ...))` over QUERY_METRICS
 *    metrics, one after another: p50/p90 ms.
 * 4. RSS (KiB) of the server's process trees, from /proc (PIDS, comma-separated).
 * Every wait is bounded (TIMEOUT_S per round); a side that misses it reports so.
 *
 * Env: TARGET (label), BASE (e.g. http://127.0.0.1:8041), AUTH (a header line
 * `Name: value`), PIDS, METRICS (10000), POINTS (10), ROUNDS (1), CHUNK (1000),
 * C (2), QUERY_METRICS (1000), QUERIES (20), TIMEOUT_S (600).
 */
import { processTree } from '../orchestration/proc.mjs';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const env = (name, fallback) => process.env[name] ?? fallback;
const TARGET = env('TARGET', 'server');
const BASE = env('BASE', '');
const [authName, ...authValue] = env('AUTH', '').split(':');
const PIDS = env('PIDS', '').split(',').filter(Boolean).map(Number);
const METRICS = Number(env('METRICS', 10000));
const POINTS = Number(env('POINTS', 10));
const ROUNDS = Number(env('ROUNDS', 1));
const CHUNK = Number(env('CHUNK', 1000));
const C = Number(env('C', 2));
const QUERY_METRICS = Math.min(METRICS, Number(env('QUERY_METRICS', 1000)));
const QUERIES = Number(env('QUERIES', 20));
const TIMEOUT_MS = Number(env('TIMEOUT_S', 600)) * 1000;
const METHODS = ['mean', 'min', 'max', 'sum', 'std', 'count'];

const headers = { 'content-type': 'application/json', ...(authName && { [authName.trim()]: authValue.join(':').trim() }) };

/**
 * One request on a connection of its own: uwsgi's http-socket closes the
 * connection after each answer without saying so, which keep-alive clients
 * trip over; both servers get the same treatment.
 */
function call(method, path, body, expected) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${BASE}${path}`,
      { method, headers: { ...headers, ...(payload && { 'content-length': Buffer.byteLength(payload) }) }, agent: false },
      (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString();
          if (!expected.includes(res.statusCode)) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `work(item)` over items, `concurrency` at a time. */
async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const chunks = (list, size) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const iso = (seconds) => new Date(seconds * 1000).toISOString();
const metricsOperation = (ids) => `(metric ${ids.map((id) => `(${id} mean)`).join(' ')})`;

function rssKiB() {
  let total = 0;
  for (const pid of PIDS.flatMap(processTree)) {
    try {
      total += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

/** True once every metric of `ids` has `POINTS` points from `from` on. */
async function allQueryable(ids, from) {
  const answer = await call('POST', `/v1/aggregates?granularity=1&start=${encodeURIComponent(iso(from))}`, { operations: metricsOperation(ids) }, [200]);
  const series = answer.measures ?? {};
  return ids.every((id) => (series[id]?.mean ?? []).length >= POINTS);
}

const policy = `bench-${process.pid}-${Date.now()}`;
await call(
  'POST',
  '/v1/archive_policy',
  { name: policy, back_window: 0, aggregation_methods: METHODS, definition: [{ granularity: '1s', timespan: '1 day' }] },
  [201],
);

let began = performance.now();
const ids = [];
await pool(
  Array.from({ length: METRICS }, (_, i) => i),
  C * 4,
  async (i) => ids.push((await call('POST', '/v1/metric', { archive_policy_name: policy, name: `bench-${i}` }, [201])).id),
);
const createPerSecond = METRICS / ((performance.now() - began) / 1000);

const t0 = Math.floor(Date.now() / 1000) - ROUNDS * POINTS - 60;
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const from = t0 + round * POINTS;
  const bodies = chunks(ids, CHUNK).map((part) =>
    Object.fromEntries(part.map((id) => [id, Array.from({ length: POINTS }, (_, s) => ({ timestamp: iso(from + s), value: Math.random() * 100 }))])),
  );
  began = performance.now();
  await pool(bodies, C, (body) => call('POST', '/v1/batch/metrics/measures', body, [202]));
  const accepted = performance.now();
  let pending = chunks(ids, QUERY_METRICS);
  let polls = 0;
  while (pending.length > 0 && performance.now() - accepted < TIMEOUT_MS) {
    // A cheap gate first: a 1,000-metric read costs Gnocchi seconds, and polling with it would slow its metricd.
    const backlog = (await call('GET', '/v1/status', undefined, [200])).storage.summary.measures;
    if (backlog > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const still = [];
    for (const part of pending) if (!(await allQueryable(part, from))) still.push(part);
    pending = still;
    polls++;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  rounds.push({
    round,
    measures: METRICS * POINTS,
    ingestPerSecond: Math.round((METRICS * POINTS) / ((accepted - began) / 1000)),
    queryableSeconds: pending.length === 0 ? +((performance.now() - accepted) / 1000).toFixed(2) : null,
    polls,
  });
}

const aggregate = { operations: `(aggregate mean ${metricsOperation(ids.slice(0, QUERY_METRICS))})` };
const latencies = [];
for (let i = 0; i < QUERIES; i++) {
  const start = performance.now();
  const answer = await call('POST', '/v1/aggregates?granularity=1', aggregate, [200]);
  latencies.push(performance.now() - start);
  if ((answer.measures?.aggregated ?? []).length < POINTS * ROUNDS) throw new Error(`aggregate answered ${JSON.stringify(answer).slice(0, 300)}`);
}

console.log(
  JSON.stringify({
    target: TARGET,
    metrics: METRICS,
    points: POINTS,
    chunk: CHUNK,
    concurrency: C,
    metricCreatePerSecond: Math.round(createPerSecond),
    rounds,
    ingestPerSecondMedian: percentile(
      rounds.map((r) => r.ingestPerSecond),
      0.5,
    ),
    queryableSecondsMedian: rounds.every((r) => r.queryableSeconds !== null)
      ? percentile(
          rounds.map((r) => r.queryableSeconds),
          0.5,
        )
      : null,
    aggregateMetrics: QUERY_METRICS,
    aggregateP50Ms: +percentile(latencies, 0.5).toFixed(1),
    aggregateP90Ms: +percentile(latencies, 0.9).toFixed(1),
    rssKiB: rssKiB(),
  }),
);
