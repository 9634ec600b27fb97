/** Migration records (os-migrations): one per resize, cold or live migration and evacuation of a server. */
import { nowIso } from '../../core/time.js';
import { nextId, type ComputeDb } from './db.js';
import type { Selectable } from 'kysely';
import type { MigrationTable } from './tables.js';

export type MigrationType = 'migration' | 'resize' | 'live-migration' | 'evacuation';

export interface Migration {
  id: number;
  uuid: string;
  instanceUuid: string;
  migrationType: MigrationType;
  status: string;
  sourceCompute: string | null;
  destCompute: string | null;
  sourceNode: string | null;
  destNode: string | null;
  oldFlavorId: string | null;
  newFlavorId: string | null;
  projectId: string | null;
  userId: string | null;
  createdAt: string;
  updatedAt: string;
}

function fromRow(row: Selectable<MigrationTable>): Migration {
  return {
    id: Number(row.id),
    uuid: row.uuid,
    instanceUuid: row.instance_uuid,
    migrationType: row.migration_type as MigrationType,
    status: row.status,
    sourceCompute: row.source_compute,
    destCompute: row.dest_compute,
    sourceNode: row.source_node,
    destNode: row.dest_node,
    oldFlavorId: row.old_flavor_id,
    newFlavorId: row.new_flavor_id,
    projectId: row.project_id,
    userId: row.user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertMigration(db: ComputeDb, input: Omit<Migration, 'id' | 'createdAt' | 'updatedAt'>): Promise<Migration> {
  const now = nowIso();
  const migration: Migration = { ...input, id: await nextId(db, 'migration'), createdAt: now, updatedAt: now };
  await db
    .insertInto('compute_server_migration')
    .values({
      id: migration.id,
      uuid: migration.uuid,
      instance_uuid: migration.instanceUuid,
      migration_type: migration.migrationType,
      status: migration.status,
      source_compute: migration.sourceCompute,
      dest_compute: migration.destCompute,
      source_node: migration.sourceNode,
      dest_node: migration.destNode,
      old_flavor_id: migration.oldFlavorId,
      new_flavor_id: migration.newFlavorId,
      project_id: migration.projectId,
      user_id: migration.userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return migration;
}

export async function setMigrationStatus(db: ComputeDb, id: number, status: string, dest?: { compute: string; node: string }): Promise<void> {
  await db
    .updateTable('compute_server_migration')
    .set({ status, updated_at: nowIso(), ...(dest && { dest_compute: dest.compute, dest_node: dest.node }) })
    .where('id', '=', id)
    .execute();
}

export async function getMigrationByUuid(db: ComputeDb, uuid: string): Promise<Migration | null> {
  const row = await db.selectFrom('compute_server_migration').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export interface MigrationQuery {
  instanceUuid?: string;
  status?: string;
  migrationType?: string;
  /** Either end of the move (Nova's `host` filter). */
  host?: string;
  sourceCompute?: string;
  /** Only rows updated at or after / before this instant (2.59 changes-since, 2.66 changes-before). */
  changesSince?: string;
  changesBefore?: string;
}

/** Newest first, as Nova lists them (created_at desc, id desc). */
export async function listMigrations(db: ComputeDb, query: MigrationQuery = {}): Promise<Migration[]> {
  let select = db.selectFrom('compute_server_migration').selectAll();
  if (query.instanceUuid !== undefined) select = select.where('instance_uuid', '=', query.instanceUuid);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.migrationType !== undefined) select = select.where('migration_type', '=', query.migrationType);
  if (query.sourceCompute !== undefined) select = select.where('source_compute', '=', query.sourceCompute);
  if (query.host !== undefined) {
    const host = query.host;
    select = select.where((eb) => eb.or([eb('source_compute', '=', host), eb('dest_compute', '=', host)]));
  }
  if (query.changesSince !== undefined) select = select.where('updated_at', '>=', query.changesSince);
  if (query.changesBefore !== undefined) select = select.where('updated_at', '<=', query.changesBefore);
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(fromRow);
}
