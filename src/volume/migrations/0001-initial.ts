/**
 * Cinder's tables as Nimbus keeps them. Frozen: never edit, add a new migration.
 *
 * Deleted rows are removed, not flagged: Cinder's soft delete serves only its
 * `cinder-manage db purge`. User and image metadata of a volume are rows of
 * one table (`kind`), so list filters on metadata are an indexed EXISTS.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const id = 'varchar(64)' as const;
  const bool = 'boolean' as const;

  await db.schema
    .createTable('cinder_volume_type')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', text)
    .addColumn('is_public', bool, (c) => c.notNull())
    .addColumn('extra_specs', text, (c) => c.notNull())
    .addColumn('qos_specs_id', id)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cinder_volume_type_access')
    .addColumn('volume_type_id', id, (c) => c.notNull())
    .addColumn('project_id', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('cinder_volume_type_access_pk', ['volume_type_id', 'project_id'])
    .execute();
  await db.schema
    .createTable('cinder_qos_specs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('consumer', 'varchar(32)', (c) => c.notNull())
    .addColumn('specs', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cinder_volume')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', text)
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    // Why the volume went to an error state, for the operator's log and the messages API.
    .addColumn('status_reason', text)
    .addColumn('attach_status', 'varchar(32)', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
    .addColumn('volume_type_id', id, (c) => c.notNull())
    // `host@backend#pool`, set when the scheduler picked a backend.
    .addColumn('host', 'varchar(255)')
    .addColumn('snapshot_id', id)
    .addColumn('source_volid', id)
    .addColumn('image_id', id)
    .addColumn('bootable', bool, (c) => c.notNull())
    .addColumn('readonly', bool)
    .addColumn('multiattach', bool, (c) => c.notNull())
    .addColumn('migration_status', 'varchar(32)')
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('launched_at', text)
    .execute();
  await db.schema.createIndex('cinder_volume_project').on('cinder_volume').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('cinder_volume_status').on('cinder_volume').column('status').execute();

  await db.schema
    .createTable('cinder_volume_metadata')
    .addColumn('volume_id', id, (c) => c.notNull())
    // 'user' (the volume's metadata) or 'image' (volume_image_metadata).
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('cinder_volume_metadata_pk', ['volume_id', 'kind', 'key'])
    .execute();
  await db.schema.createIndex('cinder_volume_metadata_key').on('cinder_volume_metadata').columns(['kind', 'key', 'value']).execute();

  await db.schema
    .createTable('cinder_snapshot')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('volume_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', text)
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('status_reason', text)
    .addColumn('progress', 'varchar(8)', (c) => c.notNull())
    .addColumn('metadata', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cinder_snapshot_volume').on('cinder_snapshot').column('volume_id').execute();
  await db.schema.createIndex('cinder_snapshot_project').on('cinder_snapshot').columns(['project_id', 'created_at']).execute();

  await db.schema
    .createTable('cinder_attachment')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('volume_id', id, (c) => c.notNull())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('instance_uuid', id)
    .addColumn('attached_host', 'varchar(255)')
    .addColumn('mountpoint', 'varchar(255)')
    // 'reserved' → 'attaching' → 'attached' → 'detached' (Cinder's attach_status).
    .addColumn('attach_status', 'varchar(32)', (c) => c.notNull())
    .addColumn('attach_mode', 'varchar(4)', (c) => c.notNull())
    .addColumn('connector', text)
    .addColumn('connection_info', text)
    .addColumn('attach_time', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cinder_attachment_volume').on('cinder_attachment').column('volume_id').execute();
}
