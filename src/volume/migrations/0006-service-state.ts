/** What an admin set on a service (`os-services` enable/disable, freeze/thaw). Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cinder_service_state')
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('binary', 'varchar(255)', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull())
    .addColumn('disabled_reason', 'varchar(255)')
    .addColumn('frozen', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cinder_service_state_pk', ['host', 'binary'])
    .execute();
}
