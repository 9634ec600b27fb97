/**
 * The volume service on PostgreSQL (the cluster configuration): create, list
 * with metadata and boolean filters and pages, snapshot, attach, extend,
 * transfer and delete. Runs when NIMBUS_TEST_PG_URL names a server where the
 * test may create databases, on the default `file` backend (qemu-img).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';
import { qemuImgAvailable, volumeClient, type VolumeClient } from './support.js';

const hasQemuImg = qemuImgAvailable();

const skip = postgresSkip || (hasQemuImg ? false : 'qemu-img (Debian qemu-utils) is not installed');

describe('volume service on PostgreSQL', { skip }, () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startPostgresTestServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud?.close());

  test('create, filter, page, snapshot, attach, extend, transfer, delete', { timeout: 120_000 }, async () => {
    const ids: string[] = [];
    for (const [i, tier] of ['gold', 'silver', 'gold'].entries()) {
      const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: `pg-${i}`, metadata: { tier } } });
      assert.equal(created.status, 202, created.text);
      ids.push(created.body.volume.id);
    }
    for (const id of ids) await demo.waitFor(id, 'available');
    await demo.call('POST', `/volumes/${ids[1]}/action`, { 'os-set_bootable': { bootable: true } });

    const gold = await demo.call('GET', `/volumes/detail?metadata=${encodeURIComponent("{'tier': 'gold'}")}&sort=name:asc`);
    assert.deepEqual(
      gold.body.volumes.map((v: { name: string }) => v.name),
      ['pg-0', 'pg-2'],
    );
    const bootable = await demo.call('GET', '/volumes?bootable=true');
    assert.deepEqual(
      bootable.body.volumes.map((v: { id: string }) => v.id),
      [ids[1]],
    );
    const first = await demo.call('GET', '/volumes?limit=2&sort=name:asc');
    assert.equal(first.body.volumes.length, 2);
    const next = await cloud.request('GET', first.body.volumes_links[0].href, { token: demo.token });
    assert.deepEqual(
      next.body.volumes.map((v: { name: string }) => v.name),
      ['pg-2'],
    );

    const snap = await demo.call('POST', '/snapshots', { snapshot: { volume_id: ids[0] } });
    await demo.waitFor(`snapshots/${snap.body.snapshot.id}`, 'available');
    const copy = await demo.call('POST', '/volumes', { volume: { snapshot_id: snap.body.snapshot.id } });
    await demo.waitFor(copy.body.volume.id, 'available');

    const attach = await demo.call(
      'POST',
      '/attachments',
      { attachment: { volume_uuid: ids[1], instance_uuid: crypto.randomUUID(), connector: { host: 'h' } } },
      '3.44',
    );
    assert.equal(attach.status, 200, attach.text);
    await demo.call('POST', `/attachments/${attach.body.attachment.id}/action`, { 'os-complete': {} }, '3.44');
    assert.equal((await demo.call('POST', `/volumes/${ids[1]}/action`, { 'os-extend': { new_size: 2 } }, '3.42')).status, 202);
    assert.equal((await demo.waitFor(ids[1], 'in-use')).size, 2);
    await demo.call('DELETE', `/attachments/${attach.body.attachment.id}`, undefined, '3.44');

    const offer = await demo.call('POST', '/os-volume-transfer', { transfer: { volume_id: ids[2] } });
    assert.equal(
      (await admin.call('POST', `/os-volume-transfer/${offer.body.transfer.id}/accept`, { accept: { auth_key: offer.body.transfer.auth_key } })).status,
      202,
    );
    assert.equal((await admin.call('GET', `/volumes/${ids[2]}`)).body.volume['os-vol-tenant-attr:tenant_id'], admin.projectId);

    assert.equal((await demo.call('DELETE', `/volumes/${ids[0]}?cascade=true`)).status, 202);
    for (const id of [ids[1]!, copy.body.volume.id as string]) assert.equal((await demo.call('DELETE', `/volumes/${id}`)).status, 202);
    for (const id of [ids[0]!, ids[1]!, copy.body.volume.id as string]) await demo.waitGone(id);
    const usage = await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`);
    assert.equal(usage.body.quota_set.volumes.in_use, 0);
    assert.equal(usage.body.quota_set.gigabytes.in_use, 0);
    assert.equal(usage.body.quota_set.snapshots.in_use, 0);
  });
});
