#!/usr/bin/env node
// Start-up and idle memory of the whole cloud (every service, the dashboard, the
// exporter), as `npm start` runs it: dist/nimbus.mjs on an existing data dir.
//
//   npm run build && node bench/startup/run.mjs     # RUNS=5 IDLE_S=15; ~2 min
//
// One first start creates the data dir (migrations, bootstrap; reported apart).
// Then RUNS starts on that dir, each measured from spawn to the first 200 of
// /healthcheck (which answers 503 until the server is ready): wall ms, the
// process's CPU ms at that moment (user + system, from /proc), and after
// IDLE_S seconds of idling its RSS and high-water mark. Targets (issue 20):
// ready in at most 1 s and idle RSS at most 150 MB. Prints a markdown report
// (and writes it to OUT if set) with the load average around the runs: on a
// shared machine the wall figures follow the load, the CPU figures much less.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../lib/stats.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const IDLE_S = Number(process.env.IDLE_S ?? 15);
const PORT = Number(process.env.PORT ?? 5599);
const BUNDLE = new URL('../../dist/nimbus.mjs', import.meta.url).pathname;
const CLOCK_TICKS_PER_MS = 100 / 1000; // /proc's stat counts in USER_HZ (100 on Linux)

function cpuMs(pid) {
  // Fields after the command name (which may hold spaces, hence the split at ')'): utime is 14th, stime 15th overall.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_MS;
}

function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function ready(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(10);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

async function startOnce(dataDir, idleS) {
  const began = performance.now();
  const child = spawn(process.execPath, [BUNDLE, 'start', '--port', String(PORT), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  try {
    await ready(`http://127.0.0.1:${PORT}/healthcheck`, child, 120_000);
    const readyMs = performance.now() - began;
    const cpu = cpuMs(child.pid);
    await sleep(idleS * 1000);
    return { readyMs, cpuMs: cpu, ...memoryMb(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-startup-'));
const loadBefore = loadavg().map((l) => l.toFixed(2));
try {
  const first = await startOnce(dataDir, 0);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(dataDir, IDLE_S));
  const loadAfter = loadavg().map((l) => l.toFixed(2));
  const med = (key) => median(runs.map((r) => r[key]));
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const report = [
    `# Start-up and idle memory, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `\`node bench/startup/run.mjs\` (RUNS=${RUNS}, IDLE_S=${IDLE_S}), Node ${process.version}, every service in one process on SQLite.`,
    `Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; after: ${loadAfter.join(', ')} (2 cores).`,
    '',
    '| figure | median | per run | target |',
    '| --- | ---: | --- | ---: |',
    `| ready on an existing data dir, wall ms | ${fmt(med('readyMs'))} | ${runs.map((r) => fmt(r.readyMs)).join(', ')} | 1,000 |`,
    `| CPU ms until ready (user + system) | ${fmt(med('cpuMs'))} | ${runs.map((r) => fmt(r.cpuMs)).join(', ')} | |`,
    `| RSS after ${IDLE_S} s idle, MB | ${fmt(med('rss'))} | ${runs.map((r) => fmt(r.rss)).join(', ')} | 150 |`,
    `| RSS high-water mark, MB | ${fmt(med('hwm'))} | ${runs.map((r) => fmt(r.hwm)).join(', ')} | |`,
    '',
    `First start (creates the data dir: migrations, bootstrap, Fernet keys): ${fmt(first.readyMs)} ms wall, ${fmt(first.cpuMs)} ms CPU.`,
    '',
  ].join('\n');
  console.log(report);
  if (process.env.OUT) writeFileSync(process.env.OUT, report);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
