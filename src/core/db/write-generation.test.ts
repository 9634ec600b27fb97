import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { WriteGeneration } from './write-generation.js';

interface Tables {
  watched: { id: number; name: string };
  other: { id: number };
}

const sqlite = new SQLite(':memory:');
const base = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });

before(() => {
  sqlite.exec('CREATE TABLE watched (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE other (id INTEGER PRIMARY KEY)');
});
after(() => base.destroy());

test('a table-filtered generation counts insert, update and delete on its tables only', async () => {
  const writes = new WriteGeneration(['watched']);
  const db = base.withPlugin(writes);
  const start = writes.value;
  await db.insertInto('other').values({ id: 1 }).execute();
  await db.updateTable('other').set({ id: 2 }).execute();
  await db.deleteFrom('other').execute();
  await db.selectFrom('watched').selectAll().execute();
  assert.equal(writes.value, start, 'writes to another table and reads do not move it');
  await db.insertInto('watched').values({ id: 1, name: 'a' }).execute();
  await db.updateTable('watched as w').set({ name: 'b' }).where('w.id', '=', 1).execute();
  await db.deleteFrom('watched').where('id', '=', 1).execute();
  assert.equal(writes.value, start + 3);
});

test('the count moves only after the statement ran, and not for one that failed', async () => {
  const writes = new WriteGeneration(['watched']);
  const db = base.withPlugin(writes);
  const start = writes.value;
  const query = db.insertInto('watched').values({ id: 10, name: 'x' });
  query.compile();
  assert.equal(writes.value, start, 'compiling is not writing');
  const running = query.execute();
  assert.equal(writes.value, start, 'not before the statement has executed');
  await running;
  assert.equal(writes.value, start + 1);
  await assert.rejects(db.insertInto('watched').values({ id: 10, name: 'duplicate' }).execute());
  assert.equal(writes.value, start + 1, 'a failed statement changed nothing');
});

test('without tables every write counts, in a transaction too (even one rolled back)', async () => {
  const writes = new WriteGeneration();
  const db = base.withPlugin(writes);
  const start = writes.value;
  await db.insertInto('other').values({ id: 20 }).execute();
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.deleteFrom('watched').execute();
      throw new Error('roll back');
    }),
  );
  assert.equal(writes.value, start + 2);
});
