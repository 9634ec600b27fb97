import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { forEachDialect } from '../../../test/support/databases.js';
import { openTaskTestbed } from '../../../test/support/core-database.js';

/** Tests wait on gates and drains; a bug must fail them, not hang the run. */
const TIMEOUT = { timeout: 10_000 };

const setup = openTaskTestbed;

forEachDialect('task queue', (dialect) => {
  test('a task enqueued in a rolled-back transaction does not exist; a committed one does', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const kind = q.define<{ name: string }>('test.noop', { async run() {} });

    let rolledBack = '';
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        rolledBack = await q.enqueue(trx, { kind, payload: { name: 'lost' } });
        throw new Error('the resource insert failed');
      }),
      /the resource insert failed/,
    );
    assert.notEqual(rolledBack, '');
    assert.equal(await q.get(rolledBack), null);

    const committed = await db.kysely.transaction().execute((trx) => q.enqueue(trx, { kind, payload: { name: 'kept' }, resourceId: 'r-1' }));
    const task = await q.get(committed);
    assert.equal(task?.status, 'queued');
    assert.deepEqual(task?.payload, { name: 'kept' });
    assert.equal(task?.resourceId, 'r-1');
    assert.equal(task?.attempts, 0);
  });

  test('an enqueue wakes idle workers at once, and the task sees its payload', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const seen: unknown[] = [];
    const kind = q.define<{ size: number }>('test.build', {
      async run(ctx) {
        seen.push({ kind: ctx.kind, payload: ctx.payload, resourceId: ctx.resourceId, attempt: ctx.attempt });
        assert.equal(await ctx.step('make', async () => ctx.payload.size * 2), 84);
      },
    });
    // A poll period far longer than the test: only the wake-up can start the task in time.
    q.start({ workers: 2, pollMs: 60_000, leaseMs: 1000 });
    await delay(20);
    const id = await q.enqueue(db.kysely, { kind, payload: { size: 42 }, resourceId: 'server-1' });
    await q.drain({ timeoutMs: 2000 });

    assert.deepEqual(seen, [{ kind: 'test.build', payload: { size: 42 }, resourceId: 'server-1', attempt: 1 }]);
    const task = await q.get(id);
    assert.equal(task?.status, 'succeeded');
    assert.deepEqual(task?.completedSteps, ['make']);
    assert.ok(task?.finishedAt);
  });

  test('a task is not run before its runAfter time', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const ranAt: number[] = [];
    const kind = q.define('test.later', {
      async run() {
        ranAt.push(Date.now());
      },
    });
    const enqueuedAt = Date.now();
    await q.enqueue(db.kysely, { kind, payload: null, runAfter: new Date(enqueuedAt + 150) });
    q.start({ pollMs: 10, leaseMs: 1000 });
    await q.drain({ timeoutMs: 2000 });
    assert.equal(ranAt.length, 1);
    assert.ok(ranAt[0]! - enqueuedAt >= 140, `ran after ${ranAt[0]! - enqueuedAt} ms`);
  });

  test("with a poll far longer than the test, a delayed task, a retry and a dead worker's lease each come due on time", TIMEOUT, async (t) => {
    const { db, defer, queue } = await setup(dialect, t);
    const attempts = new Map<string, number>();
    const hang = new Promise<void>((resolve) => defer(async () => resolve()));
    const definition = {
      async run(ctx: { taskId: string; payload: unknown }) {
        const attempt = (attempts.get(ctx.taskId) ?? 0) + 1;
        attempts.set(ctx.taskId, attempt);
        if (ctx.payload === 'flaky' && attempt === 1) throw new Error('first attempt fails');
        if (ctx.payload === 'orphan' && attempt === 1) await hang;
      },
    };
    // The orphan's first worker "dies": its own connection closes under it, its lease (200 ms) is never renewed.
    const doomed = db.connectAgain();
    const dying = queue({ db: doomed, owner: 'dying' });
    const dyingKind = dying.define('test.due', definition);
    const q = queue({ owner: 'alive' });
    const kind = q.define('test.due', definition);
    const orphan = await dying.enqueue(db.kysely, { kind: dyingKind, payload: 'orphan' });
    dying.start({ workers: 1, pollMs: 60_000, leaseMs: 200 });
    while ((await q.get(orphan))?.status !== 'running') await delay(5);
    await doomed.close();

    const started = Date.now();
    q.start({ pollMs: 60_000, leaseMs: 1000 });
    const later = await q.enqueue(db.kysely, { kind, payload: 'later', runAfter: new Date(Date.now() + 150) });
    const flaky = await q.enqueue(db.kysely, { kind, payload: 'flaky' });
    await q.drain({ timeoutMs: 3000 });
    assert.ok(Date.now() - started < 3000);
    for (const id of [orphan, later, flaky]) assert.equal((await q.get(id))?.status, 'succeeded');
    assert.equal((await q.get(flaky))?.attempts, 2, 'the retry ran after its delay');
    assert.equal((await q.get(orphan))?.attempts, 2, 'the lease that ran out was taken over');
  });

  test('two queues on two connections never run the same task at once, and run each once', TIMEOUT, async (t) => {
    const { db, defer, queue } = await setup(dialect, t);
    const other = db.connectAgain();
    defer(() => other.close());
    const active = new Set<string>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    const definition = {
      async run(ctx: { taskId: string }) {
        if (active.has(ctx.taskId)) overlaps++;
        active.add(ctx.taskId);
        runs.set(ctx.taskId, (runs.get(ctx.taskId) ?? 0) + 1);
        await delay(3);
        active.delete(ctx.taskId);
      },
    };
    const a = queue({ owner: 'a' });
    const b = queue({ db: other, owner: 'b' });
    const kind = a.define('test.race', definition);
    b.define('test.race', definition);

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await a.enqueue(db.kysely, { kind, payload: i }));
    a.start({ workers: 3, pollMs: 5, leaseMs: 2000 });
    b.start({ workers: 3, pollMs: 5, leaseMs: 2000 });
    await a.drain({ timeoutMs: 5000 });

    assert.equal(overlaps, 0);
    assert.deepEqual(
      ids.map((id) => runs.get(id)),
      ids.map(() => 1),
    );
    for (const id of ids) assert.equal((await a.get(id))?.status, 'succeeded');
  });

  test('a task addressed to a host is claimed only by that host’s queue, which claims nothing else; a cancel fails a queued one', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const ranBy: Array<[string, string]> = [];
    const definition = (who: string) => ({
      async run(ctx: { payload: string; step<T>(name: string, fn: () => Promise<T>): Promise<T> }) {
        ranBy.push([ctx.payload, who]);
        await ctx.step('call', async () => `${ctx.payload} by ${who}`);
      },
    });
    const api = queue({ owner: 'api' });
    const h1 = queue({ owner: 'h1', hosts: ['h1'] });
    const h2 = queue({ owner: 'h2', hosts: ['h2'] });
    const kind = api.define('test.host', definition('api'));
    h1.define('test.host', definition('h1'));
    h2.define('test.host', definition('h2'));
    const cancelled = await api.enqueue(db.kysely, { kind, payload: 'for-h3', host: 'h3' });
    assert.equal(await api.cancel(cancelled, 'host h3 is down'), true);
    const ids = [
      await api.enqueue(db.kysely, { kind, payload: 'for-h1', host: 'h1' }),
      await api.enqueue(db.kysely, { kind, payload: 'anyone' }),
      await api.enqueue(db.kysely, { kind, payload: 'for-h2', host: 'h2' }),
    ];
    for (const q of [api, h1, h2]) q.start({ workers: 2, pollMs: 10, leaseMs: 1000 });
    await api.drain({ timeoutMs: 3000 });
    assert.deepEqual(ranBy.sort(), [
      ['anyone', 'api'],
      ['for-h1', 'h1'],
      ['for-h2', 'h2'],
    ]);
    assert.deepEqual((await api.get(ids[0] as string))?.results, { call: 'for-h1 by h1' });
    assert.equal((await api.get(ids[0] as string))?.host, 'h1');
    const gaveUp = await api.get(cancelled);
    assert.equal(gaveUp?.status, 'failed');
    assert.equal(gaveUp?.lastError, 'host h3 is down');
    assert.equal(await api.cancel(cancelled, 'again'), false);
  });

  test('a step name used twice in one attempt fails the attempt', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const kind = q.define('test.twice', {
      maxAttempts: 1,
      async run(ctx) {
        await ctx.step('attach', async () => 'vol-1');
        await ctx.step('attach', async () => 'vol-2');
      },
    });
    const id = await q.enqueue(db.kysely, { kind, payload: null });
    q.start({ pollMs: 10, leaseMs: 1000 });
    await q.drain({ timeoutMs: 2000 });
    const task = await q.get(id);
    assert.equal(task?.status, 'failed');
    assert.match(task?.lastError ?? '', /step "attach" ran twice/);
  });

  test('finished tasks are purged once older than the retention', TIMEOUT, async (t) => {
    const { db, queue } = await setup(dialect, t);
    const q = queue();
    const kind = q.define('test.purge', { async run() {} });
    const done = await q.enqueue(db.kysely, { kind, payload: null });
    q.start({ pollMs: 10, leaseMs: 1000 });
    await q.drain({ timeoutMs: 2000 });
    const waiting = await q.enqueue(db.kysely, { kind, payload: null, runAfter: new Date(Date.now() + 60_000) });

    assert.equal(await q.purgeFinished(60_000), 0);
    await delay(5);
    assert.equal(await q.purgeFinished(0), 1);
    assert.equal(await q.get(done), null);
    assert.equal((await q.get(waiting))?.status, 'queued');
  });
});
