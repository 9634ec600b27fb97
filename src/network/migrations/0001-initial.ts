/**
 * Neutron's tables as Nimbus keeps them. Frozen: never edit, add a new migration.
 *
 * Every API resource (network, subnet, port, router, floatingip,
 * security_group, security_group_rule, rbac_policy) is one row of
 * `neutron_resource`: the standard attributes as columns, the
 * resource-specific ones as JSON. What must be unique under concurrency has
 * its own table with a key the database enforces: IP allocations per subnet,
 * MAC addresses, segmentation ids.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const id = 'varchar(64)' as const;

  await db.schema
    .createTable('neutron_resource')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('parent_id', id)
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('revision_number', 'integer', (c) => c.notNull())
    .addColumn('tags', text, (c) => c.notNull())
    .addColumn('attrs', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('neutron_resource_kind_project').on('neutron_resource').columns(['kind', 'project_id']).execute();
  await db.schema.createIndex('neutron_resource_kind_parent').on('neutron_resource').columns(['kind', 'parent_id']).execute();

  await db.schema
    .createTable('neutron_ip_allocation')
    .addColumn('subnet_id', id, (c) => c.notNull().references('neutron_resource.id').onDelete('cascade'))
    .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('network_id', id, (c) => c.notNull())
    .addColumn('port_id', id, (c) => c.notNull().references('neutron_resource.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('neutron_ip_allocation_pk', ['subnet_id', 'ip_address'])
    .execute();
  await db.schema.createIndex('neutron_ip_allocation_port').on('neutron_ip_allocation').column('port_id').execute();

  await db.schema
    .createTable('neutron_mac_address')
    .addColumn('mac_address', 'varchar(32)', (c) => c.primaryKey())
    // No foreign key: the MAC is taken before the port row exists.
    .addColumn('port_id', id, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('neutron_segment')
    .addColumn('network_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('physical_network', 'varchar(64)', (c) => c.notNull())
    .addColumn('segmentation_id', 'integer', (c) => c.notNull())
    // No foreign key: the segment is taken before the network row exists.
    .addColumn('network_id', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('neutron_segment_pk', ['network_type', 'physical_network', 'segmentation_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['neutron_segment', 'neutron_mac_address', 'neutron_ip_allocation', 'neutron_resource']) {
    await db.schema.dropTable(table).execute();
  }
}
