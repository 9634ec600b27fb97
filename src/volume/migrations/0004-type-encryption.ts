/** Volume type encryption specs (`/types/{id}/encryption`). Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cinder_type_encryption')
    // One set of specs per type, as Cinder keeps it.
    .addColumn('volume_type_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('encryption_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('provider', 'varchar(255)')
    .addColumn('cipher', 'varchar(255)')
    .addColumn('key_size', 'integer')
    .addColumn('control_location', 'varchar(255)')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
}
