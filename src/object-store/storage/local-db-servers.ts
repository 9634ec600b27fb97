/**
 * Account and container databases on this host, one SQLite file each, under
 * `<root>/accounts/<hash[0:3]>/<hash>.db` and `<root>/containers/...`, named
 * by the ring's path hash as Swift names them. These are storage files of the
 * object store, not the service database: each lives and dies with its
 * account or container, and none is shared between them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AccountHoldRequest,
  AccountInfo,
  AccountServer,
  ContainerInfo,
  ContainerRow,
  ContainerServer,
  DbMetadata,
  HoldGrant,
  HoldRequest,
  Listed,
  ListingQuery,
  ObjectRow,
  RowChange,
  SyncingContainer,
} from './contract.js';
import { boundsSql, walkListing } from './listing-query.js';
import { TickBatcher } from './tick-batch.js';
import { dropHold, HOLD_SCHEMA, holdIn, type QuotaKeys, type Usage } from './quota-holds.js';
import { durableTransaction, prepared, readMetadata, SqliteFileCache, unsyncedTransaction, writeMetadata, type Sqlite } from './sqlite-file.js';

const CONTAINER_SCHEMA = `
CREATE TABLE IF NOT EXISTS object (
  name TEXT PRIMARY KEY, created_at TEXT NOT NULL, size INTEGER NOT NULL,
  content_type TEXT NOT NULL, etag TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS container_stat (
  id INTEGER PRIMARY KEY CHECK (id = 1), account TEXT NOT NULL, container TEXT NOT NULL,
  created_at TEXT NOT NULL, put_timestamp TEXT NOT NULL, delete_timestamp TEXT NOT NULL DEFAULT '0',
  object_count INTEGER NOT NULL DEFAULT 0, bytes_used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT NOT NULL);
${HOLD_SCHEMA}`;

const ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS container (
  name TEXT PRIMARY KEY, put_timestamp TEXT NOT NULL, object_count INTEGER NOT NULL,
  bytes_used INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS account_stat (id INTEGER PRIMARY KEY CHECK (id = 1), created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT NOT NULL);
${HOLD_SCHEMA}`;

const CONTAINER_QUOTA_KEYS: QuotaKeys = { bytes: ['x-container-meta-quota-bytes'], count: ['x-container-meta-quota-count'] };
const ACCOUNT_QUOTA_KEYS: QuotaKeys = { bytes: ['x-account-quota-bytes', 'x-account-meta-quota-bytes'], count: ['x-account-quota-count'] };

interface StatRow {
  created_at: string;
  put_timestamp: string;
  delete_timestamp: string;
  object_count: number;
  bytes_used: number;
}

type Hasher = (account: string, container?: string) => string;

function dbFile(root: string, kind: string, hash: string): string {
  return join(root, kind, hash.slice(0, 3), `${hash}.db`);
}

export class LocalAccountServer implements AccountServer {
  private readonly files = new SqliteFileCache(ACCOUNT_SCHEMA);

  constructor(
    private readonly root: string,
    private readonly hash: Hasher,
  ) {}

  private db(account: string, create: boolean): Sqlite | null {
    const db = this.files.get(dbFile(this.root, 'accounts', this.hash(account)), create, existsSync);
    if (db && create) prepared(db, 'INSERT OR IGNORE INTO account_stat (id, created_at) VALUES (1, ?)').run(nowStamp());
    return db;
  }

  async info(account: string): Promise<AccountInfo | null> {
    const db = this.db(account, false);
    if (!db) return null;
    const stat = prepared(db, 'SELECT created_at FROM account_stat WHERE id = 1').get() as { created_at: string } | undefined;
    const totals = accountTotals(db);
    return {
      createdAt: stat?.created_at ?? nowStamp(),
      containerCount: totals.containers,
      objectCount: totals.objects,
      bytesUsed: totals.bytes,
      metadata: readMetadata(db),
    };
  }

  async updateMetadata(account: string, metadata: DbMetadata): Promise<void> {
    const db = this.db(account, true) as Sqlite;
    db.transaction(() => writeMetadata(db, metadata))();
  }

  /** Batched per account: the container reports of one tick share one transaction (one fsync). */
  private readonly reports = new TickBatcher<{ row: ContainerRow; deleted: boolean }>(async (account, reports) => {
    const db = this.db(account, true) as Sqlite;
    const upsert = prepared(
      db,
      `INSERT INTO container (name, put_timestamp, object_count, bytes_used, deleted) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET put_timestamp = excluded.put_timestamp, object_count = excluded.object_count,
         bytes_used = excluded.bytes_used, deleted = excluded.deleted`,
    );
    await durableTransaction(db, () => {
      for (const { row, deleted } of reports) upsert.run(row.name, row.putTimestamp, row.objectCount, row.bytesUsed, deleted ? 1 : 0);
    });
  });

  reportContainer(account: string, row: ContainerRow, deleted: boolean): Promise<void> {
    return this.reports.add(account, { row, deleted });
  }

  async reserve(account: string, request: AccountHoldRequest): Promise<HoldGrant> {
    const db = this.db(account, false);
    if (!db) return Infinity;
    const replaced = () => ({ bytes: request.replacedBytes, count: request.replacedCount });
    const usage = () => {
      const totals = accountTotals(db);
      return { bytes: totals.bytes, count: totals.objects };
    };
    return holdIn(db, ACCOUNT_QUOTA_KEYS, usage, replaced, request, `${request.container}/${request.object}`);
  }

  async release(account: string, id: string): Promise<void> {
    const db = this.db(account, false);
    if (db) unsyncedTransaction(db, () => dropHold(db, id));
  }

  async list(account: string, query: ListingQuery): Promise<Array<Listed<ContainerRow>>> {
    const db = this.db(account, false);
    if (!db) return [];
    return walkListing(query, (bounds) => {
      const { where, params, order } = boundsSql(bounds);
      const rows = prepared(
        db,
        `SELECT name, put_timestamp, object_count, bytes_used FROM container WHERE deleted = 0 AND ${where} ORDER BY name ${order} LIMIT ?`,
      ).all(...params, bounds.limit) as Array<{ name: string; put_timestamp: string; object_count: number; bytes_used: number }>;
      return rows.map((r) => ({ name: r.name, putTimestamp: r.put_timestamp, objectCount: r.object_count, bytesUsed: r.bytes_used }));
    });
  }

  async close(): Promise<void> {
    this.files.closeAll();
  }
}

export class LocalContainerServer implements ContainerServer {
  private readonly files = new SqliteFileCache(CONTAINER_SCHEMA);

  constructor(
    private readonly root: string,
    private readonly hash: Hasher,
    private readonly accounts: AccountServer,
  ) {}

  private db(account: string, container: string, create: boolean): Sqlite | null {
    return this.files.get(dbFile(this.root, 'containers', this.hash(account, container)), create, existsSync);
  }

  /** The open database of a live (not deleted) container. */
  private live(account: string, container: string): { db: Sqlite; stat: StatRow } | null {
    const db = this.db(account, container, false);
    if (!db) return null;
    const stat = prepared(db, 'SELECT * FROM container_stat WHERE id = 1').get() as StatRow | undefined;
    if (!stat || stat.delete_timestamp >= stat.put_timestamp) return null;
    return { db, stat };
  }

  async create(account: string, container: string, timestamp: string, metadata: DbMetadata): Promise<boolean> {
    const existing = this.live(account, container);
    const db = existing?.db ?? (this.db(account, container, true) as Sqlite);
    db.transaction(() => {
      if (existing) {
        prepared(db, 'UPDATE container_stat SET put_timestamp = ? WHERE id = 1').run(timestamp);
      } else {
        // A re-created container starts empty: forget the rows of its previous life.
        prepared(db, 'DELETE FROM object').run();
        prepared(db, 'DELETE FROM metadata').run();
        prepared(
          db,
          `INSERT INTO container_stat (id, account, container, created_at, put_timestamp, delete_timestamp, object_count, bytes_used)
           VALUES (1, ?, ?, ?, ?, '0', 0, 0)
           ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, put_timestamp = excluded.put_timestamp,
             delete_timestamp = '0', object_count = 0, bytes_used = 0`,
        ).run(account, container, timestamp, timestamp);
      }
      writeMetadata(db, metadata);
    })();
    await this.report(account, container, db, false);
    return existing === null;
  }

  async info(account: string, container: string): Promise<ContainerInfo | null> {
    const live = this.live(account, container);
    if (!live) return null;
    return {
      createdAt: live.stat.created_at,
      putTimestamp: live.stat.put_timestamp,
      objectCount: live.stat.object_count,
      bytesUsed: live.stat.bytes_used,
      metadata: readMetadata(live.db),
    };
  }

  async updateMetadata(account: string, container: string, metadata: DbMetadata): Promise<boolean> {
    const live = this.live(account, container);
    if (!live) return false;
    live.db.transaction(() => writeMetadata(live.db, metadata))();
    return true;
  }

  async delete(account: string, container: string, timestamp: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    const live = this.live(account, container);
    if (!live) return 'missing';
    if (live.stat.object_count > 0) return 'not-empty';
    prepared(live.db, 'UPDATE container_stat SET delete_timestamp = ? WHERE id = 1').run(timestamp);
    await this.report(account, container, live.db, true);
    return 'deleted';
  }

  async putObject(account: string, container: string, row: ObjectRow): Promise<void> {
    await this.changeObject(account, container, row, false);
  }

  async deleteObject(account: string, container: string, name: string, timestamp: string): Promise<void> {
    await this.changeObject(account, container, { name, createdAt: timestamp, size: 0, contentType: '', etag: '' }, true);
  }

  /**
   * Listing changes batched per container: those of one tick share one
   * transaction and one account report, so concurrent PUTs share their fsyncs.
   */
  private readonly listingChanges = new TickBatcher<{ account: string; container: string; row: ObjectRow; deleted: boolean }>(async (_key, items) => {
    const [first] = items as [(typeof items)[number]];
    const live = this.live(first.account, first.container);
    if (!live) return;
    const { db } = live;
    await durableTransaction(db, () => {
      for (const { row, deleted } of items) applyChange(db, row, deleted);
    });
    await this.report(first.account, first.container, db, false);
  });

  private changeObject(account: string, container: string, row: ObjectRow, deleted: boolean): Promise<void> {
    return this.listingChanges.add(`${account}/${container}`, { account, container, row, deleted });
  }

  async list(account: string, container: string, query: ListingQuery): Promise<Array<Listed<ObjectRow>>> {
    const live = this.live(account, container);
    if (!live) return [];
    return walkListing(query, (bounds) => {
      const { where, params, order } = boundsSql(bounds);
      const rows = prepared(
        live.db,
        `SELECT name, created_at, size, content_type, etag FROM object WHERE deleted = 0 AND ${where} ORDER BY name ${order} LIMIT ?`,
      ).all(...params, bounds.limit) as Array<{ name: string; created_at: string; size: number; content_type: string; etag: string }>;
      return rows.map((r) => ({ name: r.name, createdAt: r.created_at, size: r.size, contentType: r.content_type, etag: r.etag }));
    });
  }

  async reserve(account: string, container: string, request: HoldRequest): Promise<HoldGrant> {
    const live = this.live(account, container);
    let replaced: Usage = { bytes: 0, count: 0 };
    let granted: HoldGrant = Infinity;
    if (live) {
      const { db } = live;
      const usage = () => {
        const stat = prepared(db, 'SELECT object_count, bytes_used FROM container_stat WHERE id = 1').get() as StatRow;
        return { bytes: stat.bytes_used, count: stat.object_count };
      };
      const replacedNow = (): Usage => {
        const old = prepared(db, 'SELECT size FROM object WHERE name = ? AND deleted = 0').get(request.object) as { size: number } | undefined;
        return { bytes: old?.size ?? 0, count: old ? 1 : 0 };
      };
      granted = holdIn(db, CONTAINER_QUOTA_KEYS, usage, replacedNow, request, request.object);
      // The account's credit, read in the same tick as the container's check.
      replaced = replacedNow();
    }
    if (granted === null) return null;
    // No await between the two: in this process the account sees the container as it just was.
    const accountGranted = await this.accounts.reserve(account, {
      ...request,
      wantBytes: Math.min(request.wantBytes, granted),
      container,
      replacedBytes: replaced.bytes,
      replacedCount: replaced.count,
    });
    return accountGranted === null ? null : Math.min(granted, accountGranted);
  }

  async release(account: string, container: string, id: string): Promise<void> {
    const db = this.db(account, container, false);
    if (db) unsyncedTransaction(db, () => dropHold(db, id));
    await this.accounts.release(account, id);
  }

  async changes(account: string, container: string, after: string, limit: number): Promise<RowChange[]> {
    const rows = this.live(account, container)?.db.prepare('SELECT * FROM object WHERE created_at > ? ORDER BY created_at, name LIMIT ?').all(after, limit) as
      Array<{ name: string; created_at: string; size: number; content_type: string; etag: string; deleted: number }> | undefined;
    return (rows ?? []).map((r) => ({
      row: { name: r.name, createdAt: r.created_at, size: r.size, contentType: r.content_type, etag: r.etag },
      deleted: r.deleted === 1,
    }));
  }

  async version(account: string, container: string, name: string): Promise<string | null> {
    const row = this.live(account, container)?.db.prepare('SELECT created_at FROM object WHERE name = ?').get(name) as { created_at: string } | undefined;
    return row?.created_at ?? null;
  }

  async syncing(): Promise<SyncingContainer[]> {
    const found: SyncingContainer[] = [];
    const dir = join(this.root, 'containers');
    for (const group of existsSync(dir) ? readdirSync(dir) : []) {
      for (const file of readdirSync(join(dir, group)).filter((name) => name.endsWith('.db'))) {
        const db = this.files.get(join(dir, group, file), false, existsSync);
        const stat = db?.prepare('SELECT account, container, put_timestamp, delete_timestamp FROM container_stat WHERE id = 1').get() as
          (StatRow & { account: string; container: string }) | undefined;
        if (!db || !stat || stat.delete_timestamp >= stat.put_timestamp) continue;
        const metadata = readMetadata(db);
        if (metadata['x-container-sync-to']) found.push({ account: stat.account, container: stat.container, metadata });
      }
    }
    return found;
  }

  private async report(account: string, container: string, db: Sqlite, deleted: boolean): Promise<void> {
    const stat = prepared(db, 'SELECT put_timestamp, object_count, bytes_used FROM container_stat WHERE id = 1').get() as StatRow;
    await this.accounts.reportContainer(
      account,
      { name: container, putTimestamp: stat.put_timestamp, objectCount: stat.object_count, bytesUsed: stat.bytes_used },
      deleted,
    );
  }

  async close(): Promise<void> {
    this.files.closeAll();
  }
}

/** Upserts an object row unless a newer version is recorded, keeping the counts in step; inside a transaction. */
function applyChange(db: Sqlite, row: ObjectRow, deleted: boolean): void {
  const old = prepared(db, 'SELECT created_at, size, deleted FROM object WHERE name = ?').get(row.name) as
    { created_at: string; size: number; deleted: number } | undefined;
  if (old && old.created_at >= row.createdAt) return;
  const countDelta = (deleted ? 0 : 1) - (old && !old.deleted ? 1 : 0);
  const bytesDelta = (deleted ? 0 : row.size) - (old && !old.deleted ? old.size : 0);
  prepared(
    db,
    `INSERT INTO object (name, created_at, size, content_type, etag, deleted) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET created_at = excluded.created_at, size = excluded.size,
       content_type = excluded.content_type, etag = excluded.etag, deleted = excluded.deleted`,
  ).run(row.name, row.createdAt, row.size, row.contentType, row.etag, deleted ? 1 : 0);
  prepared(db, 'UPDATE container_stat SET object_count = object_count + ?, bytes_used = bytes_used + ? WHERE id = 1').run(countDelta, bytesDelta);
}

function accountTotals(db: Sqlite): { containers: number; objects: number; bytes: number } {
  return prepared(
    db,
    'SELECT count(*) AS containers, coalesce(sum(object_count), 0) AS objects, coalesce(sum(bytes_used), 0) AS bytes FROM container WHERE deleted = 0',
  ).get() as { containers: number; objects: number; bytes: number };
}

function nowStamp(): string {
  return (Date.now() / 1000).toFixed(5);
}
