/** Migration 0003: networks made before segments get their provider segment, and the service then shows it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { networkMigrations } from '../../src/network/migrations/index.js';

test('each existing network gets one segment from its provider attributes', async () => {
  const db = openDatabase({ connection: ':memory:' });
  try {
    const before = { '0001-initial': networkMigrations['0001-initial'], '0002-port-forwardings': networkMigrations['0002-port-forwardings'] };
    await migrateService(db, 'network', before as typeof networkMigrations);
    const attrs = { description: '', 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 120 };
    const row = { kind: 'network', project_id: 'p1', parent_id: null, name: 'old', created_at: '2026-01-01T00:00:00.000Z', revision_number: 3, tags: '[]' };
    await db.kysely
      .withTables<{ neutron_resource: Record<string, unknown> }>()
      .insertInto('neutron_resource')
      .values({ ...row, id: 'net-1', updated_at: row.created_at, attrs: JSON.stringify(attrs) })
      .execute();
    assert.deepEqual(await migrateService(db, 'network', networkMigrations), ['0003-segments']);
    const segments = await db.kysely
      .withTables<{ neutron_resource: Record<string, unknown> }>()
      .selectFrom('neutron_resource')
      .selectAll()
      .where('kind', '=', 'segment')
      .execute();
    assert.equal(segments.length, 1);
    assert.equal(segments[0]?.parent_id, 'net-1');
    assert.equal(segments[0]?.created_at, row.created_at);
    assert.deepEqual(JSON.parse(String(segments[0]?.attrs)), {
      network_id: 'net-1',
      name: null,
      description: null,
      network_type: 'vlan',
      physical_network: 'physnet1',
      segmentation_id: 120,
      segment_index: 0,
    });
  } finally {
    await db.close();
  }
});
