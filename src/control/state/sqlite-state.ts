/**
 * The database half of a state snapshot, on SQLite. Saving is `VACUUM INTO`
 * (one consistent copy, taken while the connection every service shares is
 * held). Loading copies the snapshot's rows back over the live tables in one
 * transaction through ATTACH, instead of swapping the file: the connection,
 * its prepared statements and every service's Kysely instance stay valid.
 *
 * Reset between tests must be fast, and most tests touch a few of the 100
 * and more tables: temporary triggers (on this connection only, never in the
 * database file) note each table written, so that loading the snapshot the
 * rows were last saved to or loaded from copies only those tables back.
 */
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { NoTables } from '../../core/db/database.js';
import { Conflict } from '../../core/errors.js';
import { schemaDifference, type DatabaseState, type SnapshotPlace } from './database-state.js';

const DATABASE_FILE = 'database.sqlite';
const SNAPSHOT_SCHEMA = 'nimbus_snapshot';
const WRITTEN_TABLE = 'nimbus_state_written';
/** AUTOINCREMENT's counters: no trigger can watch this table, so it is always copied. */
const SEQUENCES = 'sqlite_sequence';

/** The one connection is held throughout: no other query interleaves, so files copied while it is held match the rows. */
export class SqliteState implements DatabaseState {
  /** The live tables and their columns, in the schema's order (read once: migrations run only at start-up). */
  #columns: Map<string, string[]> | null = null;
  #watching = false;

  /** Writes the whole database to the snapshot's `database.sqlite`; from then on, writes are noted against it. */
  async save(connection: Kysely<NoTables>, place: SnapshotPlace, files: () => void): Promise<number> {
    await this.#watchWrites(connection);
    await sql`VACUUM INTO ${join(place.dir, DATABASE_FILE)}`.execute(connection);
    await sql`DELETE FROM ${sql.table(`temp.${WRITTEN_TABLE}`)}`.execute(connection);
    files();
    return 0;
  }

  /** Only the tables written since when `sinceSynced`, every table otherwise. */
  async load(connection: Kysely<NoTables>, place: SnapshotPlace, sinceSynced: boolean, files: () => void): Promise<void> {
    await this.#watchWrites(connection);
    const live = await this.#liveColumns(connection);
    await sql`ATTACH DATABASE ${join(place.dir, DATABASE_FILE)} AS ${sql.id(SNAPSHOT_SCHEMA)}`.execute(connection);
    // The snapshot's rows hold together as they did when saved: checking each
    // foreign key, or cascading each delete, would only cost time.
    await sql`PRAGMA foreign_keys = OFF`.execute(connection);
    try {
      if (!sinceSynced) {
        const mismatch = schemaDifference(live, await tableColumns(connection, SNAPSHOT_SCHEMA));
        if (mismatch) throw new Conflict(`The snapshot was made by another database schema (${mismatch}); it cannot be loaded into this cloud.`);
      }
      const tables = sinceSynced ? [...(await this.#writtenTables(connection)), SEQUENCES].filter((t) => live.has(t)) : [...live.keys()];
      await sql`BEGIN IMMEDIATE`.execute(connection);
      try {
        for (const table of tables) await copyTable(connection, table, live.get(table) ?? []);
        await sql`DELETE FROM ${sql.table(`temp.${WRITTEN_TABLE}`)}`.execute(connection);
        await sql`COMMIT`.execute(connection);
      } catch (error) {
        await sql`ROLLBACK`.execute(connection);
        throw error;
      }
    } finally {
      await sql`PRAGMA foreign_keys = ON`.execute(connection);
      await sql`DETACH DATABASE ${sql.id(SNAPSHOT_SCHEMA)}`.execute(connection);
    }
    // Rows first: a schema mismatch refuses the load before any file changes.
    files();
  }

  /** All of a SQLite snapshot is in its folder. */
  async discard(): Promise<void> {}

  async #liveColumns(connection: Kysely<NoTables>): Promise<Map<string, string[]>> {
    this.#columns ??= await tableColumns(connection, 'main');
    return this.#columns;
  }

  async #writtenTables(connection: Kysely<NoTables>): Promise<string[]> {
    const rows = await sql<{ name: string }>`SELECT name FROM ${sql.table(`temp.${WRITTEN_TABLE}`)}`.execute(connection);
    return rows.rows.map((r) => r.name);
  }

  async #watchWrites(connection: Kysely<NoTables>): Promise<void> {
    if (this.#watching) return;
    await sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.id(WRITTEN_TABLE)} (name TEXT PRIMARY KEY) WITHOUT ROWID`.execute(connection);
    for (const table of (await this.#liveColumns(connection)).keys()) {
      if (table === SEQUENCES) continue;
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        const trigger = sql.id(`${WRITTEN_TABLE}_${event.toLowerCase()}_${table}`);
        // Guarded instead of INSERT OR IGNORE: a statement's own conflict clause (INSERT OR ROLLBACK, ...) overrides a trigger's.
        await sql`CREATE TEMP TRIGGER IF NOT EXISTS ${trigger} AFTER ${sql.raw(event)} ON ${sql.table(`main.${table}`)}
          BEGIN INSERT INTO ${sql.id(WRITTEN_TABLE)} (name) SELECT ${sql.lit(table)} WHERE NOT EXISTS
            (SELECT 1 FROM ${sql.id(WRITTEN_TABLE)} WHERE name = ${sql.lit(table)}); END`.execute(connection);
      }
    }
    this.#watching = true;
  }
}

async function copyTable(connection: Kysely<NoTables>, table: string, columns: string[]): Promise<void> {
  const list = sql.join(columns.map((c) => sql.id(c)));
  await sql`DELETE FROM ${sql.table(`main.${table}`)}`.execute(connection);
  await sql`INSERT INTO ${sql.table(`main.${table}`)} (${list}) SELECT ${list} FROM ${sql.table(`${SNAPSHOT_SCHEMA}.${table}`)}`.execute(connection);
}

/** Tables (with AUTOINCREMENT's counters, not SQLite's statistics) and their columns, in the schema's order. */
async function tableColumns(kysely: Kysely<NoTables>, schema: string): Promise<Map<string, string[]>> {
  const master = sql.table(`${schema}.sqlite_master`);
  const tables = await sql<{
    name: string;
  }>`SELECT name FROM ${master} WHERE type = 'table' AND (name NOT LIKE 'sqlite_%' OR name = ${SEQUENCES}) ORDER BY name`.execute(kysely);
  const result = new Map<string, string[]>();
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name}, ${schema}) ORDER BY cid`.execute(kysely);
    result.set(
      name,
      columns.rows.map((c) => c.name),
    );
  }
  return result;
}
