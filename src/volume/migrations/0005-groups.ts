/** Generic volume groups: group types, groups, group snapshots; a volume's group and a snapshot's group snapshot. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cinder_group_type')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'varchar(255)')
    .addColumn('is_public', 'boolean', (c) => c.notNull())
    .addColumn('group_specs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cinder_group')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'varchar(255)')
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
    .addColumn('group_type_id', 'varchar(64)', (c) => c.notNull())
    // The volume types a group's volumes may have, in the order given (a JSON array of ids).
    .addColumn('volume_type_ids', 'text', (c) => c.notNull())
    .addColumn('group_snapshot_id', 'varchar(64)')
    .addColumn('source_group_id', 'varchar(64)')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cinder_group_project').on('cinder_group').column('project_id').execute();
  await db.schema
    .createTable('cinder_group_snapshot')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('group_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('group_type_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'varchar(255)')
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('cinder_volume').addColumn('group_id', 'varchar(64)').execute();
  await db.schema.createIndex('cinder_volume_group').on('cinder_volume').column('group_id').execute();
  await db.schema.alterTable('cinder_snapshot').addColumn('group_snapshot_id', 'varchar(64)').execute();
}
