#!/usr/bin/env node
// Markdown report of bench/object-store/run.sh: medians per test for Swift and Nimbus, and the ratio.
//   node report.mjs results.jsonl '{"date":...}'
import { groupByLabel, readRows, summarize } from '../lib/stats.mjs';

const [rawFile, metaJson] = process.argv.slice(2);
const meta = JSON.parse(metaJson);
const groups = groupByLabel(readRows(rawFile));
const tests = [
  ['put4k', 'PUT 4 KiB, c16', 'rps', 'req/s'],
  ['get4k', 'GET 4 KiB, c16', 'rps', 'req/s'],
  [`put${meta.big_mb}m`, `PUT ${meta.big_mb} MiB, c1`, 'MBps', 'MB/s'],
  [`get${meta.big_mb}m`, `GET ${meta.big_mb} MiB, c1`, 'MBps', 'MB/s'],
];
const lines = [
  `# Nimbus object store vs Swift 2.30.1 (SAIO), ${meta.date}`,
  '',
  `One run of \`bench/object-store/run.sh\` on a ${meta.cores}-core machine (1-min load average ${meta.load_before} before), ${meta.runs} runs alternating the stacks, medians. Nimbus git ${meta.git}. Both keep 3 replicas on 3 device dirs and fsync each one; Swift is the team's swift-saio.sh (proxy + account/container/object servers, tempauth, memcached), Nimbus one process (Keystone tokens, cached after the first validation). srvCPU is the server CPU-ms per request (every Swift server process vs the one Nimbus process).`,
  '',
  '| test | Swift | Nimbus | Nimbus / Swift | srvCPU Swift / Nimbus (ms/req) | per run: Swift; Nimbus | errors |',
  '| --- | ---: | ---: | ---: | --- | --- | --- |',
];
for (const [key, title, field, unit] of tests) {
  const swift = groups[`swift ${key}`];
  const nimbus = groups[`nimbus ${key}`];
  if (!swift || !nimbus) continue;
  const s = summarize(swift);
  const n = summarize(nimbus);
  const runs = (rows) => rows.map((r) => r[field]).join(', ');
  lines.push(
    `| ${title} | ${s[field]} ${unit} | ${n[field]} ${unit} | **${(n[field] / s[field]).toFixed(2)}x** | ${s.srv_cpu_ms ?? 'n/a'} / ${n.srv_cpu_ms ?? 'n/a'} | ${runs(swift)}; ${runs(nimbus)} | ${s.errors} / ${n.errors} |`,
  );
}
// The 64 MiB lines against cp of the same file on the same disk in the same runs (MiB/s, medians).
const big = `${meta.big_mb}m`;
const cpRows = [
  [`put${big}`, 'PUT', 'cp put-fsync', 'cp to a new file + fsync (one copy)'],
  [`put${big}`, 'PUT', 'cp put', 'cp to a new file, no fsync (page cache)'],
  [`get${big}`, 'GET', 'cp get', 'cp of the stored file to /dev/null'],
];
if (groups['cp get']) {
  lines.push('', `| ${meta.big_mb} MiB | cp, as | cp | Nimbus | Nimbus / cp | per run: cp; Nimbus |`, '| --- | --- | ---: | ---: | ---: | --- |');
  for (const [key, title, cpLabel, how] of cpRows) {
    const cp = groups[cpLabel];
    const nimbus = groups[`nimbus ${key}`];
    if (!cp || !nimbus) continue;
    const c = summarize(cp).MBps;
    const n = summarize(nimbus).MBps;
    const runs = (rows) => rows.map((r) => r.MBps).join(', ');
    lines.push(`| ${title} | ${how} | ${c} MiB/s | ${n} MiB/s | **${((100 * n) / c).toFixed(0)} %** | ${runs(cp)}; ${runs(nimbus)} |`);
  }
}
lines.push(
  '',
  `1-min load average after the runs: ${meta.load_after ?? 'n/a'}.`,
  '',
  `Nimbus RSS high-water mark over the whole run: ${Math.round(meta.nimbus_rss_hwm_kib / 1024)} MB. Raw JSON lines: \`${rawFile.split('/').pop()}\`.`,
);
console.log(lines.join('\n'));
