/** The volume attachment store on every engine: device allocation, per-server listing, removal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateService } from '../../core/db/migrate.js';
import { forEachDialect } from '../../../test/support/databases.js';
import { computeMigrations } from '../migrations/index.js';
import * as store from './index.js';

test('devices start at /dev/vdb and reuse freed names', () => {
  assert.equal(store.nextDevice([]), '/dev/vdb');
  assert.equal(store.nextDevice(['/dev/vdb']), '/dev/vdc');
  assert.equal(store.nextDevice(['/dev/vdc']), '/dev/vdb');
  const all = [...'bcdefghijklmnopqrstuvwxyz'].map((l) => `/dev/vd${l}`);
  assert.equal(store.nextDevice(all), null);
});

forEachDialect('compute volume attachment store', (dialect) => {
  test('attachments are kept per server, unique per device, and removed once', async () => {
    const db = await dialect.open();
    await migrateService(db, 'compute', computeMigrations);
    const compute = store.computeDb(db);
    try {
      const attach = (serverId: string, volumeId: string, device: string, createdAt: string) =>
        store.insertVolumeAttachment(compute, {
          serverId,
          volumeId,
          attachmentId: `att-${volumeId}`,
          device,
          tag: null,
          deleteOnTermination: volumeId === 'v2',
          createdAt,
        });
      await attach('s1', 'v1', '/dev/vdb', '2026-01-01T00:00:01Z');
      await attach('s1', 'v2', '/dev/vdc', '2026-01-01T00:00:02Z');
      await attach('s2', 'v3', '/dev/vdb', '2026-01-01T00:00:03Z');
      await assert.rejects(attach('s1', 'v4', '/dev/vdb', '2026-01-01T00:00:04Z'), 'a device is used once per server');
      const listed = await store.listVolumeAttachments(compute, 's1');
      assert.deepEqual(
        listed.map((a) => [a.volumeId, a.device, a.deleteOnTermination]),
        [
          ['v1', '/dev/vdb', false],
          ['v2', '/dev/vdc', true],
        ],
      );
      assert.equal((await store.getVolumeAttachment(compute, 's2', 'v3'))?.attachmentId, 'att-v3');
      assert.equal(await store.getVolumeAttachment(compute, 's2', 'v1'), null);
      const bulk = await store.volumeAttachmentsOf(compute, ['s1', 's2', 's3']);
      assert.deepEqual(
        [...bulk.entries()].map(([id, list]) => [id, list.map((a) => a.volumeId)]),
        [
          ['s1', ['v1', 'v2']],
          ['s2', ['v3']],
        ],
      );
      assert.equal((await store.volumeAttachmentsOf(compute, [])).size, 0);
      assert.equal(await store.deleteVolumeAttachment(compute, 's1', 'v1'), true);
      assert.equal(await store.deleteVolumeAttachment(compute, 's1', 'v1'), false);
      assert.deepEqual(
        (await store.listVolumeAttachments(compute, 's1')).map((a) => a.volumeId),
        ['v2'],
      );
    } finally {
      await db.close();
    }
  });
});
