/**
 * The one query layer: Kysely over better-sqlite3 (embedded default) or
 * PostgreSQL (cluster). Services see a `Database`, pick their own table types
 * with `db.kysely.withTables<T>()` and never learn which engine is underneath,
 * except through the helpers in this folder that smooth dialect differences.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type DatabaseIntrospector,
  type Driver,
  type PostgresDialectConfig,
  type SqliteDatabase as SqliteDatabaseLike,
} from 'kysely';
import pg from 'pg';
import { CurrentSchemaIntrospector } from './postgres-introspector.js';
import { SqliteBooleanPlugin } from './sqlite-boolean-plugin.js';
import { notifyingDriver, WriteNotices } from '../cluster/write-notices.js';

export type Dialect = 'sqlite' | 'postgres';

/** An empty table map: each service adds its own with `withTables`. */
export type NoTables = Record<never, never>;

/** A connection pool's live counts (pg.Pool's own fields), for monitoring. */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface Database {
  readonly dialect: Dialect;
  readonly kysely: Kysely<NoTables>;
  /** PostgreSQL's connection pool; absent on SQLite, which has one connection and no pool. */
  readonly pool?: PoolCounts;
  /**
   * A new, unconnected PostgreSQL connection outside the pool, with the pool's
   * settings: for sessions that must outlive a query (LISTEN, session advisory
   * locks; core/cluster). Absent on SQLite.
   */
  dedicatedClient?(): pg.Client;
  /** Makes every committed write to `tables` notify `channel` (core/cluster/write-notices.ts). Absent on SQLite. */
  notifyWrites?(channel: string, tables: readonly string[]): void;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://...` for PostgreSQL; otherwise a SQLite file path or `:memory:`. */
  connection: string;
  /** PostgreSQL schema to use (tests isolate themselves in a throw-away schema). */
  schema?: string;
}

export function openDatabase(options: OpenDatabaseOptions): Database {
  return /^postgres(ql)?:\/\//.test(options.connection) ? openPostgres(options) : openSqlite(options.connection);
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run during a write; NORMAL sync in WAL mode survives a
  // process crash (kill -9) without an fsync per commit; only a power loss can
  // drop the last commits. busy_timeout covers other processes (`nimbus manage`).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<NoTables>({
    dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
    plugins: [new SqliteBooleanPlugin()],
  });
  return { dialect: 'sqlite', kysely, close: () => kysely.destroy() };
}

/** How many distinct SQL texts keep their prepared statement. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 with prepared statements reused by SQL text. Kysely prepares
 * every query it runs, and preparing costs more than running the small
 * indexed queries that make up most requests. A statement still iterating
 * (a streamed query) is busy, so another is prepared for that call.
 */
function cachingStatements(sqlite: SqliteDatabase.Database): SqliteDatabaseLike {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(text);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

function openPostgres(options: OpenDatabaseOptions): Database {
  // The schema is set as a connection option, so it holds before any query runs.
  const schema = options.schema?.replaceAll('"', '');
  const settings = { connectionString: options.connection, ...(schema && { options: `-c search_path="${schema}"` }) };
  const pool = new pg.Pool({ ...settings, max: 10 });
  const notices = new WriteNotices();
  const kysely = new Kysely<NoTables>({ dialect: new ClusterPostgresDialect({ pool }, notices) });
  return {
    dialect: 'postgres',
    kysely,
    pool,
    // Keep-alive: a session holding a lock or a LISTEN learns that its peer is gone.
    dedicatedClient: () => new pg.Client({ ...settings, keepAlive: true }),
    notifyWrites: (channel, tables) => notices.watch(channel, tables),
    close: () => kysely.destroy(),
  };
}

/** PostgreSQL whose introspection (Kysely's Migrator uses it) stays in our schema, and whose watched writes notify. */
class ClusterPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly notices: WriteNotices,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return notifyingDriver(super.createDriver(), this.notices);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
