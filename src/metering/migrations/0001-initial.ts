/** The polling agent's claims and the resources it published. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  // One row per pollster group (`central`, `compute:<host>`): the last polling cycle some process claimed.
  await db.schema
    .createTable('metering_poll_claim')
    .addColumn('source', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('cycle', 'bigint', (c) => c.notNull())
    .addColumn('owner', 'varchar(255)', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();
  // Each Gnocchi resource published and the object it stands for, to end it once that object is deleted.
  await db.schema
    .createTable('metering_resource')
    .addColumn('resource_id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('owner_kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(255)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('metering_resource_owner').on('metering_resource').columns(['owner_kind', 'owner_id']).execute();
}
