// Medians over loadgen.mjs JSON lines (the logic of the team's shared/peers/median.mjs,
// as functions so reports can use it).
import fs from 'node:fs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** JSON lines of a loadgen output file (other lines are ignored). */
export const readRows = (file) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

/** Rows grouped by label minus its trailing " rN" (one group per test over its runs). */
export function groupByLabel(rows) {
  const groups = {};
  for (const r of rows) (groups[r.label.replace(/ r\d+$/, '')] ||= []).push(r);
  return groups;
}

/** Medians of one group: rps, MB/s, p50, p99, server CPU-ms per request, errors. */
export function summarize(rs) {
  const f = (key) => median(rs.map((r) => r[key]));
  return {
    runs: rs.length,
    n: rs[0].count,
    c: rs[0].concurrency,
    rps: f('rps'),
    MBps: f('MBps'),
    p50_ms: f('p50_ms'),
    p99_ms: f('p99_ms'),
    srv_cpu_ms: rs[0].server_cpu_ms_per_req === undefined ? undefined : f('server_cpu_ms_per_req'),
    rps_runs: rs.map((r) => r.rps),
    counts: rs.map((r) => r.count),
    loads: rs.map((r) => r.loadavg1_before),
    errors: rs.reduce((a, r) => a + r.count - r.ok, 0),
  };
}
