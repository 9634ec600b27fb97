/**
 * The software configs and deployments tables, in the orchestration
 * service's migration history after the engine's (`software-` sorts after
 * the engine's numbered names). Frozen: never edit, add a new migration.
 */
import type { Migrations, MigrationDb } from '../../core/db/migrate.js';

async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('heat_software_config')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('group_name', 'varchar(255)', (c) => c.notNull())
    // config, inputs, outputs and options as one JSON document, as Heat keeps them.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('heat_software_config_project').on('heat_software_config').columns(['project_id', 'created_at']).execute();

  await db.schema
    .createTable('heat_software_deployment')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('config_id', 'varchar(36)', (c) => c.notNull().references('heat_software_config.id'))
    .addColumn('server_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(255)', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull())
    .addColumn('input_values', 'text', (c) => c.notNull())
    .addColumn('output_values', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
  await db.schema.createIndex('heat_software_deployment_server').on('heat_software_deployment').columns(['server_id']).execute();
  await db.schema.createIndex('heat_software_deployment_config').on('heat_software_deployment').columns(['config_id']).execute();
}

export const softwareMigrations: Migrations = {
  'software-0001-initial': { up },
};
