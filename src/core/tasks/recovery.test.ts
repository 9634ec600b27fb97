import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { forEachDialect } from '../../../test/support/databases.js';
import { openTaskTestbed } from '../../../test/support/core-database.js';
import { PermanentTaskError, TaskLeaseLost } from './index.js';

/** Tests wait on gates and drains; a bug must fail them, not hang the run. */
const TIMEOUT = { timeout: 10_000 };

const setup = openTaskTestbed;

/** A promise with its resolve function, to hold a task at a chosen point. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

forEachDialect('task recovery', (dialect) => {
  test('a task whose worker died mid-task resumes elsewhere without re-running finished steps', TIMEOUT, async (t) => {
    const { db, defer, queue } = await setup(dialect, t);
    // The first worker runs on its own connection; closing it is its process dying.
    const doomed = db.connectAgain();
    const ran: string[] = [];
    const reachedSpawn = gate();
    const hang = gate();
    defer(async () => hang.open());
    let firstWorker = true;
    const definition = {
      async run(ctx: { step<T>(name: string, fn: () => Promise<T>): Promise<T> }) {
        const portId = await ctx.step('create-port', async () => {
          ran.push('create-port');
          return 'port-1';
        });
        await ctx.step('spawn', async () => {
          ran.push(`spawn ${portId}`);
          if (firstWorker) {
            reachedSpawn.open();
            await hang.promise;
          }
        });
        await ctx.step('activate', async () => {
          ran.push('activate');
        });
      },
    };
    const a = queue({ db: doomed, owner: 'a' });
    const kind = a.define('test.build', definition);
    const id = await a.enqueue(db.kysely, { kind, payload: null });
    a.start({ pollMs: 10, leaseMs: 200 });
    await reachedSpawn.promise;
    await doomed.close();
    firstWorker = false;

    const b = queue({ owner: 'b' });
    b.define('test.build', definition);
    b.start({ pollMs: 10, leaseMs: 200 });
    await b.drain({ timeoutMs: 3000 });

    assert.deepEqual(ran, ['create-port', 'spawn port-1', 'spawn port-1', 'activate']);
    const task = await b.get(id);
    assert.equal(task?.status, 'succeeded');
    assert.equal(task?.attempts, 2);
    assert.deepEqual(task?.completedSteps, ['create-port', 'spawn', 'activate']);
  });

  test('a worker whose task was taken over is aborted and can record nothing', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const started = gate();
    const ended = gate();
    const outcome: { reason?: unknown; error?: unknown; secondStepRan: boolean } = { secondStepRan: false };
    const kind = q.define('test.fenced', {
      async run(ctx) {
        await ctx.step('first', async () => undefined);
        started.open();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        outcome.reason = ctx.signal.reason;
        try {
          await ctx.step('second', async () => {
            outcome.secondStepRan = true;
          });
        } catch (error) {
          outcome.error = error;
          ended.open();
          throw error;
        }
      },
    });
    const id = await q.enqueue(db.kysely, { kind, payload: null });
    q.start({ pollMs: 10, leaseMs: 150 });
    await started.promise;
    // Another worker claims the task (as after a long stall of this one).
    const farFuture = new Date(Date.now() + 3_600_000).toISOString();
    await sql`UPDATE core_task SET lease_owner = 'someone-else', lease_expires_at = ${farFuture} WHERE id = ${id}`.execute(db.kysely);
    await ended.promise;

    assert.ok(outcome.reason instanceof TaskLeaseLost);
    assert.ok(outcome.error instanceof TaskLeaseLost);
    assert.equal(outcome.secondStepRan, false);
    const task = await q.get(id);
    assert.equal(task?.status, 'running');
    assert.deepEqual(task?.completedSteps, ['first']);
  });

  test('a failing task is retried with growing delays, then fails and runs onFailure once', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue({ retryBaseMs: 40 });
    const attemptsAt: number[] = [];
    const failures: Array<{ message: string; attempt: number }> = [];
    const kind = q.define<{ serverId: string }>('test.flaky', {
      maxAttempts: 3,
      async run(ctx) {
        attemptsAt.push(Date.now());
        throw new Error(`hypervisor busy (attempt ${ctx.attempt})`);
      },
      async onFailure(ctx, error) {
        failures.push({ message: error.message, attempt: ctx.attempt });
      },
    });
    const id = await q.enqueue(db.kysely, { kind, payload: { serverId: 's-1' } });
    q.start({ pollMs: 5, leaseMs: 1000 });
    await q.drain({ timeoutMs: 3000 });

    assert.equal(attemptsAt.length, 3);
    assert.ok(attemptsAt[1]! - attemptsAt[0]! >= 35, `first retry after ${attemptsAt[1]! - attemptsAt[0]!} ms`);
    assert.ok(attemptsAt[2]! - attemptsAt[1]! >= 75, `second retry after ${attemptsAt[2]! - attemptsAt[1]!} ms`);
    assert.deepEqual(failures, [{ message: 'hypervisor busy (attempt 3)', attempt: 3 }]);
    const task = await q.get(id);
    assert.equal(task?.status, 'failed');
    assert.equal(task?.attempts, 3);
    assert.equal(task?.lastError, 'hypervisor busy (attempt 3)');
  });

  test('a PermanentTaskError fails the task without retries; a failing onFailure is recorded', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    let runs = 0;
    const kind = q.define('test.novalidhost', {
      async run() {
        runs++;
        throw new PermanentTaskError('No valid host was found.');
      },
      async onFailure() {
        throw new Error('cannot reach the database of ports');
      },
    });
    const id = await q.enqueue(db.kysely, { kind, payload: null });
    q.start({ pollMs: 5, leaseMs: 1000 });
    await q.drain({ timeoutMs: 2000 });

    assert.equal(runs, 1);
    const task = await q.get(id);
    assert.equal(task?.status, 'failed');
    assert.equal(task?.lastError, 'No valid host was found.; onFailure: cannot reach the database of ports');
  });

  test('an onFailure cut short by a crash runs again elsewhere, skipping its finished steps', TIMEOUT, async (t) => {
    const { db, defer, queue } = await setup(dialect, t);
    const doomed = db.connectAgain();
    const ran: string[] = [];
    const reachedUndo = gate();
    const hang = gate();
    defer(async () => hang.open());
    let firstWorker = true;
    const definition = {
      maxAttempts: 1,
      async run() {
        ran.push('run');
        throw new Error('spawn failed');
      },
      async onFailure(ctx: { step<T>(name: string, fn: () => Promise<T>): Promise<T> }, error: Error) {
        ran.push(`onFailure: ${error.message}`);
        await ctx.step('undo:port', async () => {
          ran.push('undo:port');
        });
        await ctx.step('undo:disk', async () => {
          ran.push('undo:disk');
          if (firstWorker) {
            reachedUndo.open();
            await hang.promise;
          }
        });
      },
    };
    const a = queue({ db: doomed, owner: 'a' });
    const kind = a.define('test.undo', definition);
    const id = await a.enqueue(db.kysely, { kind, payload: null });
    a.start({ pollMs: 10, leaseMs: 200 });
    await reachedUndo.promise;
    await doomed.close();
    firstWorker = false;

    const b = queue({ owner: 'b' });
    b.define('test.undo', definition);
    b.start({ pollMs: 10, leaseMs: 200 });
    await b.drain({ timeoutMs: 3000 });

    assert.deepEqual(ran, ['run', 'onFailure: spawn failed', 'undo:port', 'undo:disk', 'onFailure: spawn failed', 'undo:disk']);
    const task = await b.get(id);
    assert.equal(task?.status, 'failed');
    assert.equal(task?.attempts, 1);
  });

  test('stop() lets a running attempt finish', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const started = gate();
    const kind = q.define('test.slow', {
      async run(ctx) {
        started.open();
        await ctx.step('work', () => delay(100));
      },
    });
    const id = await q.enqueue(db.kysely, { kind, payload: null });
    q.start({ pollMs: 10, leaseMs: 1000 });
    await started.promise;
    await q.stop({ graceMs: 5000 });
    assert.equal((await q.get(id))?.status, 'succeeded');
  });

  test('stop() releases an attempt that outlives the grace period, and another worker takes it at once', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const a = queue({ owner: 'a' });
    const started = gate();
    let aborted: unknown;
    const kind = a.define('test.stuck', {
      async run(ctx) {
        started.open();
        await new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = ctx.signal.reason;
            reject(ctx.signal.reason);
          }),
        );
      },
    });
    const id = await a.enqueue(db.kysely, { kind, payload: null });
    // A lease far longer than the test: only the release lets b start it.
    a.start({ pollMs: 10, leaseMs: 60_000 });
    await started.promise;
    await a.stop({ graceMs: 30 });
    assert.ok(aborted instanceof TaskLeaseLost);
    const released = await a.get(id);
    assert.equal(released?.status, 'queued');
    assert.equal(released?.attempts, 0);

    const b = queue({ owner: 'b' });
    b.define('test.stuck', { async run() {} });
    b.start({ pollMs: 10, leaseMs: 60_000 });
    await b.drain({ timeoutMs: 2000 });
    const task = await b.get(id);
    assert.equal(task?.status, 'succeeded');
    assert.equal(task?.attempts, 1);
  });
});
