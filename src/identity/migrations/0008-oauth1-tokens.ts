/**
 * OS-OAUTH1 request and access tokens, as Keystone's oauth1 SQL backend keeps
 * them: role ids as JSON text, expiry as ISO text (null when the duration is 0). Frozen.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('request_token')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('request_secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('verifier', 'varchar(64)')
    .addColumn('authorizing_user_id', 'varchar(64)')
    .addColumn('requested_project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_ids', 'text')
    .addColumn('consumer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(64)')
    .execute();
  await db.schema.createIndex('request_token_consumer_id').on('request_token').column('consumer_id').execute();
  await db.schema
    .createTable('access_token')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('access_secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('authorizing_user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_ids', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(64)')
    .execute();
  await db.schema.createIndex('access_token_authorizing_user_id').on('access_token').column('authorizing_user_id').execute();
  await db.schema.createIndex('access_token_consumer_id').on('access_token').column('consumer_id').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('access_token').execute();
  await db.schema.dropTable('request_token').execute();
}
