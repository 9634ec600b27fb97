/** OS-OAUTH1 consumers: the applications that may ask for delegated access. Frozen. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('consumer')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('description', 'varchar(64)')
    .addColumn('secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('consumer').execute();
}
