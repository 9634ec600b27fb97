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
 * more tables. A trigger on every table notes the tables written (a row
 * inserted, updated or deleted, or a TRUNCATE) in a journal table of the
 * cloud's schema, and a one-row table names the snapshot the rows were last
 * saved to or loaded from; both change in the same transactions as the rows,
 * so they hold across processes sharing the database. Loading that snapshot
 * again reads the journal under the table locks and copies back only the
 * tables it names and those whose foreign keys point at them.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { NoTables } from '../../core/db/database.js';
import { Conflict } from '../../core/errors.js';
import { schemaDifference, type DatabaseState, type SnapshotPlace } from './database-state.js';

/** Tables and functions of Nimbus's own, in the cloud's schema or a snapshot's: a name no migration makes (a colon). */
const OWN_PREFIX = 'nimbus:';
/** The snapshot's own table of sequence values. */
const SEQUENCES = `${OWN_PREFIX}sequences`;
/** The journal: the names of the tables written since the rows were last the snapshot's. */
const WRITTEN = `${OWN_PREFIX}written`;
/** One row: the snapshot (its schema) the rows were last saved to or loaded from. */
const SYNCED = `${OWN_PREFIX}synced`;
/** The trigger function noting a write, and the triggers calling it. */
const NOTE_WRITTEN = `${OWN_PREFIX}note_written`;
/** Set (for its transaction) by a load: the rows it copies are the snapshot's, not writes to note one by one. */
const LOADING_SETTING = 'nimbus.state_loading';

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
  /** The journal's tables, function and triggers are in place (made at the first save or load of this process). */
  #journaled = false;

  async save(connection: Kysely<NoTables>, place: SnapshotPlace, files: () => void): Promise<number> {
    const live = await this.#liveSchema(connection);
    const snapshot = snapshotSchema(place);
    return transaction(connection, 'REPEATABLE READ', async () => {
      // Before the first query, so that the rows read are those after every write in flight.
      await sql`LOCK TABLE ${tableList(live.name, [...live.columns.keys()])} IN SHARE MODE`.execute(connection);
      await this.#journal(connection, live);
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
      await markSynced(connection, live, snapshot);
      const size = await sql<{ bytes: string | null }>`SELECT sum(pg_total_relation_size(oid)) AS bytes FROM pg_class
        WHERE relnamespace = CAST(${snapshot} AS regnamespace) AND relkind = 'r'`.execute(connection);
      return Number(size.rows[0]?.bytes ?? 0);
    });
  }

  async load(connection: Kysely<NoTables>, place: SnapshotPlace, sinceSynced: boolean, files: () => void): Promise<void> {
    const live = await this.#liveSchema(connection);
    const snapshot = snapshotSchema(place);
    await transaction(connection, 'READ COMMITTED', async () => {
      // Writers wait from here to COMMIT (readers go on): nothing changes between reading the journal, the copy and emptying it.
      await sql`LOCK TABLE ${tableList(live.name, live.parentsFirst)} IN EXCLUSIVE MODE`.execute(connection);
      await sql`SELECT set_config(${LOADING_SETTING}, 'on', true)`.execute(connection);
      const written = sinceSynced && this.#journaled ? await writtenSince(connection, live, snapshot) : null;
      if (!written) {
        await checkSameSchema(connection, live, snapshot);
        await this.#journal(connection, live);
      }
      const changed = written ? withChildren(live, written) : new Set(live.parentsFirst);
      const tables = live.parentsFirst.filter((t) => changed.has(t));
      // Children first, so that no foreign key is left pointing at a deleted row.
      for (const table of [...tables].reverse()) await sql`DELETE FROM ${sql.id(live.name, table)}`.execute(connection);
      for (const table of tables) {
        const list = sql.join((live.insertable.get(table) ?? []).map((c) => sql.id(c)));
        await sql`INSERT INTO ${sql.id(live.name, table)} (${list}) OVERRIDING SYSTEM VALUE
          SELECT ${list} FROM ${sql.id(snapshot, table)}`.execute(connection);
      }
      await sql`SELECT setval(to_regclass(format('%I.%I', ${live.name}::text, name)), last_value, is_called)
        FROM ${sql.id(snapshot, SEQUENCES)} WHERE to_regclass(format('%I.%I', ${live.name}::text, name)) IS NOT NULL`.execute(connection);
      files();
      await markSynced(connection, live, snapshot);
    });
  }

  async discard(connection: Kysely<NoTables>, place: SnapshotPlace): Promise<void> {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(snapshotSchema(place))} CASCADE`.execute(connection);
  }

  /**
   * Makes the journal (in a save's or a full load's transaction, the tables
   * locked): its tables, the function and a trigger on each table that has
   * none yet. Row triggers rather than statement ones: an UPDATE matching no
   * row (a task queue's poll) writes nothing and notes nothing.
   */
  async #journal(connection: Kysely<NoTables>, live: LiveSchema): Promise<void> {
    if (this.#journaled) return;
    const written = sql.id(live.name, WRITTEN);
    await sql`CREATE TABLE IF NOT EXISTS ${written} (name text NOT NULL)`.execute(connection);
    await sql`CREATE TABLE IF NOT EXISTS ${sql.id(live.name, SYNCED)} (snapshot text NOT NULL)`.execute(connection);
    // No unique key: two writers of one table would wait on each other's key, and deadlock writing two tables in turn.
    const body = `BEGIN
      IF current_setting('${LOADING_SETTING}', true) IS DISTINCT FROM 'on' THEN
        INSERT INTO ${quoted(live.name, WRITTEN)} (name) SELECT TG_TABLE_NAME
          WHERE NOT EXISTS (SELECT 1 FROM ${quoted(live.name, WRITTEN)} WHERE name = TG_TABLE_NAME);
      END IF;
      RETURN NULL;
    END`;
    await sql`CREATE OR REPLACE FUNCTION ${sql.id(live.name, NOTE_WRITTEN)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.lit(body)}`.execute(connection);
    const present = await sql<{ table: string; truncate: boolean }>`SELECT c.relname AS table, t.tgname = ${`${NOTE_WRITTEN}:truncate`} AS truncate
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = CAST(${live.name} AS regnamespace) AND t.tgname LIKE ${`${NOTE_WRITTEN}%`}`.execute(connection);
    const has = new Set(present.rows.map((r) => `${r.table}${r.truncate ? ':truncate' : ''}`));
    const fn = sql.id(live.name, NOTE_WRITTEN);
    for (const table of live.columns.keys()) {
      const target = sql.id(live.name, table);
      if (!has.has(table)) {
        await sql`CREATE TRIGGER ${sql.id(NOTE_WRITTEN)} AFTER INSERT OR UPDATE OR DELETE ON ${target} FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(
          connection,
        );
      }
      if (!has.has(`${table}:truncate`)) {
        await sql`CREATE TRIGGER ${sql.id(`${NOTE_WRITTEN}:truncate`)} AFTER TRUNCATE ON ${target} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`.execute(
          connection,
        );
      }
    }
    this.#journaled = true;
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

/** A schema-qualified name quoted for SQL text of its own (a function's body). */
function quoted(schema: string, name: string): string {
  return [schema, name].map((part) => `"${part.replaceAll('"', '""')}"`).join('.');
}

/** Ends a save or load: the rows are the snapshot's, nothing written since. */
async function markSynced(connection: Kysely<NoTables>, live: LiveSchema, snapshot: string): Promise<void> {
  await sql`DELETE FROM ${sql.id(live.name, WRITTEN)}`.execute(connection);
  await sql`DELETE FROM ${sql.id(live.name, SYNCED)}`.execute(connection);
  await sql`INSERT INTO ${sql.id(live.name, SYNCED)} (snapshot) VALUES (${snapshot})`.execute(connection);
}

/** The tables written since the rows were `snapshot`'s, or null when they were last another's (another process loaded it). */
async function writtenSince(connection: Kysely<NoTables>, live: LiveSchema, snapshot: string): Promise<string[] | null> {
  const found = await sql<{ synced: boolean | null; names: string[] }>`SELECT
    (SELECT snapshot FROM ${sql.id(live.name, SYNCED)} LIMIT 1) = ${snapshot} AS synced,
    ARRAY(SELECT DISTINCT name FROM ${sql.id(live.name, WRITTEN)}) AS names`.execute(connection);
  const row = found.rows[0];
  return row?.synced ? row.names.filter((name) => live.columns.has(name)) : null;
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
  const mismatch = schemaDifference(live.columns, saved);
  if (mismatch) throw new Conflict(`The snapshot was made by another database schema (${mismatch}); it cannot be loaded into this cloud.`);
}

interface ColumnRow {
  table: string;
  column: string;
  generated: boolean;
}

/** The tables of `schema` and their columns, Nimbus's own (the journal, a snapshot's sequences) left out. */
async function columnsOf(connection: Kysely<NoTables>, schema: string): Promise<ColumnRow[]> {
  const rows = await sql<ColumnRow>`SELECT c.relname AS table, a.attname AS column, a.attgenerated <> '' AS generated
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relnamespace = CAST(${schema} AS regnamespace) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND NOT starts_with(c.relname, ${OWN_PREFIX})
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
