/**
 * Integer ids for nova-compute services: Nova's API before 2.53 names
 * services and hypervisors by an integer (the uuid only from 2.53 on).
 * Existing rows are numbered in creation order; new ones take the
 * `service` counter. Frozen: never edit, add a new migration.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('compute_service').addColumn('seq', 'integer').execute();
  const rows = await db.selectFrom('compute_service').select(['id']).orderBy('created_at').orderBy('host').execute();
  let seq = 0;
  for (const row of rows) {
    seq += 1;
    await db.updateTable('compute_service').set({ seq }).where('id', '=', row.id).execute();
  }
  await db.insertInto('compute_counter').values({ name: 'service', value: seq }).execute();
  await db.schema.createIndex('compute_service_seq').on('compute_service').column('seq').unique().execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('compute_service_seq').execute();
  await db.deleteFrom('compute_counter').where('name', '=', 'service').execute();
  await db.schema.alterTable('compute_service').dropColumn('seq').execute();
}
