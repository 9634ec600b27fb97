/**
 * Store tests run once per database engine, so one suite checks both
 * dialects: SQLite always, PostgreSQL when `NIMBUS_TEST_PG_URL` points at a
 * server. Every `open()` gives a fresh, empty database that its `close()`
 * deletes (a temporary SQLite file; a throw-away PostgreSQL schema `t_<random>`),
 * so tests never see each other's rows and can run in parallel.
 *
 * ```ts
 * forEachDialect('quota engine', (dialect) => {
 *   test('reserves', async () => {
 *     const db = await dialect.open();
 *     try { ... } finally { await db.close(); }
 *   });
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database, type Dialect } from '../../src/core/db/database.js';

/** The environment variable naming the PostgreSQL server for tests, e.g. `postgres://u:p@127.0.0.1:5432/db`. */
export const PG_URL_ENV = 'NIMBUS_TEST_PG_URL';

export interface TestDatabase extends Database {
  /**
   * Another connection to the same database, as a second process would have
   * (for crash and takeover tests). Closing it leaves the data in place; close
   * it before the `TestDatabase` itself.
   */
  connectAgain(): Database;
}

export interface TestDialect {
  readonly name: Dialect;
  /** A fresh, empty database; its `close()` deletes it. */
  open(): Promise<TestDatabase>;
}

/** The dialects to test on: SQLite always, PostgreSQL when `NIMBUS_TEST_PG_URL` is set. */
export function eachDialect(): TestDialect[] {
  const dialects: TestDialect[] = [{ name: 'sqlite', open: async () => openSqlite() }];
  const pgUrl = process.env[PG_URL_ENV];
  if (pgUrl) dialects.push({ name: 'postgres', open: () => openPostgres(pgUrl) });
  return dialects;
}

let skipReported = false;

/**
 * Declares `describe('<suite> [<dialect>]', ...)` once per dialect. When
 * PostgreSQL is not configured it says so once per test file with a skipped
 * test, so a green run never hides that half the matrix did not run.
 */
export function forEachDialect(suite: string, body: (dialect: TestDialect) => void): void {
  for (const dialect of eachDialect()) describe(`${suite} [${dialect.name}]`, () => body(dialect));
  if (!process.env[PG_URL_ENV] && !skipReported) {
    skipReported = true;
    test(`postgres: skipped (${PG_URL_ENV} not set)`, { skip: `${PG_URL_ENV} not set` }, () => {});
  }
}

function openSqlite(): TestDatabase {
  // A file, not `:memory:`, so that `connectAgain` can reach the same data.
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-test-'));
  const connection = join(dir, 'test.sqlite');
  const db = openDatabase({ connection });
  return {
    dialect: db.dialect,
    kysely: db.kysely,
    connectAgain: () => openDatabase({ connection }),
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(connection: string): Promise<TestDatabase> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const db = openDatabase({ connection, schema });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db.kysely);
  return {
    dialect: db.dialect,
    kysely: db.kysely,
    connectAgain: () => openDatabase({ connection, schema }),
    close: async () => {
      try {
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db.kysely);
      } finally {
        await db.close();
      }
    },
  };
}
