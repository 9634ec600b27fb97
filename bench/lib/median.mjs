#!/usr/bin/env node
// Median per label (label minus its trailing " rN") over loadgen.mjs JSON lines.
// Same output as the team's shared/peers/median.mjs.   node median.mjs out.jsonl
import { readRows, groupByLabel, summarize } from './stats.mjs';

for (const [k, rs] of Object.entries(groupByLabel(readRows(process.argv[2])))) {
  const s = summarize(rs);
  console.log(
    `${k.padEnd(16)} runs=${s.runs} n=${s.n} c=${s.c} median rps=${s.rps} MB/s=${s.MBps} p50=${s.p50_ms}ms p99=${s.p99_ms}ms srvCPU=${s.srv_cpu_ms === undefined ? 'n/a' : s.srv_cpu_ms + 'ms/req'}  (rps per run: ${s.rps_runs.join(', ')}; errors: ${s.errors})`,
  );
}
