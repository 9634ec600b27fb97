/**
 * Wakes the task queues of every process when a task is enqueued
 * (core/tasks): the enqueuer NOTIFYs `nimbus_tasks` with the task's host (an
 * agent's) or an empty payload (a task any API process may run), inside the
 * enqueuing transaction, so it is delivered when that commits and never for a
 * rollback. Each queue listens on its process's shared session (channels.ts)
 * and wakes its idle workers when the task is one it may claim; without this
 * a task enqueued elsewhere would wait for the backstop poll. A notice lost
 * while the session is down only delays a task to that poll (and the queue
 * looks for work when the session is back). On SQLite (one process) nothing is sent.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { subscribeChannel, type ChannelSubscription } from './channels.js';

const CHANNEL = 'nimbus_tasks';

/** Tells every process that a task for `host` (null: for no host) is queued, at the commit of `db`'s transaction if it is one. */
export async function notifyTaskQueued<DB>(db: Kysely<DB>, dialect: Database['dialect'], host: string | null): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`SELECT pg_notify(${CHANNEL}, ${host ?? ''})`.execute(db);
}

/** Calls `wake` whenever a task for one of `hosts` (null: a task for no host) is enqueued by any process, and when listening (re)starts. */
export function listenTaskQueued(db: Database, hosts: readonly string[] | null, wake: () => void, log: Logger): Promise<ChannelSubscription> {
  const mine = (payload: string) => (hosts === null ? payload === '' : hosts.includes(payload));
  return subscribeChannel(
    db,
    CHANNEL,
    {
      onNotice: (payload) => {
        if (mine(payload)) wake();
      },
      // Tasks enqueued while nobody listened are due now.
      onUp: wake,
      onDown: () => undefined,
    },
    log,
  );
}
