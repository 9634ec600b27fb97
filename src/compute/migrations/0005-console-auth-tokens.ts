/**
 * Nova's console_auth_tokens: one row per console URL handed out, found by
 * the hash of its token (the token itself is never stored), valid until
 * `expires` (epoch seconds). In the database, so that any API process can
 * validate a token another one issued. Frozen: never edit, add a new migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('compute_console_auth_token')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('console_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('instance_uuid', 'varchar(64)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('port', 'integer')
    .addColumn('internal_access_path', 'varchar(255)')
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compute_console_auth_token_instance').on('compute_console_auth_token').column('instance_uuid').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('compute_console_auth_token').execute();
}
