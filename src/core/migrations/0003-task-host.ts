/**
 * Tasks addressed to one host (a compute agent's work): `host` names the
 * host whose agent alone may claim the task; null is work any API process
 * runs. Frozen in time: later changes go in new migrations.
 */
import type { MigrationDb } from '../db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('core_task').addColumn('host', 'text').execute();
  await db.schema.createIndex('core_task_host_status').on('core_task').columns(['host', 'status']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('core_task_host_status').execute();
  await db.schema.alterTable('core_task').dropColumn('host').execute();
}
