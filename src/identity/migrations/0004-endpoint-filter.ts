/** OS-EP-FILTER: endpoint groups and the project associations that filter a project's catalog. Frozen. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('endpoint_group')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    // A JSON object of endpoint attributes (service_id, region_id, interface) an endpoint must all match.
    .addColumn('filters', 'text', (c) => c.notNull())
    .execute();
  // No foreign keys to project or endpoint: as in Keystone, their deletion removes the associations.
  await db.schema
    .createTable('project_endpoint')
    .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_endpoint_pk', ['endpoint_id', 'project_id'])
    .execute();
  await db.schema
    .createTable('project_endpoint_group')
    .addColumn('endpoint_group_id', 'varchar(64)', (c) => c.notNull().references('endpoint_group.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_endpoint_group_pk', ['endpoint_group_id', 'project_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['project_endpoint_group', 'project_endpoint', 'endpoint_group']) await db.schema.dropTable(table).execute();
}
