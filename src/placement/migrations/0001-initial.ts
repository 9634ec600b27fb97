/**
 * Placement's tables as Nimbus keeps them. Frozen: never edit, add a new migration.
 *
 * Providers carry a generation bumped by every change to them (inventory,
 * traits, aggregates, allocations against them); the compare-and-swap on it is
 * what makes concurrent writers notice each other. `placement_inventory.used`
 * is the sum of the allocations of that class on that provider, kept in the
 * allocating transaction, so allocation candidates are one indexed query over
 * inventories with no aggregation over allocations. Standard resource classes
 * and traits are not rows: they are the lists in data/standard-names.ts;
 * only CUSTOM_* ones are stored.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const uuid = 'varchar(36)' as const;
  const name = 'varchar(255)' as const;
  const text = 'text' as const;

  await db.schema
    .createTable('placement_resource_provider')
    .addColumn('uuid', uuid, (c) => c.primaryKey())
    // Creation order, so listings and candidates come out stable without randomisation.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', name, (c) => c.notNull().unique())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('parent_provider_uuid', uuid)
    .addColumn('root_provider_uuid', uuid, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('placement_rp_seq').on('placement_resource_provider').column('seq').execute();
  await db.schema.createIndex('placement_rp_root').on('placement_resource_provider').column('root_provider_uuid').execute();
  await db.schema.createIndex('placement_rp_parent').on('placement_resource_provider').column('parent_provider_uuid').execute();

  await db.schema
    .createTable('placement_inventory')
    .addColumn('provider_uuid', uuid, (c) => c.notNull().references('placement_resource_provider.uuid').onDelete('cascade'))
    .addColumn('resource_class', name, (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('reserved', 'bigint', (c) => c.notNull())
    .addColumn('min_unit', 'bigint', (c) => c.notNull())
    .addColumn('max_unit', 'bigint', (c) => c.notNull())
    .addColumn('step_size', 'bigint', (c) => c.notNull())
    .addColumn('allocation_ratio', 'double precision', (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('placement_inventory_pk', ['provider_uuid', 'resource_class'])
    .execute();
  // Candidates filter inventories by class first.
  await db.schema.createIndex('placement_inventory_class').on('placement_inventory').columns(['resource_class', 'provider_uuid']).execute();

  await db.schema
    .createTable('placement_consumer')
    .addColumn('uuid', uuid, (c) => c.primaryKey())
    .addColumn('project_id', name, (c) => c.notNull())
    .addColumn('user_id', name, (c) => c.notNull())
    .addColumn('consumer_type', name)
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('placement_consumer_project_user').on('placement_consumer').columns(['project_id', 'user_id']).execute();

  await db.schema
    .createTable('placement_allocation')
    .addColumn('consumer_uuid', uuid, (c) => c.notNull().references('placement_consumer.uuid').onDelete('cascade'))
    .addColumn('provider_uuid', uuid, (c) => c.notNull().references('placement_resource_provider.uuid'))
    .addColumn('resource_class', name, (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('placement_allocation_pk', ['consumer_uuid', 'provider_uuid', 'resource_class'])
    .execute();
  await db.schema.createIndex('placement_allocation_provider').on('placement_allocation').columns(['provider_uuid', 'resource_class']).execute();

  await db.schema
    .createTable('placement_custom_resource_class')
    .addColumn('name', name, (c) => c.primaryKey())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('placement_custom_trait')
    .addColumn('name', name, (c) => c.primaryKey())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('placement_provider_trait')
    .addColumn('provider_uuid', uuid, (c) => c.notNull().references('placement_resource_provider.uuid').onDelete('cascade'))
    .addColumn('trait', name, (c) => c.notNull())
    .addPrimaryKeyConstraint('placement_provider_trait_pk', ['provider_uuid', 'trait'])
    .execute();
  await db.schema.createIndex('placement_provider_trait_trait').on('placement_provider_trait').columns(['trait', 'provider_uuid']).execute();

  await db.schema
    .createTable('placement_provider_aggregate')
    .addColumn('provider_uuid', uuid, (c) => c.notNull().references('placement_resource_provider.uuid').onDelete('cascade'))
    .addColumn('aggregate_uuid', uuid, (c) => c.notNull())
    .addPrimaryKeyConstraint('placement_provider_aggregate_pk', ['provider_uuid', 'aggregate_uuid'])
    .execute();
  await db.schema.createIndex('placement_provider_aggregate_agg').on('placement_provider_aggregate').columns(['aggregate_uuid', 'provider_uuid']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'placement_provider_aggregate',
    'placement_provider_trait',
    'placement_custom_trait',
    'placement_custom_resource_class',
    'placement_allocation',
    'placement_consumer',
    'placement_inventory',
    'placement_resource_provider',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
