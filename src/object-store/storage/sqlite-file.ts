/**
 * Opening the per-account and per-container SQLite files: WAL with
 * synchronous=FULL, so a listing row acknowledged with the object's 201
 * survives a crash, and a bounded cache of open handles so a busy container
 * is not reopened on every request.
 */
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

export type Sqlite = SqliteDatabase.Database;
type Statement = SqliteDatabase.Statement;

const statements = new WeakMap<Sqlite, Map<string, Statement>>();

/** `db.prepare(sql)`, compiled once per open database: the hot paths run the same few statements on every request. */
export function prepared(db: Sqlite, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

export class SqliteFileCache {
  private readonly open = new Map<string, Sqlite>();

  constructor(
    private readonly schema: string,
    private readonly capacity = 256,
  ) {}

  /** The database at `file`, created with the schema when `create`; null when absent and not created. */
  get(file: string, create: boolean, exists: (file: string) => boolean): Sqlite | null {
    const cached = this.open.get(file);
    if (cached) {
      // Most recently used last: Map keeps insertion order.
      this.open.delete(file);
      this.open.set(file, cached);
      return cached;
    }
    if (!create && !exists(file)) return null;
    mkdirSync(dirname(file), { recursive: true });
    const db = new SqliteDatabase(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(this.schema);
    this.open.set(file, db);
    while (this.open.size > this.capacity) {
      const [oldest, handle] = this.open.entries().next().value as [string, Sqlite];
      handle.close();
      this.open.delete(oldest);
    }
    return db;
  }

  closeAll(): void {
    for (const db of this.open.values()) db.close();
    this.open.clear();
  }
}

/** Reads a `metadata(name, value)` table into a record. */
export function readMetadata(db: Sqlite): Record<string, string> {
  const rows = prepared(db, 'SELECT name, value FROM metadata').all() as Array<{ name: string; value: string }>;
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

/** Sets metadata keys; an empty value removes the key, as Swift's metadata updates do. */
export function writeMetadata(db: Sqlite, metadata: Record<string, string>): void {
  const upsert = prepared(db, 'INSERT INTO metadata (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  const remove = prepared(db, 'DELETE FROM metadata WHERE name = ?');
  for (const [name, value] of Object.entries(metadata)) {
    if (value === '') remove.run(name);
    else upsert.run(name, value);
  }
}

/**
 * Runs `work` in an IMMEDIATE transaction (the write lock taken up front, so
 * a check and the write after it see no other writer in between) committed
 * without an fsync: for rows a crash may lose (quota holds expire anyway).
 * The next FULL commit fsyncs the log these frames are in.
 */
export function unsyncedTransaction<T>(db: Sqlite, work: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return db.transaction(work).immediate();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * Runs `work` in a transaction committed without SQLite's own fsync, then
 * fsyncs the write-ahead log from libuv's thread pool: once the promise
 * resolves the commit is as durable as a synchronous=FULL one, but the event
 * loop does not sit in fsync meanwhile (a FULL commit blocks it for the whole
 * disk flush). Callers batch their rows so one such commit serves many requests.
 */
export async function durableTransaction<T>(db: Sqlite, work: () => T): Promise<T> {
  db.pragma('synchronous = NORMAL');
  let result: T;
  try {
    result = db.transaction(work)();
  } finally {
    db.pragma('synchronous = FULL');
  }
  // A checkpoint may have moved the frames into the database file (synced by SQLite) and removed the log.
  const file = await open(`${db.name}-wal`, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return open(db.name, 'r');
    throw error;
  });
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
  return result;
}
