/**
 * The database half of a state snapshot, on PostgreSQL: a schema of its own
 * (`nimbus_snap_<snapshot id>`, so that clouds sharing one database never
 * meet) holding a copy of every table of the cloud's schema, and the values
 * of its sequences.
 *
 * Save runs in one REPEATABLE READ transaction that first locks every table
 * in SHARE mode: requests still read, no service commits a write until the
 * rows are copied and the files (copied before COMMIT) match them. Load
 * empties every table and copies the saved rows back in one transaction,
 * parents before children so that each foreign key holds as rows arrive,
 * and sets the sequences back; the row locks make other writers wait for
 * the whole of it, the files included.
 *
 * Reset between tests must be fast, and a test touches a few of the 100 and
 * more tables. Loading the snapshot the rows were last saved to or loaded
 * from copies back only the tables changed since: those holding a row
 * version written by a transaction that was not yet over then (its `xmin`
 * at or after that moment's oldest running transaction), or another count
 * of rows (a delete), and the tables whose foreign keys point at those.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { NoTables } from '../../core/db/database.js';
import { Conflict } from '../../core/errors.js';
import { schemaDifference, type DatabaseState, type SnapshotPlace } from './database-state.js';

/** The snapshot's own table of sequence values: a name no migration makes (a colon). */
const SEQUENCES = 'nimbus:sequences';

/** The moment the live rows were last the snapshot's: which row versions are later, and each table's count then. */
interface SyncPoint {
  snapshot: string;
  /** The oldest transaction running then (32 bits, as `xmin` is): row versions of it or later may be newer. */
  oldestRunning: string;
  /** The load's own transaction: the rows it wrote are the snapshot's. */
  own: string;
  counts: Map<string, number>;
}

interface LiveSchema {
  name: string;
  /** Every table's columns in order (generated ones too: the snapshot holds their values). */
  columns: Map<string, string[]>;
  /** The columns an INSERT may name (not the generated ones). */
  insertable: Map<string, string[]>;
  /** Tables in an order where each comes after those its foreign keys point to. */
  parentsFirst: string[];
  /** The tables whose foreign keys point at each table. */
  children: Map<string, string[]>;
  sequences: string[];
}

export class PostgresState implements DatabaseState {
  /** Read once: migrations run only at start-up. */
  #live: LiveSchema | null = null;
  #synced: SyncPoint | null = null;

  async save(connection: Kysely<NoTables>, place: SnapshotPlace, files: () => void): Promise<number> {
    const live = await this.#liveSchema(connection);
    const snapshot = snapshotSchema(place);
    return transaction(connection, 'REPEATABLE READ', async () => {
      // Before the first query, so that the rows read are those after every write in flight.
      await sql`LOCK TABLE ${tableList(live.name, [...live.columns.keys()])} IN SHARE MODE`.execute(connection);
      await sql`CREATE SCHEMA ${sql.id(snapshot)}`.execute(connection);
      for (const table of live.columns.keys()) {
        await sql`CREATE TABLE ${sql.id(snapshot, table)} AS TABLE ${sql.id(live.name, table)}`.execute(connection);
      }
      await sql`CREATE TABLE ${sql.id(snapshot, SEQUENCES)} (name text PRIMARY KEY, last_value bigint NOT NULL, is_called boolean NOT NULL)`.execute(
        connection,
      );
      if (live.sequences.length > 0) {
        const values = live.sequences.map((s) => sql`SELECT ${s}, last_value, is_called FROM ${sql.id(live.name, s)}`);
        await sql`INSERT INTO ${sql.id(snapshot, SEQUENCES)} ${sql.join(values, sql` UNION ALL `)}`.execute(connection);
      }
      files();
      this.#synced = { snapshot, ...(await transactionPoint(connection)), counts: await rowCounts(connection, snapshot, [...live.columns.keys()]) };
      const size = await sql<{ bytes: string | null }>`SELECT sum(pg_total_relation_size(oid)) AS bytes FROM pg_class
        WHERE relnamespace = CAST(${snapshot} AS regnamespace) AND relkind = 'r'`.execute(connection);
      return Number(size.rows[0]?.bytes ?? 0);
    });
  }

  async load(connection: Kysely<NoTables>, place: SnapshotPlace, sinceSynced: boolean, files: () => void): Promise<void> {
    const live = await this.#liveSchema(connection);
    const snapshot = snapshotSchema(place);
    const synced = sinceSynced && this.#synced?.snapshot === snapshot ? this.#synced : null;
    this.#synced = null;
    await transaction(connection, 'READ COMMITTED', async () => {
      // Writers wait from here to COMMIT (readers go on): nothing changes between the comparison, the copy and the sync point.
      await sql`LOCK TABLE ${tableList(live.name, live.parentsFirst)} IN EXCLUSIVE MODE`.execute(connection);
      if (!synced) await checkSameSchema(connection, live, snapshot);
      const changed = synced ? withChildren(live, await changedTables(connection, live, synced)) : new Set(live.parentsFirst);
      const tables = live.parentsFirst.filter((t) => changed.has(t));
      const counts = new Map(synced?.counts);
      // Children first, so that no foreign key is left pointing at a deleted row.
      for (const table of [...tables].reverse()) await sql`DELETE FROM ${sql.id(live.name, table)}`.execute(connection);
      for (const table of tables) {
        const list = sql.join((live.insertable.get(table) ?? []).map((c) => sql.id(c)));
        const inserted = await sql`INSERT INTO ${sql.id(live.name, table)} (${list}) OVERRIDING SYSTEM VALUE
          SELECT ${list} FROM ${sql.id(snapshot, table)}`.execute(connection);
        counts.set(table, Number(inserted.numAffectedRows ?? 0));
      }
      await sql`SELECT setval(to_regclass(format('%I.%I', ${live.name}::text, name)), last_value, is_called)
        FROM ${sql.id(snapshot, SEQUENCES)} WHERE to_regclass(format('%I.%I', ${live.name}::text, name)) IS NOT NULL`.execute(connection);
      files();
      this.#synced = { snapshot, ...(await transactionPoint(connection)), counts };
    });
  }

  async discard(connection: Kysely<NoTables>, place: SnapshotPlace): Promise<void> {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(snapshotSchema(place))} CASCADE`.execute(connection);
  }

  async #liveSchema(connection: Kysely<NoTables>): Promise<LiveSchema> {
    if (this.#live) return this.#live;
    const name = (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(connection)).rows[0]?.name;
    if (!name) throw new Conflict('The database connection has no current schema to snapshot.');
    const columns = await columnsOf(connection, name);
    const insertable = new Map<string, string[]>();
    for (const row of columns) {
      if (!row.generated) insertable.set(row.table, [...(insertable.get(row.table) ?? []), row.column]);
    }
    const sequences = await sql<{ name: string }>`SELECT relname AS name FROM pg_class
      WHERE relnamespace = CAST(${name} AS regnamespace) AND relkind = 'S' ORDER BY relname`.execute(connection);
    const keys = await sql<{ child: string; parent: string }>`SELECT child.relname AS child, parent.relname AS parent
      FROM pg_constraint k JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
      WHERE k.contype = 'f' AND child.relnamespace = CAST(${name} AS regnamespace)`.execute(connection);
    const byTable = groupColumns(columns);
    const children = new Map<string, string[]>();
    for (const { child, parent } of keys.rows) children.set(parent, [...(children.get(parent) ?? []), child]);
    this.#live = {
      name,
      columns: byTable,
      insertable,
      parentsFirst: parentsFirst([...byTable.keys()], keys.rows),
      children,
      sequences: sequences.rows.map((s) => s.name),
    };
    return this.#live;
  }
}

/** Letters and digits of the snapshot's id: unique to it, within PostgreSQL's 63 bytes. */
function snapshotSchema(place: SnapshotPlace): string {
  return `nimbus_snap_${place.id.replace(/[^0-9a-f]/gi, '').toLowerCase()}`;
}

/** Where the running transaction stands (see SyncPoint). */
async function transactionPoint(connection: Kysely<NoTables>): Promise<{ oldestRunning: string; own: string }> {
  const point = await sql<{ oldest_running: string; own: string }>`SELECT
    (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text AS oldest_running,
    (pg_current_xact_id()::text::bigint % 4294967296)::text AS own`.execute(connection);
  const row = point.rows[0];
  if (!row) throw new Error('PostgreSQL answered no transaction point.');
  return { oldestRunning: row.oldest_running, own: row.own };
}

async function rowCounts(connection: Kysely<NoTables>, schema: string, tables: string[]): Promise<Map<string, number>> {
  const counts = tables.map((t) => sql`SELECT ${t} AS name, count(*) AS n FROM ${sql.id(schema, t)}`);
  const rows = await sql<{ name: string; n: string }>`${sql.join(counts, sql` UNION ALL `)}`.execute(connection);
  return new Map(rows.rows.map((r) => [r.name, Number(r.n)]));
}

/** The tables with a row version newer than the sync point (age() compares transaction ids across their wraparound), or another count. */
async function changedTables(connection: Kysely<NoTables>, live: LiveSchema, synced: SyncPoint): Promise<string[]> {
  const oldest = sql`CAST(${synced.oldestRunning} AS xid)`;
  const own = sql`CAST(${synced.own} AS xid)`;
  const checks = [...live.columns.keys()].map(
    (t) => sql`SELECT ${t} AS name, count(*) AS n, coalesce(bool_or(age(xmin) <= age(${oldest}) AND xmin <> ${own}), false) AS newer
      FROM ${sql.id(live.name, t)}`,
  );
  const rows = await sql<{ name: string; n: string; newer: boolean }>`${sql.join(checks, sql` UNION ALL `)}`.execute(connection);
  return rows.rows.filter((r) => r.newer || Number(r.n) !== synced.counts.get(r.name)).map((r) => r.name);
}

/** `tables` and every table whose foreign keys point at one of them, through and through: their rows go back together. */
function withChildren(live: LiveSchema, tables: string[]): Set<string> {
  const result = new Set<string>();
  const add = (table: string): void => {
    if (result.has(table)) return;
    result.add(table);
    for (const child of live.children.get(table) ?? []) add(child);
  };
  tables.forEach(add);
  return result;
}

function tableList(schema: string, tables: string[]): RawBuilder<unknown> {
  return sql.join(tables.map((t) => sql.id(schema, t)));
}

/** How often a transaction chosen as a deadlock's victim (its locks met a request's) runs again. */
const DEADLOCK_RETRIES = 3;

async function transaction<T>(connection: Kysely<NoTables>, isolation: 'READ COMMITTED' | 'REPEATABLE READ', work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await sql`BEGIN ISOLATION LEVEL ${sql.raw(isolation)}`.execute(connection);
    try {
      const result = await work();
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      if (attempt > DEADLOCK_RETRIES || (error as { code?: unknown }).code !== '40P01') throw error;
    }
  }
}

async function checkSameSchema(connection: Kysely<NoTables>, live: LiveSchema, snapshot: string): Promise<void> {
  const found = await sql<{ found: boolean }>`SELECT to_regnamespace(${snapshot}) IS NOT NULL AS found`.execute(connection);
  if (!found.rows[0]?.found) throw new Conflict(`The snapshot's tables (schema ${snapshot}) are no longer in the database; it cannot be loaded.`);
  const saved = groupColumns(await columnsOf(connection, snapshot));
  saved.delete(SEQUENCES);
  const mismatch = schemaDifference(live.columns, saved);
  if (mismatch) throw new Conflict(`The snapshot was made by another database schema (${mismatch}); it cannot be loaded into this cloud.`);
}

interface ColumnRow {
  table: string;
  column: string;
  generated: boolean;
}

async function columnsOf(connection: Kysely<NoTables>, schema: string): Promise<ColumnRow[]> {
  const rows = await sql<ColumnRow>`SELECT c.relname AS table, a.attname AS column, a.attgenerated <> '' AS generated
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relnamespace = CAST(${schema} AS regnamespace) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(connection);
  return rows.rows;
}

function groupColumns(rows: ColumnRow[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table, [...(tables.get(row.table) ?? []), row.column]);
  return tables;
}

/**
 * Each table after the tables its foreign keys name (a table naming itself
 * is fine: one INSERT checks its keys at the statement's end). A cycle
 * between tables cannot be ordered and is refused, rather than failing
 * half-way through a load.
 */
export function parentsFirst(tables: string[], keys: Array<{ child: string; parent: string }>): string[] {
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of keys) if (child !== parent) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p) || !parents.has(p)));
    if (ready.length === 0) {
      const left = tables.filter((t) => !placed.has(t));
      throw new Conflict(`The tables ${left.join(', ')} name each other in a cycle of foreign keys: their rows cannot be copied back in order.`);
    }
    for (const table of ready) {
      placed.add(table);
      ordered.push(table);
    }
  }
  return ordered;
}
