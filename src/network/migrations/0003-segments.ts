/**
 * Segments (Neutron's `segment` extension): every network made before them
 * gets its provider segment as a `segment` row of `neutron_resource`, with
 * the network's timestamps. Frozen: never edit, add a new migration.
 */
import { randomUUID } from 'node:crypto';
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const networks = await db.selectFrom('neutron_resource').select(['id', 'project_id', 'created_at', 'attrs']).where('kind', '=', 'network').execute();
  for (const network of networks) {
    const attrs = JSON.parse(String(network.attrs)) as Record<string, unknown>;
    const segment = {
      network_id: network.id,
      name: null,
      description: null,
      network_type: attrs['provider:network_type'] ?? null,
      physical_network: attrs['provider:physical_network'] ?? null,
      segmentation_id: attrs['provider:segmentation_id'] ?? null,
      segment_index: 0,
    };
    await db
      .insertInto('neutron_resource')
      .values({
        id: randomUUID(),
        kind: 'segment',
        project_id: network.project_id,
        parent_id: network.id,
        name: '',
        created_at: network.created_at,
        updated_at: network.created_at,
        revision_number: 0,
        tags: '[]',
        attrs: JSON.stringify(segment),
      })
      .execute();
  }
}

export async function down(db: MigrationDb): Promise<void> {
  await db.deleteFrom('neutron_resource').where('kind', '=', 'segment').execute();
}
