#!/usr/bin/env node
// Markdown table of bench/metric/run.sh's JSON lines (one per target) with the Nimbus/Gnocchi ratios.
//   node report.mjs RAW.jsonl "uptime before" "uptime after"
import { readFileSync } from 'node:fs';

const [raw, loadBefore, loadAfter] = process.argv.slice(2);
const sides = Object.fromEntries(
  readFileSync(raw, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .map((side) => [side.target, side]),
);
const { gnocchi, nimbus } = sides;
const any = nimbus ?? gnocchi;
const cell = (side, key) => (side ? String(side[key] ?? 'timed out') : 'not run');
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');
const rows = [
  ['metric create/s (setup, C x 4 at a time)', 'metricCreatePerSecond', (n, g) => ratio(n, g)],
  ['measures ingested/s (median of rounds)', 'ingestPerSecondMedian', (n, g) => ratio(n, g)],
  ['s from last 202 until all queryable (median)', 'queryableSecondsMedian', (n, g) => ratio(g, n)],
  [`/v1/aggregates mean over ${any.aggregateMetrics} metrics p50 ms`, 'aggregateP50Ms', (n, g) => ratio(g, n)],
  [`/v1/aggregates mean over ${any.aggregateMetrics} metrics p90 ms`, 'aggregateP90Ms', (n, g) => ratio(g, n)],
  ['RSS KiB at the end (process trees)', 'rssKiB', (n, g) => ratio(g, n)],
];
console.log(`# metric: Nimbus vs Debian's Gnocchi 4.4.2 (${new Date().toISOString().slice(0, 10)})

${any.metrics} metrics x ${any.points} points a round, ${any.chunk} metrics per \`/v1/batch/metrics/measures\` request, ${any.concurrency} requests at a time; archive policy 1 s x 1 day, methods mean/min/max/sum/std/count.
Gnocchi: gnocchi-api (uwsgi, 3 processes x 2 threads) + gnocchi-metricd (2 workers, processing delay 2 s), file storage and incoming, PostgreSQL 15 indexer. Nimbus: one process, SQLite, its background aggregation every 2 s.
Ratio columns read "Nimbus is N times better" (higher is better for Nimbus).

| figure | Gnocchi | Nimbus | Nimbus advantage |
| --- | --- | --- | --- |
${rows.map(([label, key, better]) => `| ${label} | ${cell(gnocchi, key)} | ${cell(nimbus, key)} | ${better(nimbus?.[key], gnocchi?.[key])} |`).join('\n')}

Rounds: ${JSON.stringify(Object.fromEntries(Object.entries(sides).map(([name, side]) => [name, side.rounds])))}

Load: before \`${loadBefore.trim()}\`; after \`${loadAfter.trim()}\` (2 shared cores; other engineers' work runs alongside).
`);
