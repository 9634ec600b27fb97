/**
 * Indexes for GET /servers paged in SQL: the default listing (a project's
 * live servers, newest first) and the admin's all-projects listing walk an
 * index in order instead of sorting every row. Frozen: never edit, add a new
 * migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.createIndex('compute_server_project_listing').on('compute_server').columns(['project_id', 'deleted', 'created_at', 'id']).execute();
  await db.schema.createIndex('compute_server_listing').on('compute_server').columns(['deleted', 'created_at', 'id']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('compute_server_listing').execute();
  await db.schema.dropIndex('compute_server_project_listing').execute();
}
