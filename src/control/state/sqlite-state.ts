/**
 * The database half of a state snapshot, on SQLite. Saving is `VACUUM INTO`
 * (one consistent copy, taken while the connection every service shares is
 * held). Loading copies the snapshot's rows back over the live tables in one
 * transaction through ATTACH, instead of swapping the file: the connection,
 * its prepared statements and every service's Kysely instance stay valid.
 */
import { sql, type Kysely } from 'kysely';
import type { NoTables } from '../../core/db/database.js';
import { Conflict } from '../../core/errors.js';

const SNAPSHOT_SCHEMA = 'nimbus_snapshot';

/** Writes the whole database to `file` (which must not exist). */
export async function saveSqlite(kysely: Kysely<NoTables>, file: string): Promise<void> {
  await sql`VACUUM INTO ${file}`.execute(kysely);
}

/**
 * Replaces every row of every table with the snapshot's, through a
 * connection the caller holds (`kysely.connection()`). Foreign keys are
 * checked at commit, once every table holds its new rows; a snapshot made by
 * another schema (a migration ran since) is refused before anything changes.
 */
export async function loadSqlite(connection: Kysely<NoTables>, file: string): Promise<void> {
  await sql`ATTACH DATABASE ${file} AS ${sql.id(SNAPSHOT_SCHEMA)}`.execute(connection);
  try {
    const live = await tableColumns(connection, 'main');
    const saved = await tableColumns(connection, SNAPSHOT_SCHEMA);
    const mismatch = schemaDifference(live, saved);
    if (mismatch) throw new Conflict(`The snapshot was made by another database schema (${mismatch}); it cannot be loaded into this cloud.`);
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      await sql`PRAGMA defer_foreign_keys = ON`.execute(connection);
      for (const table of live.keys()) await sql`DELETE FROM ${sql.table(`main.${table}`)}`.execute(connection);
      for (const [table, columns] of live) {
        const list = sql.join(columns.map((c) => sql.id(c)));
        await sql`INSERT INTO ${sql.table(`main.${table}`)} (${list}) SELECT ${list} FROM ${sql.table(`${SNAPSHOT_SCHEMA}.${table}`)}`.execute(connection);
      }
      await sql`COMMIT`.execute(connection);
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      throw error;
    }
  } finally {
    await sql`DETACH DATABASE ${sql.id(SNAPSHOT_SCHEMA)}`.execute(connection);
  }
}

/** Tables (with AUTOINCREMENT's counters, not SQLite's statistics) and their columns, in the schema's order. */
async function tableColumns(kysely: Kysely<NoTables>, schema: string): Promise<Map<string, string[]>> {
  const master = sql.table(`${schema}.sqlite_master`);
  const tables = await sql<{
    name: string;
  }>`SELECT name FROM ${master} WHERE type = 'table' AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence') ORDER BY name`.execute(kysely);
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

function schemaDifference(live: Map<string, string[]>, saved: Map<string, string[]>): string | null {
  for (const [table, columns] of live) {
    const other = saved.get(table);
    if (!other) return `table ${table} is not in the snapshot`;
    if (other.join() !== columns.join()) return `table ${table} has other columns`;
  }
  for (const table of saved.keys()) if (!live.has(table)) return `table ${table} is not in this cloud`;
  return null;
}
