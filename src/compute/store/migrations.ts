/** Migration records (resize, cold and live migration, evacuation), as os-migrations lists them. */
import type { Selectable } from 'kysely';
import { nowIso } from '../../core/time.js';
import { nextId, type ComputeDb } from './db.js';
import type { MigrationTable } from './tables.js';

export type Migration = Selectable<MigrationTable>;

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

export async function setMigrationStatus(db: ComputeDb, uuid: string, status: string, changes: Partial<Pick<MigrationTable, 'dest_compute' | 'dest_node'>> = {}): Promise<void> {
  await db.updateTable('compute_server_migration').set({ ...changes, status, updated_at: nowIso() }).where('uuid', '=', uuid).execute();
}

export async function listMigrations(db: ComputeDb, instanceUuid?: string): Promise<Migration[]> {
  let select = db.selectFrom('compute_server_migration').selectAll();
  if (instanceUuid !== undefined) select = select.where('instance_uuid', '=', instanceUuid);
  const rows = await select.orderBy('id', 'desc').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
