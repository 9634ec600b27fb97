/**
 * Wakes a host's agent when a task addressed to its host is enqueued
 * (core/tasks `host`): the enqueuer NOTIFYs `nimbus_host_tasks` with the host's
 * name, delivered when its transaction commits; the agent LISTENs on a session
 * of its own and wakes its workers, so host work starts within milliseconds
 * instead of at the next poll. A notice lost while the session is down only
 * delays the task to that poll. On SQLite (one process) nothing is sent.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { DedicatedSession } from './dedicated-session.js';

const CHANNEL = 'nimbus_host_tasks';

/** Tells the host's agent that a task for it is queued (inside `db`'s transaction, if it is one). */
export async function notifyHostTask<DB>(db: Kysely<DB>, dialect: Database['dialect'], host: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`SELECT pg_notify(${CHANNEL}, ${host})`.execute(db);
}

export interface HostTaskListener {
  stop(): Promise<void>;
}

/** Calls `wake` whenever a task for one of `hosts` is enqueued; on SQLite does nothing. */
export async function listenHostTasks(db: Database, hosts: readonly string[], wake: () => void, log: Logger): Promise<HostTaskListener> {
  const open = db.dedicatedClient?.bind(db);
  if (!open) return { stop: async () => undefined };
  const session = new DedicatedSession(
    open,
    {
      async onConnect(client) {
        client.on('notification', (notice) => {
          if (notice.payload !== undefined && hosts.includes(notice.payload)) wake();
        });
        await client.query(`LISTEN ${CHANNEL}`);
        // Tasks enqueued while no session listened are due now.
        wake();
      },
      onLost: () => undefined,
    },
    log.child({ cluster: CHANNEL }),
  );
  await session.start();
  return { stop: () => session.close() };
}
