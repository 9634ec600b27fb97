/**
 * Cross-process cache invalidation on PostgreSQL. A process's WriteGeneration
 * counts its own writes; the others' reach it as LISTEN/NOTIFY notifications,
 * which every process sends after its writes to the watched tables
 * (write-notices.ts) and PostgreSQL delivers only when the writing
 * transaction commits (a rolled-back write tells nobody, and the
 * notifications of one transaction fold into one). So a process that
 * re-reads on a notification sees the committed rows, within milliseconds.
 *
 * Chosen over a generation row polled by every process: no query per request
 * or per tick, and the delay is the network's, not a polling interval. A process
 * also hears its own commits: one more re-read, which closes the window where
 * a concurrent request cached rows read before the commit.
 *
 * While the listening session is down notifications can be lost, so the
 * generation is suspended (caches keyed on it hold nothing) until it is back.
 */
import type { Database } from '../db/database.js';
import type { WriteGeneration } from '../db/write-generation.js';
import type { Logger } from '../logger.js';
import { DedicatedSession } from './dedicated-session.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export interface WriteFollower {
  stop(): Promise<void>;
}

const NOTHING_TO_FOLLOW: WriteFollower = { stop: async () => undefined };

/**
 * On PostgreSQL: makes every write to `tables` (by any process) notify
 * `channel`, and counts those notifications into `writes`. On SQLite, where one
 * process owns the database, does nothing.
 */
export async function followClusterWrites(
  db: Database,
  channel: string,
  tables: readonly string[],
  writes: WriteGeneration,
  log: Logger,
): Promise<WriteFollower> {
  const open = db.dedicatedClient?.bind(db);
  if (!open) return NOTHING_TO_FOLLOW;
  if (!IDENTIFIER.test(channel)) throw new Error(`Not a plain identifier for a notification channel: ${channel}`);
  db.notifyWrites?.(channel, tables);
  writes.suspend();
  const session = new DedicatedSession(
    open,
    {
      async onConnect(client) {
        client.on('notification', () => writes.countExternalWrite());
        await client.query(`LISTEN ${channel}`);
        writes.resume();
      },
      onLost: () => writes.suspend(),
    },
    log.child({ cluster: channel }),
  );
  await session.start();
  return { stop: () => session.close() };
}
