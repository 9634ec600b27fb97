/**
 * Backups of snapshots, and backups whose objects another record wrote (an
 * imported export: same objects, new id, perhaps another project). Frozen:
 * never edit, add a new migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('cinder_backup').addColumn('snapshot_id', 'varchar(64)').execute();
  // Null: the backup's own id and project.
  await db.schema.alterTable('cinder_backup').addColumn('object_prefix', 'varchar(64)').execute();
  await db.schema.alterTable('cinder_backup').addColumn('object_project_id', 'varchar(64)').execute();
}
