#!/usr/bin/env node
/**
 * Stack create/delete figures against one or more Heat endpoints, alternating
 * targets within each case so that drift in the machine's load hits all alike.
 *
 *   node bench/orchestration/stacks.mjs TARGETS.json OUT.json
 *
 * TARGETS.json: { "meta": {...copied into OUT}, "targets": [{ "name", "auth_url" (Keystone v3),
 *   "username", "password", "project", "cpu_groups": { label: [root PIDs] } (the servers:
 *   heat-api + heat-engine, or nimbus), "support_groups": { label: [PIDs] } (MariaDB, RabbitMQ,
 *   Keystone: reported apart), "engine_group": label whose memory "with 100 stacks" is read }] }
 *
 * Cases (CASES, default "group10 group100 graph20 many100 group1000"):
 *   groupN   a stack of one OS::Heat::ResourceGroup of N OS::Heat::RandomString: create until
 *            CREATE_COMPLETE, delete until gone; seconds and server CPU seconds of each.
 *   graph20  20 OS::Heat::TestResource in 4 dependent layers of 5, likewise.
 *   manyN    N one-resource stacks, C at a time; wall seconds to create all and delete all,
 *            and the memory (RSS and PSS) of every group once all N exist.
 * Bounded: RUNS (3) runs of each case with N <= 100 (1 of the others), every stack
 * operation within TIMEOUT_S (1200), no new case after DEADLINE_S (5400) from the start.
 * A failed or timed-out run is recorded with its error and the bench goes on. SKIP lists
 * "target:case" pairs to leave out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from './heat-client.mjs';
import { cpuByGroup, cpuDelta, memoryByGroup } from './proc.mjs';
import { randomStringGroup, singleRandomString, testResourceGraph } from './templates.mjs';
import { summarize, renderMarkdown } from './report.mjs';

const [targetsFile, outFile] = process.argv.slice(2);
if (!targetsFile || !outFile) {
  console.error('usage: stacks.mjs TARGETS.json OUT.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(targetsFile, 'utf8'));
const CASES = (process.env.CASES ?? 'group10 group100 graph20 many100 group1000').split(/[ ,]+/).filter(Boolean);
const RUNS = Number(process.env.RUNS ?? 3);
const C = Number(process.env.C ?? 4);
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 1200);
// "target:case" pairs not to run, e.g. SKIP=heat:group1000 when an earlier run measured it.
const SKIP = new Set((process.env.SKIP ?? '').split(/[ ,]+/).filter(Boolean));
const DEADLINE = Date.now() + Number(process.env.DEADLINE_S ?? 5400) * 1000;

const log = (message) => console.error(`bench: ${new Date().toISOString().slice(11, 19)} ${message}`);
const load1 = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const elapsed = (t0) => Math.round(performance.now() - t0) / 1000;

/** What a case name means: its kind, size and how many runs. */
function parseCase(name) {
  const m = /^(group|graph|many)(\d+)$/.exec(name);
  if (!m) throw new Error(`unknown case ${name}`);
  const size = Number(m[2]);
  if (m[1] === 'graph' && size % 5 !== 0) throw new Error(`graph size must be a multiple of 5: ${name}`);
  return { name, kind: m[1], size, runs: m[1] !== 'many' && size <= 100 ? RUNS : 1 };
}

/** Measures `work` with the CPU of the target's servers and support daemons around it. */
async function measured(target, work) {
  const groups = { ...target.cpu_groups, ...target.support_groups };
  const before = cpuByGroup(groups);
  const t0 = performance.now();
  await work();
  const seconds = elapsed(t0);
  const cpu = cpuDelta(before, cpuByGroup(groups));
  const server = Object.keys(target.cpu_groups).reduce((sum, k) => sum + cpu[k], 0);
  return { seconds, server_cpu_s: Math.round(server * 100) / 100, cpu_s: cpu };
}

const deadlineFor = () => Date.now() + TIMEOUT_S * 1000;

/** One create + delete of one template; a failed create is still deleted (best effort). */
async function createAndDelete(target, session, stackName, template) {
  let stackPath;
  const create = await measured(target, async () => {
    stackPath = await session.createStack(stackName, template, TIMEOUT_S);
    await session.waitFor(stackPath, 'CREATE_COMPLETE', deadlineFor());
  }).catch(async (error) => {
    if (stackPath) await session.deleteStack(stackPath, deadlineFor()).catch((e) => log(`cleanup of ${stackPath} failed: ${e.message}`));
    throw error;
  });
  const del = await measured(target, () => session.deleteStack(stackPath, deadlineFor()));
  return { create, delete: del };
}

/** Runs `fn` over items, `concurrency` at a time. */
async function pool(items, concurrency, fn) {
  let next = 0;
  const results = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** N one-resource stacks at once: creation wall time, memory with all of them, deletion wall time. */
async function manyStacks(target, session, prefix, count) {
  const memoryIdle = memoryByGroup(target.cpu_groups);
  const paths = [];
  try {
    const create = await measured(target, () =>
      pool([...Array(count).keys()], C, async (i) => {
        const path = await session.createStack(`${prefix}-${i}`, singleRandomString(), TIMEOUT_S);
        paths.push(path);
        await session.waitFor(path, 'CREATE_COMPLETE', deadlineFor());
      }),
    );
    const memoryWithStacks = memoryByGroup(target.cpu_groups);
    const del = await measured(target, () => pool([...paths], C, (path) => session.deleteStack(path, deadlineFor())));
    paths.length = 0; // all gone: nothing left for the cleanup below
    return { create, delete: del, memory_idle: memoryIdle, memory_with_stacks: memoryWithStacks };
  } finally {
    await pool(paths, C, (path) => session.deleteStack(path, deadlineFor()).catch((e) => log(`cleanup of ${path} failed: ${e.message}`)));
  }
}

async function runCase(target, spec, run) {
  const session = await connect(target); // a fresh token per run: a long run outlives none
  const stackName = `bench-${spec.name}-r${run}-${process.pid}`;
  if (spec.kind === 'many') return manyStacks(target, session, stackName, spec.size);
  const template = spec.kind === 'group' ? randomStringGroup(spec.size) : testResourceGraph(spec.size / 5, 5);
  return createAndDelete(target, session, stackName, template);
}

// A target without a working orchestration endpoint (e.g. a Nimbus built before Heat
// was merged) is reported as unavailable instead of failing every run.
for (const target of config.targets) {
  await connect(target).catch((error) => {
    target.unavailable = error.message;
    log(`${target.name} unavailable: ${error.message}`);
  });
}
const started = new Date();
const results = [];
const idleMemory = Object.fromEntries(config.targets.map((t) => [t.name, memoryByGroup(t.cpu_groups)]));
const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
for (const spec of CASES.map(parseCase)) {
  if (Date.now() > DEADLINE) {
    log(`deadline reached: ${spec.name} skipped`);
    results.push({ case: spec.name, skipped: 'DEADLINE_S reached' });
    continue;
  }
  for (let run = 1; run <= spec.runs; run++) {
    for (const target of config.targets.filter((t) => !t.unavailable && !SKIP.has(`${t.name}:${spec.name}`))) {
      const record = { case: spec.name, target: target.name, run, load1_before: load1() };
      log(`${spec.name} run ${run}/${spec.runs} on ${target.name}`);
      try {
        Object.assign(record, await runCase(target, spec, run));
        log(`  create ${record.create.seconds} s, delete ${record.delete.seconds} s`);
      } catch (error) {
        record.error = error.message;
        log(`  failed: ${error.message}`);
      }
      record.load1_after = load1();
      results.push(record);
      writeFileSync(outFile, JSON.stringify({ partial: true, results }, null, 1)); // a crash still leaves the runs so far
    }
  }
}

const report = {
  date: started.toISOString().slice(0, 10),
  started: started.toISOString(),
  finished: new Date().toISOString(),
  machine: { cores: (await import('node:os')).cpus().length, loadavg_start: loadStart, loadavg_end: readFileSync('/proc/loadavg', 'utf8').trim() },
  settings: { cases: CASES, runs: RUNS, concurrency: C, timeout_s: TIMEOUT_S, skipped: [...SKIP] },
  meta: config.meta ?? {},
  targets: config.targets.map(({ name, auth_url, cpu_groups, support_groups, engine_group, unavailable }) => ({
    name,
    auth_url,
    cpu_groups,
    support_groups,
    engine_group,
    unavailable,
  })),
  idle_memory: idleMemory,
  results,
};
report.summary = summarize(report);
writeFileSync(outFile, JSON.stringify(report, null, 1) + '\n');
const markdown = renderMarkdown(report);
writeFileSync(outFile.replace(/\.json$/, '.md'), markdown);
console.log(markdown);
