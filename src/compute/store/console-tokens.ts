/** Console authorisation tokens (Nova's console_auth_tokens), by the hash of the token. */
import type { ComputeDb } from './db.js';

export interface ConsoleTokenRecord {
  tokenHash: string;
  /** Nova's console type: `novnc`, `serial`, ... */
  consoleType: string;
  instanceUuid: string;
  /** The compute host the console is on. */
  host: string;
  port: number | null;
  internalAccessPath: string | null;
  /** Epoch seconds after which the token is refused. */
  expires: number;
  createdAt: string;
}

interface ConsoleTokenTable {
  token_hash: string;
  console_type: string;
  instance_uuid: string;
  host: string;
  port: number | null;
  internal_access_path: string | null;
  // bigint: PostgreSQL returns it as a string.
  expires: number | string;
  created_at: string;
}

function tokens(db: ComputeDb) {
  return db.withTables<{ compute_console_auth_token: ConsoleTokenTable }>();
}

export async function insertConsoleToken(db: ComputeDb, record: ConsoleTokenRecord): Promise<void> {
  await tokens(db)
    .insertInto('compute_console_auth_token')
    .values({
      token_hash: record.tokenHash,
      console_type: record.consoleType,
      instance_uuid: record.instanceUuid,
      host: record.host,
      port: record.port,
      internal_access_path: record.internalAccessPath,
      expires: record.expires,
      created_at: record.createdAt,
    })
    .execute();
}

/** The token's record while it has not expired at `now` (epoch seconds), else null. */
export async function findConsoleToken(db: ComputeDb, tokenHash: string, now: number): Promise<ConsoleTokenRecord | null> {
  const row = await tokens(db)
    .selectFrom('compute_console_auth_token')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tokenHash: row.token_hash,
    consoleType: row.console_type,
    instanceUuid: row.instance_uuid,
    host: row.host,
    port: row.port,
    internalAccessPath: row.internal_access_path,
    expires: Number(row.expires),
    createdAt: row.created_at,
  };
}

/** Drops the tokens expired at `now`, as Nova's compute host cleans them when it issues new ones. */
export async function deleteExpiredConsoleTokens(db: ComputeDb, now: number): Promise<void> {
  await tokens(db).deleteFrom('compute_console_auth_token').where('expires', '<=', now).execute();
}
