#!/usr/bin/env node
// Markdown report of one bench/image/run.sh run: Nimbus upload/download vs cp.
//   node report.mjs RAW.jsonl META.json > image-<date>.md
import fs from 'node:fs';
import { median } from '../lib/stats.mjs';

const [rawFile, metaFile] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
const rows = fs
  .readFileSync(rawFile, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l));
const groups = {};
for (const r of rows) (groups[r.label.replace(/ r\d+$/, '')] ||= []).push(r);
const stat = (label) => {
  const rs = groups[label] ?? [];
  const peaks = rs.map((r) => r.peak_rss_kib).filter((x) => x !== null && x !== undefined);
  return {
    MBps: rs.length ? median(rs.map((r) => r.MBps)) : undefined,
    seconds: rs.length ? median(rs.map((r) => r.seconds)) : undefined,
    runs: rs.map((r) => r.MBps),
    peakMB: peaks.length ? Math.max(...peaks) / 1024 : undefined,
  };
};
const num = (x, d = 1) => (x === undefined || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(d));
const ratio = (a, b) => (a === undefined || b === undefined || !b ? 'n/a' : `${(a / b).toFixed(2)}x`);
const loads = rows.map((r) => r.loadavg1_before).filter((x) => x !== undefined);

const cp = stat('cp');
const cpBack = stat('cp back');
const up = stat('nimbus upload');
const down = stat('nimbus download');
const devnull = stat('nimbus download to /dev/null');
const sizeMB = meta.size_mib * 1.048576;

const out = [];
const p = (s = '') => out.push(s);
p(`# Nimbus image data vs cp: ${meta.size_mib} MiB image, ${meta.date}`);
p();
p(
  `One run of \`bench/image/run.sh\` on a ${meta.cores}-core machine (kernel ${meta.kernel}, ${meta.fs} file ` +
    `system; 1-min load average ${Math.min(...loads)}–${Math.max(...loads)} before the runs), ${meta.runs} runs, medians. ` +
    `Nimbus git ${meta.git}, Node ${meta.node}, one process, fresh SQLite data dir; client curl ${meta.curl} on the same cores.`,
);
p();
p(
  'The peer is the physical limit: `cp` of the same file into the directory Nimbus stores images in, then ' +
    '`sync` of the copy (Nimbus fsyncs each image before it answers); and `cp` of that copy back out. ' +
    'Nimbus also reads every byte twice more than `cp` does: md5 and sha512 of the upload, as Glance computes them.',
);
p();
p('| transfer | MB/s (median) | s | Nimbus / cp | server peak RSS, MB | MB/s per run |');
p('| --- | ---: | ---: | ---: | ---: | --- |');
p(`| \`cp\` + \`sync\` into the store directory | **${num(cp.MBps)}** | ${num(cp.seconds, 2)} | | | ${cp.runs.join(', ')} |`);
p(
  `| Nimbus upload: \`PUT /v2/images/{id}/file\` (md5 + sha512, fsync, rename) | **${num(up.MBps)}** | ${num(up.seconds, 2)} | **${ratio(up.MBps, cp.MBps)}** | ${num(up.peakMB, 0)} | ${up.runs.join(', ')} |`,
);
p(`| \`cp\` of the stored file out | **${num(cpBack.MBps)}** | ${num(cpBack.seconds, 2)} | | | ${cpBack.runs.join(', ')} |`);
p(
  `| Nimbus download: \`GET /v2/images/{id}/file\` into a file | **${num(down.MBps)}** | ${num(down.seconds, 2)} | **${ratio(down.MBps, cpBack.MBps)}** | ${num(down.peakMB, 0)} | ${down.runs.join(', ')} |`,
);
p(
  `| Nimbus download to /dev/null | **${num(devnull.MBps)}** | ${num(devnull.seconds, 2)} | ${ratio(devnull.MBps, cpBack.MBps)} | ${num(devnull.peakMB, 0)} | ${devnull.runs.join(', ')} |`,
);
p();
p(
  `Server RSS: ${num(meta.rss_idle_kib / 1024, 0)} MB idle after start; peak while moving ${num(sizeMB, 0)} MB ` +
    `shown per transfer (sampled every 50 ms); high-water mark of the whole run ${num(meta.rss_hwm_kib / 1024, 0)} MB. ` +
    'Memory stays flat: the request streams to the store and the store to the response, with backpressure.',
);
p();
p(`Raw JSON lines: \`${rawFile.split('/').pop()}\`.`);
console.log(out.join('\n'));
