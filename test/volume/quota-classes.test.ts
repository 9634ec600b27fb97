import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('quota classes: the default class backs every project default', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  test('show and update the default class; project defaults follow; errors as Cinder', async () => {
    const shown = await admin.call('GET', '/os-quota-class-sets/default');
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.quota_class_set.id, 'default');
    assert.equal(shown.body.quota_class_set.volumes, 10);
    const type = (await admin.call('POST', '/types', { volume_type: { name: 'qc-type' } })).body.volume_type.name as string;
    const updated = await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { volumes: 11, [`gigabytes_${type}`]: 7 } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.quota_class_set.volumes, 11);
    assert.equal(updated.body.quota_class_set[`gigabytes_${type}`], 7);
    assert.ok(!('id' in updated.body.quota_class_set));
    const defaults = (await admin.call('GET', `/os-quota-sets/${demo.projectId}/defaults`)).body.quota_set;
    assert.equal(defaults.volumes, 11);
    assert.equal(defaults[`gigabytes_${type}`], 7);
    assert.equal((await demo.call('GET', '/os-quota-class-sets/default')).status, 403);
    assert.equal((await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { bogus: 1 } })).status, 400);
    assert.equal((await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { volumes: -2 } })).status, 400);
    await admin.call('PUT', '/os-quota-class-sets/default', { quota_class_set: { volumes: 10 } });
  });
});
