/**
 * Quota holds inside an account or container database: the `quota_hold`
 * table lists the uploads in flight with the bytes each may still add, so a
 * quota check sees what is stored plus what is on its way. Check and hold are
 * one IMMEDIATE transaction (also across processes sharing the file), never a
 * read then a write.
 *
 * Other uploads' holds count whole, even where they overwrite an object (a
 * conservative sum: it may refuse an upload that would have fit, never admit
 * one that does not); the asking upload's own overwrite is credited, so a
 * lone overwrite counts as its delta.
 */
import type { HoldGrant, HoldRequest } from './contract.js';
import { prepared, unsyncedTransaction, type Sqlite } from './sqlite-file.js';

export const HOLD_SCHEMA = `
CREATE TABLE IF NOT EXISTS quota_hold (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, bytes INTEGER NOT NULL, expires_at REAL NOT NULL
) WITHOUT ROWID;
`;

export interface Usage {
  bytes: number;
  count: number;
}

export interface Quotas {
  bytes: number | null;
  count: number | null;
}

/** A quota as the metadata holds it: digits, or none (Swift refuses anything else when it is set). */
function quotaValue(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/** The metadata names of a database's quotas; of several names for one quota, the first set wins (current header, then its older form). */
export interface QuotaKeys {
  bytes: string[];
  count: string[];
}

function readQuotas(db: Sqlite, { bytes: bytesKeys, count: countKeys }: QuotaKeys): Quotas {
  const keys = [...bytesKeys, ...countKeys];
  const rows = prepared(db, `SELECT name, value FROM metadata WHERE name IN (${keys.map(() => '?').join(', ')})`).all(...keys) as Array<{
    name: string;
    value: string;
  }>;
  const value = (names: string[]) => {
    const row = names.map((name) => rows.find((r) => r.name === name)).find((r) => r !== undefined);
    return quotaValue(row?.value);
  };
  return { bytes: value(bytesKeys), count: value(countKeys) };
}

/**
 * Checks the quotas against what is stored, the other live holds and this
 * upload, and records its hold; call inside a transaction. `replaced` is
 * what the upload overwrites (its credit); `usage` (what is stored) is read
 * only when a quota is set. Expired holds are dropped first:
 * their requests died.
 */
function placeHold(db: Sqlite, quotas: Quotas, usage: () => Usage, replaced: Usage, request: HoldRequest, name: string): HoldGrant {
  prepared(db, 'DELETE FROM quota_hold WHERE expires_at <= ?').run(Date.now() / 1000);
  if (quotas.bytes === null && quotas.count === null) {
    prepared(db, 'DELETE FROM quota_hold WHERE id = ?').run(request.id);
    return Infinity;
  }
  const used = usage();
  const others = prepared(db, 'SELECT coalesce(sum(bytes), 0) AS bytes, count(*) AS count FROM quota_hold WHERE id != ?').get(request.id) as Usage;
  if (quotas.count !== null && used.count + others.count + 1 - replaced.count > quotas.count) return null;
  let granted = request.wantBytes;
  if (quotas.bytes !== null) {
    const room = quotas.bytes - used.bytes - others.bytes + replaced.bytes;
    if (room < request.minBytes) return null;
    granted = Math.max(request.minBytes, Math.min(request.wantBytes, room));
  }
  prepared(
    db,
    `INSERT INTO quota_hold (id, name, bytes, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET bytes = excluded.bytes, expires_at = excluded.expires_at`,
  ).run(request.id, name, granted, request.expiresAt);
  return granted;
}

/**
 * Holds room for an upload in `db` under its quotas. Most databases have
 * none: then the answer comes from two reads, without a write transaction (a
 * quota set after this look applies from the next upload on, as in Swift,
 * whose quota checks read cached info).
 */
export function holdIn(db: Sqlite, keys: QuotaKeys, usage: () => Usage, replaced: () => Usage, request: HoldRequest, name: string): HoldGrant {
  const quotas = readQuotas(db, keys);
  const held = prepared(db, 'SELECT 1 FROM quota_hold WHERE id = ?').get(request.id) !== undefined;
  if (quotas.bytes === null && quotas.count === null && !held) return Infinity;
  return unsyncedTransaction(db, () => placeHold(db, readQuotas(db, keys), usage, replaced(), request, name));
}

export function dropHold(db: Sqlite, id: string): void {
  prepared(db, 'DELETE FROM quota_hold WHERE id = ?').run(id);
}
