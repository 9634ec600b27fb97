/** OS-FEDERATION: identity providers, their remote ids and protocols, mappings, service providers. Frozen. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('identity_provider')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('authorization_ttl', 'integer')
    .execute();
  await db.schema
    .createTable('idp_remote_id')
    .addColumn('idp_id', 'varchar(64)', (c) => c.notNull().references('identity_provider.id').onDelete('cascade'))
    // One remote id names one identity provider in the whole cloud.
    .addColumn('remote_id', 'varchar(255)', (c) => c.primaryKey())
    .execute();
  await db.schema
    .createTable('mapping')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'varchar(5)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('federation_protocol')
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('idp_id', 'varchar(64)', (c) => c.notNull().references('identity_provider.id').onDelete('cascade'))
    .addColumn('mapping_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('remote_id_attribute', 'varchar(64)')
    .addPrimaryKeyConstraint('federation_protocol_pk', ['idp_id', 'id'])
    .execute();
  await db.schema
    .createTable('service_provider')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('auth_url', 'varchar(256)', (c) => c.notNull())
    .addColumn('sp_url', 'varchar(256)', (c) => c.notNull())
    .addColumn('relay_state_prefix', 'varchar(256)', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['service_provider', 'federation_protocol', 'mapping', 'idp_remote_id', 'identity_provider']) await db.schema.dropTable(table).execute();
}
