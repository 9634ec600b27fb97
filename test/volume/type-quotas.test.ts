import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume per-type quotas (volumes_<type>, gigabytes_<type>, snapshots_<type>)', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  const quotaSet = async (usage = false) => (await demo.call('GET', `/os-quota-sets/${demo.projectId}${usage ? '?usage=true' : ''}`)).body.quota_set;

  test('shown for every type (unlimited by default), in defaults and usage; set, enforced with 413s, released, reset', async () => {
    const type = await admin.call('POST', '/types', { volume_type: { name: 'tq-gold' } });
    assert.equal(type.status, 200, type.text);
    const defaults = (await demo.call('GET', `/os-quota-sets/${demo.projectId}/defaults`)).body.quota_set;
    for (const key of ['volumes_tq-gold', 'gigabytes_tq-gold', 'snapshots_tq-gold']) assert.equal(defaults[key], -1, key);
    assert.equal((await quotaSet())['volumes_tq-gold'], -1);

    const set = await admin.call('PUT', `/os-quota-sets/${demo.projectId}`, {
      quota_set: { 'volumes_tq-gold': 2, 'gigabytes_tq-gold': 4, 'snapshots_tq-gold': 1 },
    });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.quota_set['gigabytes_tq-gold'], 4);
    const bad = await admin.call('PUT', `/os-quota-sets/${demo.projectId}`, { quota_set: { 'volumes_no-such-type': 2 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.badRequest.message, /Bad key\(s\) in quota set: volumes_no-such-type/);

    const big = await demo.call('POST', '/volumes', { volume: { size: 5, volume_type: 'tq-gold' } });
    assert.equal(big.status, 413);
    assert.equal(
      big.body.overLimit.message,
      'VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes_tq-gold quota. Requested 5G, quota is 4G and 0G has been consumed.',
    );
    const totalsBefore = (await quotaSet(true)).volumes.in_use as number;

    const first = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'tq-gold' } });
    assert.equal(first.status, 202, first.text);
    await demo.waitFor(first.body.volume.id, 'available');
    const second = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'tq-gold' } });
    await demo.waitFor(second.body.volume.id, 'available');
    const third = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'tq-gold' } });
    assert.equal(third.status, 413);
    assert.equal(third.body.overLimit.message, "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes_tq-gold'.");
    // Another type is not limited by tq-gold's quota.
    const other = await demo.call('POST', '/volumes', { volume: { size: 1 } });
    assert.equal(other.status, 202, other.text);
    await demo.waitFor(other.body.volume.id, 'available');

    const usage = await quotaSet(true);
    assert.deepEqual(usage['volumes_tq-gold'], { limit: 2, in_use: 2, reserved: 0, allocated: 0 });
    assert.equal(usage['gigabytes_tq-gold'].in_use, 2);
    assert.equal(usage.volumes.in_use, totalsBefore + 3, 'the totals count typed volumes too');

    const snap = await demo.call('POST', '/snapshots', { snapshot: { volume_id: first.body.volume.id } });
    assert.equal(snap.status, 202, snap.text);
    await demo.waitFor(`snapshots/${snap.body.snapshot.id}`, 'available');
    const snap2 = await demo.call('POST', '/snapshots', { snapshot: { volume_id: second.body.volume.id } });
    assert.equal(snap2.status, 413);
    assert.match(snap2.body.overLimit.message, /SnapshotLimitExceeded: Maximum number of snapshots allowed \(1\) exceeded/);
    const extend = await demo.call('POST', `/volumes/${second.body.volume.id}/action`, { 'os-extend': { new_size: 3 } });
    assert.equal(extend.status, 413, 'extend counts against gigabytes_<type>');

    // Retype moves the volume's share to the new type's quota.
    assert.equal((await demo.call('POST', `/volumes/${other.body.volume.id}/action`, { 'os-retype': { new_type: 'tq-gold' } })).status, 413);
    assert.equal((await demo.call('POST', `/volumes/${second.body.volume.id}/action`, { 'os-retype': { new_type: '__DEFAULT__' } })).status, 202);
    assert.equal((await quotaSet(true))['volumes_tq-gold'].in_use, 1);

    assert.equal((await demo.call('DELETE', `/snapshots/${snap.body.snapshot.id}`)).status, 202);
    await demo.waitGone(`snapshots/${snap.body.snapshot.id}`);
    assert.equal((await demo.call('DELETE', `/volumes/${first.body.volume.id}`)).status, 202);
    await demo.waitGone(first.body.volume.id);
    const released = await quotaSet(true);
    assert.equal(released['volumes_tq-gold'].in_use, 0);
    assert.equal(released['gigabytes_tq-gold'].in_use, 0);
    assert.equal(released['snapshots_tq-gold'].in_use, 0);

    assert.equal((await admin.call('DELETE', `/os-quota-sets/${demo.projectId}`)).status, 200);
    assert.equal((await quotaSet())['volumes_tq-gold'], -1);
  });
});
