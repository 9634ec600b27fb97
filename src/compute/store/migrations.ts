/** Migration records (resize, cold and live migration, evacuation), as os-migrations lists them. */
import type { Selectable } from 'kysely';
import { nowIso } from '../../core/time.js';
import { nextId, type ComputeDb } from './db.js';
import type { MigrationTable } from './tables.js';

export type Migration = Selectable<MigrationTable>;

/** Records the migration; a second insert of the same uuid (a retried task step) returns the first. */
export async function insertMigration(db: ComputeDb, migration: Omit<MigrationTable, 'id' | 'created_at' | 'updated_at'>): Promise<Migration> {
  const existing = await getMigration(db, migration.uuid);
  if (existing) return existing;
  const now = nowIso();
  const row: MigrationTable = { ...migration, id: await nextId(db, 'migration'), created_at: now, updated_at: now };
  await db.insertInto('compute_server_migration').values(row).execute();
  return row;
}

export async function getMigration(db: ComputeDb, uuid: string): Promise<Migration | null> {
  const row = await db.selectFrom('compute_server_migration').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function setMigrationStatus(
  db: ComputeDb,
  uuid: string,
  status: string,
  changes: Partial<Pick<MigrationTable, 'dest_compute' | 'dest_node'>> = {},
): Promise<void> {
  await db
    .updateTable('compute_server_migration')
    .set({ ...changes, status, updated_at: nowIso() })
    .where('uuid', '=', uuid)
    .execute();
}

/** A server's migrations (all when no server is named), newest first. */
export async function listMigrations(db: ComputeDb, instanceUuid?: string): Promise<Migration[]> {
  return searchMigrations(db, instanceUuid !== undefined ? { instanceUuid } : {});
}

export interface MigrationQuery {
  instanceUuid?: string;
  status?: string;
  migrationType?: string;
  /** Either end of the move (Nova's `host` filter). */
  host?: string;
  sourceCompute?: string;
  /** The server owner's ids as recorded on the migration (2.80). */
  userId?: string;
  projectId?: string;
  /** Only rows updated at or after / before this instant (2.59 changes-since, 2.66 changes-before). */
  changesSince?: string;
  changesBefore?: string;
}

/** os-migrations' filters; newest first, as Nova lists them. */
export async function searchMigrations(db: ComputeDb, query: MigrationQuery): Promise<Migration[]> {
  let select = db.selectFrom('compute_server_migration').selectAll();
  if (query.instanceUuid !== undefined) select = select.where('instance_uuid', '=', query.instanceUuid);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.migrationType !== undefined) select = select.where('migration_type', '=', query.migrationType);
  if (query.sourceCompute !== undefined) select = select.where('source_compute', '=', query.sourceCompute);
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
  if (query.host !== undefined) {
    const host = query.host;
    select = select.where((eb) => eb.or([eb('source_compute', '=', host), eb('dest_compute', '=', host)]));
  }
  if (query.changesSince !== undefined) select = select.where('updated_at', '>=', query.changesSince);
  if (query.changesBefore !== undefined) select = select.where('updated_at', '<=', query.changesBefore);
  const rows = await select.orderBy('id', 'desc').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
