/** User messages: what went wrong in an asynchronous operation, for the project to read. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const id = 'varchar(64)' as const;
  await db.schema
    .createTable('cinder_message')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource_type', 'varchar(255)')
    .addColumn('resource_uuid', id)
    .addColumn('event_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('message_level', 'varchar(32)', (c) => c.notNull())
    .addColumn('action_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('detail_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cinder_message_project').on('cinder_message').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('cinder_message_expires').on('cinder_message').column('expires_at').execute();
}
