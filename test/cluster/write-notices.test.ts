/**
 * Cross-process cache invalidation below the server: a write to a watched
 * table through one database handle reaches another handle's WriteGeneration
 * once committed, never for a rollback or an unwatched table; and the
 * generation is distrusted while its listening session is down. Runs on the
 * PostgreSQL of NIMBUS_TEST_PG_URL (a throw-away schema), as SQLite has one process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eachDialect, type TestDatabase } from '../support/databases.js';
import type { Database } from '../../src/core/db/database.js';
import { WriteGeneration } from '../../src/core/db/write-generation.js';
import { followClusterWrites, type WriteFollower } from '../../src/core/cluster/write-notifications.js';
import { createLogger } from '../../src/core/logger.js';

const postgres = eachDialect().find((d) => d.name === 'postgres');
const CHANNEL = `nimbus_test_${process.pid}`;

/** Resolves once `writes` moved past `from`, or with false after `ms`. */
async function changes(writes: WriteGeneration, from: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (writes.value !== from) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe('write notices across database handles', { skip: postgres ? false : 'NIMBUS_TEST_PG_URL not set' }, () => {
  let base: TestDatabase;
  let writer: Database;
  let reader: Database;
  let follower: WriteFollower;
  const seen = new WriteGeneration();

  before(async () => {
    // The handles a server process would have (the test database's own wraps them, without notices).
    base = await postgres!.open();
    writer = base.connectAgain();
    reader = base.connectAgain();
    await sql`CREATE TABLE watched (id integer)`.execute(base.kysely);
    await sql`CREATE TABLE other (id integer)`.execute(base.kysely);
    writer.notifyWrites?.(CHANNEL, ['watched']);
    follower = await followClusterWrites(reader, CHANNEL, ['watched'], seen, createLogger('silent', 'json'));
  });

  after(async () => {
    await follower?.stop();
    await reader?.close();
    await writer?.close();
    await base?.close();
  });

  const db = () => writer.kysely.withTables<{ watched: { id: number }; other: { id: number } }>();

  test('a committed write to a watched table is heard; one to another table is not', async () => {
    let from = seen.value;
    await db().insertInto('other').values({ id: 1 }).execute();
    assert.equal(await changes(seen, from, 300), false);
    from = seen.value;
    await db().insertInto('watched').values({ id: 1 }).execute();
    assert.equal(await changes(seen, from, 2000), true);
  });

  test('inside a transaction: heard after the commit, never after a rollback', async () => {
    let from = seen.value;
    await db()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('watched').set({ id: 2 }).execute();
        assert.equal(await changes(seen, from, 300), false, 'not before the commit');
      });
    assert.equal(await changes(seen, from, 2000), true);
    from = seen.value;
    await assert.rejects(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx.deleteFrom('watched').execute();
          throw new Error('roll back');
        }),
    );
    assert.equal(await changes(seen, from, 300), false);
  });
});

test('a suspended generation matches nothing cached until resumed', () => {
  const writes = new WriteGeneration();
  const cached = writes.value;
  writes.suspend();
  assert.notEqual(writes.value, writes.value);
  writes.resume();
  const now = writes.value;
  assert.notEqual(now, cached, 'what was cached before the gap stays invalid');
  assert.equal(writes.value, now);
});
