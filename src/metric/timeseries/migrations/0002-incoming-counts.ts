/**
 * The pending measures' index carries their count, so `/v1/status` (which
 * clients poll while they wait for aggregation) sums the backlog from the
 * index alone instead of reading every pending batch's blob (issue 15: on a
 * 10,000-metric backlog each poll cost SQLite 20 ms of the thread the pushes
 * and the aggregation share). Frozen: never edit, add a new migration.
 */
import type { MigrationDb } from '../../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.createIndex('ts_incoming_metric_count').on('ts_incoming').columns(['metric_id', 'id', 'measure_count']).execute();
  // The new index serves every look-up the old one did (a metric's batches in order) as its prefix.
  await db.schema.dropIndex('ts_incoming_metric').execute();
}
