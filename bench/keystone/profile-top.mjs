#!/usr/bin/env node
// Top self-time frames of a .cpuprofile: node profile-top.mjs FILE [N] [LAST_S]
// LAST_S: only the profile's last LAST_S seconds (e.g. the idle phase, without start-up).
import { readFileSync } from 'node:fs';

const [file, top = '12', lastS] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const intervals = profile.timeDeltas;
const span = intervals.reduce((a, us) => a + us, 0);
const from = lastS === undefined ? 0 : span - Number(lastS) * 1e6;
const selfUs = new Map();
let at = 0;
profile.samples.forEach((id, i) => {
  at += intervals[i] ?? 0;
  if (at >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (intervals[i] ?? 0));
});
const frames = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${f.lineNumber + 1}`;
  frames.set(key, (frames.get(key) ?? 0) + us);
  total += us;
}
const busy = [...frames].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).reduce((a, [, us]) => a + us, 0);
console.log(`profiled ${(total / 1e6).toFixed(1)} s, ${(busy / 1e3).toFixed(0)} ms in JavaScript/GC (not idle, not (program))`);
for (const [key, us] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${(us / 1e3).toFixed(1).padStart(9)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}
