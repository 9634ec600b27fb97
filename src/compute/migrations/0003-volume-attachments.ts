/**
 * Nova's block device mappings for Cinder volumes attached to servers
 * (os-volume_attachments). One row per (server, volume); the device name is
 * unique per server so two attachments never get the same /dev/vdX.
 * Frozen: never edit, add a new migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const id = 'varchar(64)' as const;
  await db.schema
    .createTable('compute_volume_attachment')
    .addColumn('server_id', id, (c) => c.notNull())
    .addColumn('volume_id', id, (c) => c.notNull())
    // Cinder's attachment id: what detach hands back to the volume service.
    .addColumn('attachment_id', id, (c) => c.notNull())
    .addColumn('device', 'varchar(64)', (c) => c.notNull())
    .addColumn('tag', 'varchar(60)')
    .addColumn('delete_on_termination', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('compute_volume_attachment_pk', ['server_id', 'volume_id'])
    .addUniqueConstraint('compute_volume_attachment_device', ['server_id', 'device'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('compute_volume_attachment').execute();
}
