/** OS-TRUST: trusts and the roles each delegates. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('trust')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    // Keystone deletes a user's trusts, as trustor or trustee, with the user.
    .addColumn('trustor_user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('trustee_user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(64)')
    .addColumn('impersonation', 'boolean', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('remaining_uses', 'integer')
    .addColumn('redelegated_trust_id', 'varchar(64)')
    .addColumn('redelegation_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trust_trustor').on('trust').column('trustor_user_id').execute();
  await db.schema.createIndex('trust_trustee').on('trust').column('trustee_user_id').execute();

  await db.schema
    .createTable('trust_role')
    .addColumn('trust_id', 'varchar(64)', (c) => c.notNull().references('trust.id').onDelete('cascade'))
    .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('trust_role_pk', ['trust_id', 'role_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('trust_role').execute();
  await db.schema.dropTable('trust').execute();
}
