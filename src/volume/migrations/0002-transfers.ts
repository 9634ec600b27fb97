/** Volume transfers (`os-volume-transfer`). Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cinder_transfer')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('volume_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    // The auth key is never stored: its salted SHA-256, as Cinder keeps it.
    .addColumn('salt', 'varchar(64)', (c) => c.notNull())
    .addColumn('crypt_hash', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
