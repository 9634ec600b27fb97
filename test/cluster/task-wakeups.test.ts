/**
 * The task queue across processes (core/cluster/task-notices.ts): a task
 * enqueued through one database handle (one process) is claimed by the
 * queue of another within a fraction of its 60 s backstop poll, once the
 * enqueuing transaction commits and not before; a task addressed to an agent
 * host wakes only that host's queue. Runs on the PostgreSQL of
 * NIMBUS_TEST_PG_URL, as SQLite has one process.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { eachDialect } from '../support/databases.js';
import { openTaskTestbed } from '../support/core-database.js';
import type { Database } from '../../src/core/db/database.js';
import type { TaskKind } from '../../src/core/tasks/index.js';

const postgres = eachDialect().find((d) => d.name === 'postgres');
/** Far longer than any wait below: only a wake-up can start the tasks in time. */
const POLL_MS = 60_000;
const TIMEOUT = { timeout: 20_000 };

/** Two queues on two database handles, as two processes have; the first only enqueues. */
async function twoProcesses(t: TestContext, hosts?: readonly string[]) {
  const { db, defer, queue } = await openTaskTestbed(postgres!, t);
  const other: Database = db.connectAgain();
  defer(() => other.close());
  const ran: Array<{ payload: string; at: number }> = [];
  const enqueuer = queue();
  const worker = queue({ db: other, hosts });
  const define = (q: typeof enqueuer): TaskKind<string> =>
    q.define<string>('test.wake', {
      async run(ctx) {
        ran.push({ payload: ctx.payload, at: Date.now() });
      },
    });
  const kind = define(enqueuer);
  define(worker);
  worker.start({ workers: 2, pollMs: POLL_MS });
  // Let the worker go idle and its listening session connect.
  await delay(300);
  return { db, enqueuer, kind, ran };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await delay(10);
  }
  return check();
}

describe('task queue wake-ups across processes', { skip: postgres ? false : 'NIMBUS_TEST_PG_URL not set' }, () => {
  test('a task enqueued in one process runs in another well before the poll, after the commit', TIMEOUT, async (t) => {
    const { db, enqueuer, kind, ran } = await twoProcesses(t);
    const started = Date.now();
    await enqueuer.enqueue(db.kysely, { kind, payload: 'outside a transaction' });
    assert.ok(await waitFor(() => ran.length === 1, 3000), 'the other process ran it');
    assert.ok(ran[0]!.at - started < 3000);

    await db.kysely.transaction().execute(async (trx) => {
      await enqueuer.enqueue(trx, { kind, payload: 'in a transaction' });
      assert.equal(await waitFor(() => ran.length > 1, 300), false, 'not before the commit');
    });
    assert.ok(await waitFor(() => ran.length === 2, 3000), 'run after the commit');
    assert.equal(ran[1]!.payload, 'in a transaction');
  });

  test("a host's task wakes that host's queue; a task for no host does not", TIMEOUT, async (t) => {
    const { db, enqueuer, kind, ran } = await twoProcesses(t, ['compute1']);
    await enqueuer.enqueue(db.kysely, { kind, payload: 'for any API process' });
    assert.equal(await waitFor(() => ran.length > 0, 500), false, 'an agent does not claim tasks for no host');
    await enqueuer.enqueue(db.kysely, { kind, payload: 'for compute1', host: 'compute1' });
    assert.ok(await waitFor(() => ran.length === 1, 3000));
    assert.equal(ran[0]!.payload, 'for compute1');
  });
});
