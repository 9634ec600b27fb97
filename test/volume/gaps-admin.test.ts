import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('Cinder admin gaps: backend capabilities, os-hosts, os-update_snapshot_status, an unknown list marker', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  test('capabilities of a pool name as get_pools lists it, the same driver facts; unknown host 404; admin only', async () => {
    const pools = (await admin.call('GET', '/scheduler-stats/get_pools?detail=true')).body.pools as { name: string; capabilities: Record<string, unknown> }[];
    const pool = pools[0]!;
    const shown = await admin.call('GET', `/capabilities/${encodeURIComponent(pool.name)}`);
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.namespace, `OS::Storage::Capabilities::${pool.name}`);
    for (const key of ['vendor_name', 'volume_backend_name', 'storage_protocol']) assert.equal(shown.body[key], pool.capabilities[key], key);
    assert.deepEqual(shown.body.replication_targets, []);
    const backendOnly = pool.name.split('#')[0]!;
    assert.equal((await admin.call('GET', `/capabilities/${encodeURIComponent(backendOnly)}`)).status, 200);
    const unknown = await admin.call('GET', '/capabilities/nowhere@none');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.itemNotFound.message, "Can't find service: nowhere@none");
    assert.equal((await demo.call('GET', `/capabilities/${encodeURIComponent(backendOnly)}`)).status, 403);
  });

  test('os-hosts lists the scheduler and each cinder-volume; show gives string usage per project after a total row', async () => {
    const listed = await admin.call('GET', '/os-hosts');
    assert.equal(listed.status, 200, listed.text);
    const hosts = listed.body.hosts as Record<string, string>[];
    assert.ok(hosts.length >= 2);
    const volumeHost = hosts.find((h) => h.service === 'cinder-volume')!;
    assert.deepEqual(Object.keys(volumeHost).sort(), ['host_name', 'last-update', 'service', 'service-state', 'service-status', 'zone']);
    assert.equal(volumeHost['service-status'], 'available');

    const volume = await demo.call('POST', '/volumes', { volume: { size: 2 } });
    await demo.waitFor(volume.body.volume.id, 'available');
    const shown = await admin.call('GET', `/os-hosts/${encodeURIComponent(volumeHost.host_name!)}`);
    assert.equal(shown.status, 200, shown.text);
    const rows = (shown.body.host as { resource: Record<string, string> }[]).map((r) => r.resource);
    assert.equal(rows[0]!.project, '(total)');
    const mine = rows.find((r) => r.project === demo.projectId)!;
    assert.equal(typeof mine.volume_count, 'string');
    assert.ok(Number(mine.total_volume_gb) >= 2);

    const unknown = await admin.call('GET', '/os-hosts/nowhere@none');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.itemNotFound.message, 'Service cinder-volume could not be found on host nowhere@none.');
    assert.equal((await demo.call('GET', '/os-hosts')).status, 403);
  });

  test('os-update_snapshot_status moves only from creating or deleting, as Cinder lists; progress is a percentage', async () => {
    const volume = await demo.call('POST', '/volumes', { volume: { size: 1 } });
    await demo.waitFor(volume.body.volume.id, 'available');
    const snapshot = await demo.call('POST', '/snapshots', { snapshot: { volume_id: volume.body.volume.id } });
    const id = snapshot.body.snapshot.id as string;
    await demo.waitFor(`snapshots/${id}`, 'available');
    const action = (body: unknown, as = demo) => as.call('POST', `/snapshots/${id}/action`, body);

    const fromAvailable = await action({ 'os-update_snapshot_status': { status: 'error' } });
    assert.equal(fromAvailable.status, 400);
    assert.equal(fromAvailable.body.badRequest.message, 'Snapshot status available not allowed for update_snapshot_status');

    assert.equal((await action({ 'os-reset_status': { status: 'creating' } }, admin)).status, 202);
    const wrong = await action({ 'os-update_snapshot_status': { status: 'deleting' } });
    assert.equal(wrong.body.badRequest.message, 'Provided snapshot status deleting not allowed for snapshot with status creating.');
    assert.equal((await action({ 'os-update_snapshot_status': { status: 'creating', progress: '150%' } })).status, 400);
    assert.equal((await action({ 'os-update_snapshot_status': { status: 'available', progress: '100%' } })).status, 202);
    const shown = (await demo.call('GET', `/snapshots/${id}`)).body.snapshot;
    assert.equal(shown.status, 'available');
    assert.equal(shown['os-extended-snapshot-attributes:progress'], '100%');
    assert.equal((await action({ 'os-update_snapshot_status': {} })).status, 400);
  });

  test('a marker naming no volume or snapshot is a 404, as Cinder answers MarkerNotFound', async () => {
    const marker = randomUUID();
    for (const path of ['/volumes', '/volumes/detail', '/snapshots', '/snapshots/detail']) {
      const listed = await demo.call('GET', `${path}?marker=${marker}`);
      assert.equal(listed.status, 404, path);
      assert.equal(listed.body.itemNotFound.message, `Marker ${marker} could not be found.`);
    }
  });
});
