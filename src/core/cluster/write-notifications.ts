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
import { subscribeChannel } from './channels.js';

export interface WriteFollower {
  stop(): Promise<void>;
}

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
  if (!db.notifyWrites) return { stop: async () => undefined };
  db.notifyWrites(channel, tables);
  writes.suspend();
  return subscribeChannel(db, channel, { onNotice: () => writes.countExternalWrite(), onUp: () => writes.resume(), onDown: () => writes.suspend() }, log);
}
