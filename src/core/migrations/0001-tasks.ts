/**
 * The durable task queue (`src/core/tasks/`): one row per task, its lease and
 * its completed steps. Frozen in time: later changes go in new migrations.
 */
import type { MigrationDb } from '../db/migrate.js';
import { sql } from 'kysely';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('core_task')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    // queued | running | undoing | succeeded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_after', 'text', (c) => c.notNull())
    // A per-claim token: writes by a worker whose lease was taken over match no row.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    // JSON object: step name -> { result }.
    .addColumn('steps', 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('core_task_status_run_after').on('core_task').columns(['status', 'run_after']).execute();
  await db.schema.createIndex('core_task_resource_id').on('core_task').column('resource_id').execute();
  await db.schema.createIndex('core_task_finished_at').on('core_task').column('finished_at').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('core_task').execute();
}
