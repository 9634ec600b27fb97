// CPU time and memory of server process trees, read from /proc (Linux only, no deps).
// A tree is a PID and all its live descendants: oslo.service forks Heat's workers
// from a parent, so the parent alone would miss the work.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
};

/** The PID and every live descendant (through each thread's children list). */
export function processTree(pid) {
  const seen = new Set();
  const pending = [Number(pid)];
  while (pending.length) {
    const p = pending.pop();
    if (seen.has(p) || read(`/proc/${p}/stat`) === undefined) continue;
    seen.add(p);
    let tasks;
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) for (const c of (read(`/proc/${p}/task/${t}/children`) ?? '').split(' ').filter(Boolean)) pending.push(Number(c));
  }
  return [...seen];
}

/** utime + stime of one process in seconds (fields 14 and 15 of /proc/PID/stat, after the command name). */
function cpuSeconds(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident and proportional set size in KiB (PSS shares forked workers' common pages fairly). */
function memoryKiB(pid) {
  const rollup = read(`/proc/${pid}/smaps_rollup`) ?? '';
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return { rss: field('Rss'), pss: field('Pss') };
}

/** CPU seconds per named group, each group a list of root PIDs, e.g. { 'heat-engine': [123] }. */
export function cpuByGroup(groups) {
  const out = {};
  for (const [name, roots] of Object.entries(groups)) {
    out[name] = roots.flatMap(processTree).reduce((sum, p) => sum + cpuSeconds(p), 0);
  }
  return out;
}

/** Memory in KiB per named group: summed RSS and PSS over each group's trees. */
export function memoryByGroup(groups) {
  const out = {};
  for (const [name, roots] of Object.entries(groups)) {
    const pids = roots.flatMap(processTree);
    const sizes = pids.map(memoryKiB);
    out[name] = { processes: pids.length, rss_kib: sizes.reduce((s, m) => s + m.rss, 0), pss_kib: sizes.reduce((s, m) => s + m.pss, 0) };
  }
  return out;
}

/** Difference of two cpuByGroup readings, rounded to 10 ms. */
export function cpuDelta(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - (before[k] ?? 0)) * 100) / 100]));
}
