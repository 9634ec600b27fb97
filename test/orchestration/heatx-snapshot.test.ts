/**
 * Issue 14, item 2: stack snapshots keep each resource's own snapshot and a
 * restore rebuilds from it. OS::Nova::Server images itself and is rebuilt
 * from that image; OS::Cinder::Volume backs itself up (a Cinder
 * backup, recorded as the resource's `backup_id`); restoring puts the
 * backup back into the same volume; deleting the snapshot, or the stack,
 * deletes the backups. On a real server with the fake volume driver: a file
 * volume's backup reads its whole GiB, over a minute on a shared CI core; that
 * a restore puts the bytes back is the volume service's own test.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../support/json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  resources: { disk: { type: 'OS::Cinder::Volume', properties: { size: 1, metadata: { role: 'data' } } } },
};

describe('heatx: snapshot and restore of resource data', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let token: string;
  const backups = async () => {
    const project = (await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } })).body.token.project.id;
    return (await cloud.request('GET', `/volume/v3/${project}/backups/detail`, { token })).body.backups as Json[];
  };
  const eventually = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const value = await read();
      if (value !== undefined) return value;
      await delay(100);
    }
    throw new Error('condition never met');
  };

  before(async () => {
    cloud = await startTestServer((config) => {
      config.volume.backends.file!.volume_driver = 'fake';
    });
    token = await cloud.demoToken();
    heat = await heatApi(cloud, token);
  });
  after(() => cloud?.close());

  test('a volume is backed up by the snapshot, restored in place from it, and its backups go with the snapshot and the stack', async () => {
    const created = await heat.call('POST', '/stacks', { stack_name: 'snap-volume', template: TEMPLATE });
    assert.equal(created.status, 201, created.text);
    const stackPath = `/stacks/snap-volume/${created.body.stack.id}`;
    await heat.waitFor(stackPath, 'CREATE_COMPLETE');
    const volumeId = (await heat.call('GET', `${stackPath}/resources/disk`)).body.resource.physical_resource_id as string;

    const taken = await heat.call('POST', `${stackPath}/snapshots`, { name: 'first' });
    assert.equal(taken.status, 200, taken.text);
    const snapshotId = taken.body.id as string;
    const snapshot = await eventually(async () => {
      const shown = (await heat.call('GET', `${stackPath}/snapshots/${snapshotId}`)).body.snapshot;
      if (shown.status === 'FAILED') throw new Error(`snapshot failed: ${shown.status_reason}`);
      return shown.status === 'COMPLETE' ? shown : undefined;
    });
    const backupId = snapshot.data.resources.disk.resource_data.backup_id as string;
    assert.ok(backupId, 'the snapshot records the volume backup');
    const backup = (await backups()).find((b) => b.id === backupId);
    assert.equal(backup?.status, 'available');
    assert.equal(backup?.volume_id, volumeId);

    assert.equal((await heat.call('POST', `${stackPath}/snapshots/${snapshotId}/restore`)).status, 202);
    await heat.waitFor(stackPath, 'RESTORE_COMPLETE');
    const disk = (await heat.call('GET', `${stackPath}/resources/disk`)).body.resource;
    assert.equal(disk.physical_resource_id, volumeId, 'restored in place, not replaced');
    const restored = (await backups()).find((b) => b.id === backupId);
    assert.equal(restored?.status, 'available', 'the restore of the backup finished');
    const template = (await heat.call('GET', `${stackPath}/template`)).body;
    assert.equal(template.resources.disk.properties.backup_id, backupId);

    const second = (await heat.call('POST', `${stackPath}/snapshots`, { name: 'second' })).body.id as string;
    const secondBackup = await eventually(async () => {
      const shown = (await heat.call('GET', `${stackPath}/snapshots/${second}`)).body.snapshot;
      return shown.status === 'COMPLETE' ? (shown.data.resources.disk.resource_data.backup_id as string) : undefined;
    });
    assert.notEqual(secondBackup, backupId);

    assert.equal((await heat.call('DELETE', `${stackPath}/snapshots/${snapshotId}`)).status, 204);
    await eventually(async () => ((await backups()).some((b) => b.id === backupId) ? undefined : true));
    assert.equal((await heat.call('DELETE', stackPath)).status, 204);
    await heat.waitFor(stackPath, 'DELETE_COMPLETE').catch(() => undefined);
    await eventually(async () => ((await backups()).some((b) => b.id === secondBackup) ? undefined : true));
  });
});

describe('heatx: snapshot and restore of a server', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let token: string;
  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
      config.volume.backends.file!.volume_driver = 'fake';
    });
    token = await cloud.demoToken();
    heat = await heatApi(cloud, token);
  });
  after(() => cloud?.close());

  test('a server is imaged by the snapshot and rebuilt in place from that image by the restore; the image goes with the snapshot', async () => {
    const template = {
      heat_template_version: '2018-08-31',
      resources: { vm: { type: 'OS::Nova::Server', properties: { image: 'nimbus-blank-qcow2', flavor: 'm1.nano', networks: [{ network: 'private' }] } } },
    };
    const created = await heat.call('POST', '/stacks', { stack_name: 'snap-server', template });
    assert.equal(created.status, 201, created.text);
    const stackPath = `/stacks/snap-server/${created.body.stack.id}`;
    await heat.waitFor(stackPath, 'CREATE_COMPLETE');
    const serverId = (await heat.call('GET', `${stackPath}/resources/vm`)).body.resource.physical_resource_id as string;

    const snapshotId = (await heat.call('POST', `${stackPath}/snapshots`, { name: 'vm' })).body.id as string;
    let imageId = '';
    for (let i = 0; i < 200 && imageId === ''; i++) {
      const shown = (await heat.call('GET', `${stackPath}/snapshots/${snapshotId}`)).body.snapshot;
      if (shown.status === 'FAILED') throw new Error(`snapshot failed: ${shown.status_reason}`);
      if (shown.status === 'COMPLETE') imageId = shown.data.resources.vm.resource_data.snapshot_image_id as string;
      else await delay(100);
    }
    const image = (await cloud.request('GET', `/image/v2/images/${imageId}`, { token })).body;
    assert.equal(image.status, 'active');
    assert.equal(image.instance_uuid, serverId);

    assert.equal((await heat.call('POST', `${stackPath}/snapshots/${snapshotId}/restore`)).status, 202);
    await heat.waitFor(stackPath, 'RESTORE_COMPLETE');
    assert.equal((await heat.call('GET', `${stackPath}/resources/vm`)).body.resource.physical_resource_id, serverId, 'rebuilt, not replaced');
    const server = (await cloud.request('GET', `/compute/v2.1/servers/${serverId}`, { token })).body.server;
    assert.equal(server.image.id, imageId);

    assert.equal((await heat.call('DELETE', `${stackPath}/snapshots/${snapshotId}`)).status, 204);
    assert.equal((await cloud.request('GET', `/image/v2/images/${imageId}`, { token })).status, 404);
  });
});
