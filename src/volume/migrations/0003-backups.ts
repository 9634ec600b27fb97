/** Volume backups. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const id = 'varchar(64)' as const;
  await db.schema
    .createTable('cinder_backup')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('volume_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('fail_reason', 'text')
    // The backup whose chunks an incremental backup reuses.
    .addColumn('parent_id', id)
    .addColumn('container', 'varchar(255)', (c) => c.notNull())
    .addColumn('object_count', 'integer', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cinder_backup_volume').on('cinder_backup').columns(['volume_id', 'created_at']).execute();
  await db.schema.createIndex('cinder_backup_parent').on('cinder_backup').column('parent_id').execute();
}
