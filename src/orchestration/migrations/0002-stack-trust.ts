/**
 * The Keystone trust a stack acts through after its owner's token expired
 * (Heat's user_creds `trust_id`): set on a root stack made with
 * deferred_auth_method `trusts` and on its nested stacks (they share the
 * root's); null where the stack acts as the caller stored with it. Frozen:
 * never edit, add a new migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('heat_stack').addColumn('trust_id', 'varchar(64)').execute();
}
