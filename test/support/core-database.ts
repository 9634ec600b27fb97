/**
 * A database with the core migrations applied, for one test: it is deleted
 * when the test ends, after the clean-ups registered with `defer` (newest
 * first, so queues stop before their database closes).
 */
import type { TestContext } from 'node:test';
import { migrateService } from '../../src/core/db/migrate.js';
import { coreMigrations } from '../../src/core/migrations/index.js';
import type { Database } from '../../src/core/db/database.js';
import { createLogger } from '../../src/core/logger.js';
import { TaskQueue, type TaskQueueOptions } from '../../src/core/tasks/index.js';
import type { TestDatabase, TestDialect } from './databases.js';

export interface CoreTestDatabase {
  db: TestDatabase;
  defer(cleanup: () => Promise<void>): void;
}

export async function openCoreDatabase(dialect: TestDialect, t: TestContext): Promise<CoreTestDatabase> {
  const db = await dialect.open();
  const cleanups: Array<() => Promise<void>> = [() => db.close()];
  let ended = false;
  t.after(async () => {
    ended = true;
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  await migrateService(db, 'core', coreMigrations);
  return {
    db,
    // A test failed early (e.g. by a stray rejection) may still be running its
    // body: clean up at once, or a queue it starts late would poll forever.
    defer: (cleanup) => {
      if (ended) void cleanup().catch(() => undefined);
      else cleanups.push(cleanup);
    },
  };
}

/**
 * A core database plus a factory for task queues on it (fast retries, silent
 * logs), each stopped when the test ends.
 */
export async function openTaskTestbed(dialect: TestDialect, t: TestContext) {
  const { db, defer } = await openCoreDatabase(dialect, t);
  const logger = createLogger('silent');
  const queue = (options: Partial<TaskQueueOptions> & { db?: Database } = {}) => {
    const q = new TaskQueue({ db, logger, retryBaseMs: 10, ...options });
    defer(() => q.stop({ graceMs: 0 }));
    return q;
  };
  return { db, defer, queue };
}
