/**
 * Cinder's snapshot and backup notifications on the cloud's event bus, seen
 * as Aodh sees them: event alarms whose queries name the payload's traits
 * (resource_id, volume_id, size, status) fire on `snapshot.create.start/.end`,
 * `snapshot.delete.start/.end` (a volume's cascade delete included),
 * `backup.create.start/.end` and `backup.delete.start/.end` of the owner's
 * project: `.start` with the status of the work under way (creating,
 * deleting), `.end` not before the work is done.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { useFakeVolumeBackend, volumeClient, type VolumeClient } from './support.js';

let cloud: TestServer;
let demo: VolumeClient;
let volumeId: string;

before(async () => {
  cloud = await startTestServer((config) => {
    useFakeVolumeBackend(config);
    // Event alarms only: no threshold evaluation while the test runs.
    config.alarming.evaluation_interval = 3600;
  });
  demo = await volumeClient(cloud, await cloud.demoToken());
  const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'noted' } });
  assert.equal(created.status, 202, created.text);
  volumeId = created.body.volume.id;
  await demo.waitFor(volumeId, 'available');
});
after(() => cloud.close());

async function eventAlarm(eventType: string, query: Array<{ field: string; value: string; type?: string }>): Promise<string> {
  const body = { name: `on-${eventType}-${query.map((q) => q.value).join('-')}`, type: 'event', event_rule: { event_type: eventType, query } };
  const created = await cloud.request('POST', '/alarming/v2/alarms', { token: demo.token, body });
  assert.equal(created.status, 201, created.text);
  return created.body.alarm_id as string;
}

async function stateOf(alarmId: string): Promise<string> {
  return (await cloud.request('GET', `/alarming/v2/alarms/${alarmId}`, { token: demo.token })).body.state;
}

async function fires(alarmId: string): Promise<void> {
  for (let i = 0; i < 100 && (await stateOf(alarmId)) !== 'alarm'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await stateOf(alarmId), 'alarm');
}

test('snapshot.create.start/.end and snapshot.delete.start/.end carry the snapshot as resource and its volume', async () => {
  const started = await eventAlarm('snapshot.create.start', [
    { field: 'traits.volume_id', value: volumeId },
    { field: 'traits.display_name', value: 'snap-noted' },
    { field: 'traits.status', value: 'creating' },
  ]);
  const made = await eventAlarm('snapshot.create.end', [
    { field: 'traits.volume_id', value: volumeId },
    { field: 'traits.display_name', value: 'snap-noted' },
    { field: 'traits.status', value: 'available' },
  ]);
  const created = await demo.call('POST', '/snapshots', { snapshot: { volume_id: volumeId, name: 'snap-noted' } });
  assert.equal(created.status, 202, created.text);
  const snapshotId: string = created.body.snapshot.id;
  await demo.waitFor(`snapshots/${snapshotId}`, 'available');
  await fires(started);
  await fires(made);

  const deleting = await eventAlarm('snapshot.delete.start', [
    { field: 'traits.resource_id', value: snapshotId },
    { field: 'traits.status', value: 'deleting' },
  ]);
  const deleted = await eventAlarm('snapshot.delete.end', [{ field: 'traits.resource_id', value: snapshotId }]);
  assert.equal(await stateOf(deleting), 'insufficient data');
  assert.equal(await stateOf(deleted), 'insufficient data');
  assert.equal((await demo.call('DELETE', `/snapshots/${snapshotId}`)).status, 202);
  await demo.waitGone(`snapshots/${snapshotId}`);
  await fires(deleting);
  await fires(deleted);
});

test('a cascade delete of a volume sends snapshot.delete.start and .end for each of its snapshots', async () => {
  const made = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'cascaded' } });
  const doomed: string = made.body.volume.id;
  await demo.waitFor(doomed, 'available');
  const snap = await demo.call('POST', '/snapshots', { snapshot: { volume_id: doomed, name: 'cascaded-snap' } });
  await demo.waitFor(`snapshots/${snap.body.snapshot.id}`, 'available');
  const query = [
    { field: 'traits.resource_id', value: snap.body.snapshot.id },
    { field: 'traits.volume_id', value: doomed },
  ];
  const deleting = await eventAlarm('snapshot.delete.start', [...query, { field: 'traits.status', value: 'deleting' }]);
  const deleted = await eventAlarm('snapshot.delete.end', query);
  assert.equal((await demo.call('DELETE', `/volumes/${doomed}?cascade=true`)).status, 202);
  await demo.waitGone(doomed);
  await fires(deleting);
  await fires(deleted);
});

test("backup.create.start/.end and backup.delete.start/.end carry Cinder's backup payload fields", async () => {
  const started = await eventAlarm('backup.create.start', [
    { field: 'traits.volume_id', value: volumeId },
    { field: 'traits.display_name', value: 'backup-noted' },
    { field: 'traits.size', value: '1', type: 'integer' },
    { field: 'traits.status', value: 'creating' },
  ]);
  const made = await eventAlarm('backup.create.end', [
    { field: 'traits.volume_id', value: volumeId },
    { field: 'traits.display_name', value: 'backup-noted' },
    { field: 'traits.size', value: '1', type: 'integer' },
    { field: 'traits.status', value: 'available' },
  ]);
  const created = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, name: 'backup-noted' } });
  assert.equal(created.status, 202, created.text);
  const backupId: string = created.body.backup.id;
  await demo.waitFor(`backups/${backupId}`, 'available');
  await fires(started);
  await fires(made);

  const deleting = await eventAlarm('backup.delete.start', [
    { field: 'traits.resource_id', value: backupId },
    { field: 'traits.status', value: 'deleting' },
  ]);
  const deleted = await eventAlarm('backup.delete.end', [{ field: 'traits.resource_id', value: backupId }]);
  assert.equal(await stateOf(deleting), 'insufficient data');
  assert.equal(await stateOf(deleted), 'insufficient data');
  assert.equal((await demo.call('DELETE', `/backups/${backupId}`)).status, 202);
  await demo.waitGone(`backups/${backupId}`);
  await fires(deleting);
  await fires(deleted);
});
