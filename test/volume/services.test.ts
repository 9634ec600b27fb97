import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('os-services: one cinder-volume per backend, enable/disable, freeze/thaw', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  test('a bare host matches its backends; a backend host only itself', async () => {
    const all = (await admin.call('GET', '/os-services?host=nimbus')).body.services as { binary: string; host: string }[];
    assert.deepEqual(all.map((s) => `${s.binary} ${s.host}`).sort(), ['cinder-scheduler nimbus', 'cinder-volume nimbus@file']);
    const volumeOnly = (await admin.call('GET', '/os-services?host=nimbus@file&binary=cinder-volume')).body.services;
    assert.equal(volumeOnly.length, 1);
    assert.equal(volumeOnly[0].frozen, false);
    assert.equal((await demo.call('GET', '/os-services')).status, 403);
  });

  test('disable with a reason keeps new volumes off the backend; enable brings it back', async () => {
    const body = { host: 'nimbus@file', binary: 'cinder-volume', disabled_reason: 'maintenance' };
    const disabled = await admin.call('PUT', '/os-services/disable-log-reason', body);
    assert.equal(disabled.status, 200, disabled.text);
    assert.deepEqual(disabled.body, {
      host: 'nimbus@file',
      service: '',
      binary: 'cinder-volume',
      status: 'disabled',
      disabled: true,
      disabled_reason: 'maintenance',
    });
    const listed = (await admin.call('GET', '/os-services?binary=cinder-volume')).body.services[0];
    assert.equal(listed.status, 'disabled');
    assert.equal(listed.disabled_reason, 'maintenance');
    const volume = (await demo.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id as string;
    await demo.waitFor(volume, 'error');
    assert.equal((await admin.call('PUT', '/os-services/disable-log-reason', { ...body, disabled_reason: null })).status, 400);
    assert.equal((await admin.call('PUT', '/os-services/enable', { host: 'nowhere', binary: 'cinder-volume' })).status, 404);
    const enabled = await admin.call('PUT', '/os-services/enable', { host: 'nimbus@file', binary: 'cinder-volume' });
    assert.equal(enabled.body.status, 'enabled');
    await demo.waitFor((await demo.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id, 'available');
  });

  test('freeze refuses deleting volumes and snapshots until thawed; unknown hosts are 400', async () => {
    const volume = (await demo.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id as string;
    await demo.waitFor(volume, 'available');
    assert.equal((await admin.call('PUT', '/os-services/freeze', { host: 'invalid_host' })).status, 400);
    assert.equal((await demo.call('PUT', '/os-services/freeze', { host: 'nimbus' })).status, 403);
    assert.equal((await admin.call('PUT', '/os-services/freeze', { host: 'nimbus' })).status, 200);
    assert.equal((await admin.call('GET', '/os-services?binary=cinder-volume')).body.services[0].frozen, true);
    const again = await admin.call('PUT', '/os-services/freeze', { host: 'nimbus@file' });
    assert.equal(again.status, 400);
    const refused = await demo.call('DELETE', `/volumes/${volume}`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.badRequest.message, /frozen storage backends/);
    assert.equal((await demo.call('POST', '/snapshots', { snapshot: { volume_id: volume } })).status, 400);
    assert.equal((await admin.call('PUT', '/os-services/thaw', { host: 'nimbus' })).status, 200);
    assert.equal((await admin.call('PUT', '/os-services/thaw', { host: 'nimbus' })).status, 400);
    assert.equal((await demo.call('DELETE', `/volumes/${volume}`)).status, 202);
    await demo.waitGone(volume);
  });
});
