/** Queries on software configs and deployments (tables in migrations.ts); nothing else touches them. */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { JsonColumn } from '../../core/db/values.js';

export interface SoftwareConfigTable {
  id: string;
  project_id: string;
  name: string;
  group_name: string;
  body: JsonColumn;
  created_at: string;
}

export interface SoftwareDeploymentTable {
  id: string;
  project_id: string;
  config_id: string;
  server_id: string;
  action: string;
  status: string;
  status_reason: string;
  input_values: JsonColumn;
  output_values: JsonColumn;
  created_at: string;
  updated_at: string | null;
}

export type SoftwareTables = {
  heat_software_config: SoftwareConfigTable;
  heat_software_deployment: SoftwareDeploymentTable;
};

export type ConfigRow = Selectable<SoftwareConfigTable>;
export type DeploymentRow = Selectable<SoftwareDeploymentTable>;
export type SoftwareDb = Kysely<SoftwareTables>;

export function softwareDb(db: Database): SoftwareDb {
  return db.kysely.withTables<SoftwareTables>();
}

export async function insertConfig(db: SoftwareDb, row: Insertable<SoftwareConfigTable>): Promise<void> {
  await db.insertInto('heat_software_config').values(row).execute();
}

export async function getConfigRow(db: SoftwareDb, id: string): Promise<ConfigRow | null> {
  return (await db.selectFrom('heat_software_config').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A project's configs (null: every project's), oldest first, after `marker` when given. */
export async function listConfigRows(
  db: SoftwareDb,
  projectId: string | null,
  page: { limit?: number; markerCreatedAt?: string; markerId?: string },
): Promise<ConfigRow[]> {
  let query = db.selectFrom('heat_software_config').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  const { markerCreatedAt, markerId } = page;
  if (markerCreatedAt !== undefined && markerId !== undefined) {
    query = query.where((eb) => eb.or([eb('created_at', '>', markerCreatedAt), eb.and([eb('created_at', '=', markerCreatedAt), eb('id', '>', markerId)])]));
  }
  query = query.orderBy('created_at').orderBy('id');
  if (page.limit !== undefined) query = query.limit(page.limit);
  return query.execute();
}

export async function configInUse(db: SoftwareDb, id: string): Promise<boolean> {
  return (await db.selectFrom('heat_software_deployment').select('id').where('config_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
}

export async function deleteConfigRow(db: SoftwareDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('heat_software_config').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertDeployment(db: SoftwareDb, row: Insertable<SoftwareDeploymentTable>): Promise<void> {
  await db.insertInto('heat_software_deployment').values(row).execute();
}

export async function getDeploymentRow(db: SoftwareDb, id: string): Promise<DeploymentRow | null> {
  return (await db.selectFrom('heat_software_deployment').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Deployments of a project (null: every project), optionally of one server, oldest first. */
export async function listDeploymentRows(db: SoftwareDb, projectId: string | null, serverId?: string): Promise<DeploymentRow[]> {
  let query = db.selectFrom('heat_software_deployment').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  if (serverId !== undefined) query = query.where('server_id', '=', serverId);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function updateDeploymentRow(db: SoftwareDb, id: string, changes: Updateable<SoftwareDeploymentTable>): Promise<void> {
  await db.updateTable('heat_software_deployment').set(changes).where('id', '=', id).execute();
}

export async function deleteDeploymentRow(db: SoftwareDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('heat_software_deployment').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
