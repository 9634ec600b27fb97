/**
 * kill -9 while clients push measures: four writers, each on its own metric
 * with rising timestamps (so none is ever late for the back window), push
 * small batches to a process serving the measure routes over the real
 * engine until it is SIGKILLed mid-stream. After a restart on the same
 * database, every measure that was answered 202 is in the metric's series,
 * read through /v1/aggregates, and counted once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const CHILD = join(import.meta.dirname, 'support', 'metric-ingest-child.js');
const METRICS = [1, 2, 3, 4].map((i) => `f0000000-0000-4000-8000-00000000000${i}`);
const BATCH = 5;
/** Inside the stand-in policy's 60 s granularity retention (100 points) wherever the writers stop. */
const T0 = Math.floor(Date.now() / 1000 / 60) * 60 - 3000;
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-metric-ingest-crash-'));
const file = join(dataDir, 'metric.sqlite');
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD, file, ...METRICS], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
      const ready = /metric ingest ready at (\S+)/.exec(stderr);
      if (ready) resolve({ child, url: ready[1]! });
    });
    child.on('exit', (code) => reject(new Error(`metric ingest child exited (${code}): ${stderr}`)));
  });
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  } catch {
    // The killed process answers nothing (refused or reset).
    return { status: 0, json: null };
  }
}

/** Pushes batches of one-second-apart measures until the server stops answering; the seconds it acknowledged. */
async function write(url: string, metricId: string): Promise<number[]> {
  const acknowledged: number[] = [];
  for (let next = 0; next < 3000; next += BATCH) {
    const measures = Array.from({ length: BATCH }, (_, i) => ({ timestamp: T0 + next + i, value: 1 }));
    const reply = await call(url, 'POST', `/metric/v1/metric/${metricId}/measures`, measures);
    if (reply.status === 0) break;
    assert.equal(reply.status, 202, JSON.stringify(reply.json));
    acknowledged.push(...measures.map((m) => m.timestamp));
  }
  return acknowledged;
}

test('kill -9 during measure pushes: every measure answered 202 is aggregated after the restart', { timeout: 120_000 }, async (t) => {
  const first = await startServer();
  const writers = METRICS.map((id) => write(first.url, id));
  // Let the writers and the background aggregation overlap for a while, then kill mid-stream.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;
  const acknowledged = await Promise.all(writers);
  assert.ok(
    acknowledged.every((seconds) => seconds.length >= BATCH && seconds.length < 3000),
    'every writer had batches accepted before the kill and was cut off by it',
  );

  t.diagnostic(`acknowledged per writer before the kill: ${acknowledged.map((a) => a.length).join(', ')}`);
  const second = await startServer();
  for (const [i, id] of METRICS.entries()) {
    const refreshed = await call(second.url, 'GET', `/metric/v1/metric/${id}/measures?refresh=true&aggregation=count&granularity=60`);
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
    const aggregated = await call(second.url, 'POST', '/metric/v1/aggregates?granularity=60', { operations: `(metric (${id} count) (${id} sum))` });
    assert.equal(aggregated.status, 200, JSON.stringify(aggregated.json));
    const series = (aggregated.json as { measures: Record<string, Record<string, Array<[string, number, number]>>> }).measures[id]!;
    // Per minute: how many acknowledged measures it must hold at least; every measure's value is 1, so count and sum agree.
    const expected = new Map<number, number>();
    for (const second of acknowledged[i]!) expected.set(Math.floor(second / 60) * 60, (expected.get(Math.floor(second / 60) * 60) ?? 0) + 1);
    const counts = new Map(series.count!.map(([time, , count]) => [Date.parse(time) / 1000, count]));
    const sums = new Map(series.sum!.map(([time, , sum]) => [Date.parse(time) / 1000, sum]));
    for (const [minute, atLeast] of expected) {
      assert.ok((counts.get(minute) ?? 0) >= atLeast, `metric ${i}, minute ${minute}: ${counts.get(minute)} < ${atLeast} acknowledged`);
      assert.equal(sums.get(minute), counts.get(minute), `metric ${i}, minute ${minute}: a measure counted twice or lost`);
    }
    // Nothing beyond what was sent: at most one unacknowledged batch (the one cut by the kill) per writer.
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.ok(total <= acknowledged[i]!.length + BATCH, `metric ${i}: ${total} measures for ${acknowledged[i]!.length} acknowledged`);
  }
});
