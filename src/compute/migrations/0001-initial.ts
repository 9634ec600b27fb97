/**
 * Nova's tables as Nimbus keeps them. Frozen: never edit, add a new migration.
 *
 * Columns are what is queried, filtered or changed by compare-and-swap
 * (states, host, owner, deleted); the rest of a row's attributes are JSON.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const id = 'varchar(64)' as const;
  const ts = 'varchar(40)' as const;

  await db.schema
    .createTable('compute_counter')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('compute_counter')
    .values([
      { name: 'keypair', value: 0 },
      { name: 'aggregate', value: 0 },
      { name: 'migration', value: 0 },
    ])
    .execute();

  await db.schema
    .createTable('compute_flavor')
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('vcpus', 'integer', (c) => c.notNull())
    .addColumn('root_gb', 'integer', (c) => c.notNull())
    .addColumn('ephemeral_gb', 'integer', (c) => c.notNull())
    .addColumn('swap', 'integer', (c) => c.notNull())
    .addColumn('rxtx_factor', 'real', (c) => c.notNull())
    .addColumn('is_public', 'boolean', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('extra_specs', text, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts)
    .execute();
  await db.schema
    .createTable('compute_flavor_access')
    .addColumn('flavor_id', 'varchar(255)', (c) => c.notNull().references('compute_flavor.id').onDelete('cascade'))
    .addColumn('project_id', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('compute_flavor_access_pk', ['flavor_id', 'project_id'])
    .execute();

  await db.schema
    .createTable('compute_keypair')
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('project_id', id)
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(255)', (c) => c.notNull())
    .addColumn('public_key', text, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('compute_keypair_pk', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('compute_server')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('vm_state', 'varchar(32)', (c) => c.notNull())
    .addColumn('task_state', 'varchar(64)')
    .addColumn('power_state', 'integer', (c) => c.notNull())
    .addColumn('host', 'varchar(255)')
    .addColumn('node', 'varchar(255)')
    .addColumn('flavor_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('image_ref', id)
    .addColumn('locked', 'boolean', (c) => c.notNull())
    .addColumn('deleted', 'boolean', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('deleted_at', ts)
    // Bumped by every write: updates compare-and-swap on it.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('attrs', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compute_server_project').on('compute_server').columns(['project_id', 'deleted']).execute();
  await db.schema.createIndex('compute_server_host').on('compute_server').columns(['host', 'deleted']).execute();

  await db.schema
    .createTable('compute_instance_action')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('instance_uuid', id, (c) => c.notNull())
    .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('start_time', ts, (c) => c.notNull())
    .addColumn('finish_time', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('message', text)
    .addColumn('events', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compute_instance_action_instance').on('compute_instance_action').columns(['instance_uuid', 'request_id']).execute();

  // One row per nova-compute service, i.e. per (fake or real) hypervisor host.
  await db.schema
    .createTable('compute_service')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('host', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('binary', 'varchar(64)', (c) => c.notNull())
    .addColumn('node_uuid', id, (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('disabled_reason', text)
    .addColumn('forced_down', 'boolean', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('attrs', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('compute_aggregate')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('uuid', id, (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('availability_zone', 'varchar(255)')
    .addColumn('hosts', text, (c) => c.notNull())
    .addColumn('metadata', text, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts)
    .execute();

  await db.schema
    .createTable('compute_server_group')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('policy', 'varchar(32)', (c) => c.notNull())
    .addColumn('rules', text, (c) => c.notNull())
    .addColumn('members', text, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('compute_server_migration')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('uuid', id, (c) => c.notNull().unique())
    .addColumn('instance_uuid', id, (c) => c.notNull())
    .addColumn('migration_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_compute', 'varchar(255)')
    .addColumn('dest_compute', 'varchar(255)')
    .addColumn('source_node', 'varchar(255)')
    .addColumn('dest_node', 'varchar(255)')
    .addColumn('old_flavor_id', 'varchar(255)')
    .addColumn('new_flavor_id', 'varchar(255)')
    .addColumn('project_id', id)
    .addColumn('user_id', id)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compute_server_migration_instance').on('compute_server_migration').column('instance_uuid').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'compute_server_migration',
    'compute_server_group',
    'compute_aggregate',
    'compute_service',
    'compute_instance_action',
    'compute_server',
    'compute_keypair',
    'compute_flavor_access',
    'compute_flavor',
    'compute_counter',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
