/**
 * Work that one process of the cluster does at a time (periodic jobs): whoever
 * holds a PostgreSQL session advisory lock named after the job runs it. The
 * lock lives on a connection of its own, so a process that dies (kill -9, lost
 * host) releases it when PostgreSQL ends its session, and another process
 * takes it at its next tick. A process whose session breaks stops counting
 * itself the holder at once. On SQLite one process owns the database and
 * always holds.
 */
import type pg from 'pg';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { DedicatedSession } from './dedicated-session.js';

export interface ClusterSingleton {
  /** True when this process may run `job` now (it holds the job's lock, taking it if free). */
  holds(job: string): Promise<boolean>;
  close(): Promise<void>;
}

const ALWAYS: ClusterSingleton = { holds: async () => true, close: async () => undefined };

export async function clusterSingleton(db: Database, log: Logger): Promise<ClusterSingleton> {
  const open = db.dedicatedClient?.bind(db);
  if (!open) return ALWAYS;
  const held = new Set<string>();
  const session = new DedicatedSession(open, { onConnect: async () => undefined, onLost: () => held.clear() }, log.child({ cluster: 'singleton' }));
  await session.start();
  return {
    async holds(job) {
      const client = session.client;
      if (!client) return false;
      if (held.has(job)) return true;
      if (await tryLock(client, job)) held.add(job);
      return held.has(job);
    },
    close: () => session.close(),
  };
}

async function tryLock(client: pg.Client, job: string): Promise<boolean> {
  // A 64-bit hash of a namespaced name: Nimbus's locks never collide with another application's small integers.
  try {
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [`nimbus:${job}`]);
    return result.rows[0]?.locked === true;
  } catch {
    return false;
  }
}
