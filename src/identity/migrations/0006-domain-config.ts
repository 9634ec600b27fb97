/** Domain-specific configuration: one row per option a domain sets (identity and ldap groups). Frozen. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('domain_config')
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('group_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('option_name', 'varchar(255)', (c) => c.notNull())
    // The option's JSON value, whatever its type (Keystone keeps it as a JSON blob too).
    .addColumn('value', 'text', (c) => c.notNull())
    // Sensitive options (the LDAP password) are stored but never shown.
    .addColumn('sensitive', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('domain_config_pk', ['domain_id', 'group_name', 'option_name'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('domain_config').execute();
}
