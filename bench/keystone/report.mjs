#!/usr/bin/env node
// Markdown report of one bench/keystone/run.sh run: Nimbus vs Keystone side by side.
//   node report.mjs RAW.jsonl META.json > keystone-<date>.md
import fs from 'node:fs';
import { readRows, groupByLabel, summarize } from '../lib/stats.mjs';

const [rawFile, metaFile] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
const rows = readRows(rawFile);
const groups = groupByLabel(rows);
const loads = rows.map((r) => r.loadavg1_before).filter((x) => x !== undefined);
const get = (who, test) => (groups[`${who} ${test}`] ? summarize(groups[`${who} ${test}`]) : undefined);

const num = (x, d = 1) => (x === undefined || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(d));
const ratio = (n, k) => (n === undefined || k === undefined || !k ? 'n/a' : `${(n / k).toFixed(n / k < 0.1 ? 3 : 2)}x`);
const mb = (kib) => kib / 1024;

const tests = [
  ['issue', `POST /v3/auth/tokens, password, project-scoped (${meta.issue_s} s per run, c${meta.c})`],
  ['validate', `GET /v3/auth/tokens validate (${meta.validate_s} s per run, c${meta.c})`],
];

const out = [];
const p = (s = '') => out.push(s);
p(`# Nimbus vs Keystone: token issue and validation, ${meta.date}`);
p();
p(
  `One run of \`bench/keystone/run.sh\`, both servers on the same ${meta.cores}-core machine ` +
    `(kernel ${meta.kernel}; 1-min load average ${Math.min(...loads)}–${Math.max(...loads)} before the ` +
    `measurements, so other work shared the cores), loaded alternately, ` +
    `${meta.runs} runs each, medians.`,
);
p();
const ks = meta.keystone;
const nb = meta.nimbus; // null when that target was not run
p(
  ks
    ? `- **Keystone** ${ks.version} (Debian), uwsgi 8 processes x 32 threads, fernet, MariaDB, ` +
        `bcrypt cost ${ks.bcrypt_cost} (from its password table), port ${ks.port}.`
    : '- **Keystone**: not run',
);
p(
  nb
    ? `- **Nimbus** ${nb.version} (git ${nb.git}), Node ${nb.node}, one process, ` +
        `fresh SQLite data dir, bcrypt cost ${nb.bcrypt_cost} (from the stored hash), port ${nb.port}.`
    : '- **Nimbus**: not run',
);
p();
p('Ratio = Nimbus / Keystone: above 1 is better for req/s; below 1 is better for latency, CPU and memory.');
p();
p('| test | metric | Keystone | Nimbus | Nimbus/Keystone |');
p('| --- | --- | ---: | ---: | ---: |');
for (const [key, title] of tests) {
  const k = get('keystone', key);
  const n = get('nimbus', key);
  if (!k && !n) continue;
  p(`| ${title} | req/s (median) | **${num(k?.rps)}** | **${num(n?.rps)}** | **${ratio(n?.rps, k?.rps)}** |`);
  p(
    `| | p50 / p99 ms | ${num(k?.p50_ms, 0)} / ${num(k?.p99_ms, 0)} | ${num(n?.p50_ms, 1)} / ${num(n?.p99_ms, 1)} | ${ratio(n?.p50_ms, k?.p50_ms)} / ${ratio(n?.p99_ms, k?.p99_ms)} |`,
  );
  p(`| | server CPU ms/req | ${num(k?.srv_cpu_ms, 1)} | ${num(n?.srv_cpu_ms, 2)} | ${ratio(n?.srv_cpu_ms, k?.srv_cpu_ms)} |`);
  p(`| | requests per run | ${k ? k.counts.join(', ') : 'n/a'} | ${n ? n.counts.join(', ') : 'n/a'} | |`);
  p(`| | 1-min load average before each run | ${k ? k.loads.join(', ') : 'n/a'} | ${n ? n.loads.join(', ') : 'n/a'} | |`);
  p(`| | req/s per run; errors | ${k ? k.rps_runs.join(', ') + '; ' + k.errors : 'n/a'} | ${n ? n.rps_runs.join(', ') + '; ' + n.errors : 'n/a'} | |`);
}
p(
  `| memory | RSS after the runs, MB | ${ks ? `${num(mb(ks.rss_kib), 0)} (+ MariaDB ${num(mb(ks.db_rss_kib), 0)})` : 'n/a'} | ${nb ? num(mb(nb.rss_kib), 0) : 'n/a'} | ${ratio(nb?.rss_kib, ks && ks.rss_kib + ks.db_rss_kib)} (vs. Keystone incl. DB) |`,
);
p(
  `| startup | s until serving | ${ks ? `${num(ks.startup_s)} (setup script, incl. DB)` : 'n/a'} | ${nb ? `${num(nb.startup_s, 2)} (to /healthcheck)` : 'n/a'} | |`,
);
p();
p(
  'Server CPU = utime+stime of the server processes and their children (uwsgi master + workers; ' +
    'the node process incl. its thread pool) during the measured requests, per request; it is less ' +
    'sensitive to other load on the machine than req/s. Issue cost is dominated by bcrypt at both ends. ' +
    'The load generator (`bench/lib/loadgen.mjs`) runs on the same cores.',
);
p();
p(`Raw JSON lines: \`${rawFile.split('/').pop()}\`.`);
console.log(out.join('\n'));
