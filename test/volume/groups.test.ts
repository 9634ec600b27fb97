import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

/** Polls a group or group snapshot until `status`. */
async function waitStatus(client: VolumeClient, path: string, key: string, status: string, version: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await client.call('GET', path, undefined, version);
    if (response.body[key]?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${path} still ${JSON.stringify(response.body)} (waiting for ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('generic volume groups: group types and specs, groups, group snapshots (3.11 to 3.20)', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;
  let volumeType: string;
  let groupType: string;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
    volumeType = (await admin.call('POST', '/types', { volume_type: { name: 'grp-vt' } })).body.volume_type.id;
  });
  after(() => cloud.close());

  test('group types: 404 below 3.11; create, show, list, update, specs, default, delete; members see no specs', async () => {
    assert.equal((await admin.call('GET', '/group_types', undefined, '3.10')).status, 404);
    const created = await admin.call('POST', '/group_types', { group_type: { name: 'grp-t', description: 'd', group_specs: { a: 'b' } } }, '3.11');
    assert.equal(created.status, 202, created.text);
    assert.deepEqual(Object.keys(created.body.group_type).sort(), ['description', 'group_specs', 'id', 'is_public', 'name']);
    groupType = created.body.group_type.id;
    const dup = await admin.call('POST', '/group_types', { group_type: { name: 'grp-t' } }, '3.11');
    assert.equal(dup.status, 409);
    assert.equal((await demo.call('POST', '/group_types', { group_type: { name: 'x' } }, '3.11')).status, 403);
    const asMember = await demo.call('GET', `/group_types/${groupType}`, undefined, '3.11');
    assert.deepEqual(Object.keys(asMember.body.group_type).sort(), ['description', 'id', 'is_public', 'name']);
    assert.ok((await admin.call('GET', '/group_types', undefined, '3.11')).body.group_types.some((t: { id: string }) => t.id === groupType));
    const updated = await admin.call('PUT', `/group_types/${groupType}`, { group_type: { description: 'new' } }, '3.11');
    assert.equal(updated.status, 200);
    assert.equal(updated.body.group_type.description, 'new');
    assert.equal((await admin.call('PUT', `/group_types/${groupType}`, { group_type: {} }, '3.11')).status, 400);

    const specs = await admin.call('POST', `/group_types/${groupType}/group_specs`, { group_specs: { c: 'd' } }, '3.11');
    assert.equal(specs.status, 202);
    assert.deepEqual(specs.body, { group_specs: { c: 'd' } });
    assert.deepEqual((await admin.call('GET', `/group_types/${groupType}/group_specs`, undefined, '3.11')).body, { group_specs: { a: 'b', c: 'd' } });
    assert.deepEqual((await admin.call('PUT', `/group_types/${groupType}/group_specs/c`, { c: 'e' }, '3.11')).body, { c: 'e' });
    assert.deepEqual((await admin.call('GET', `/group_types/${groupType}/group_specs/c`, undefined, '3.11')).body, { c: 'e' });
    assert.equal((await admin.call('PUT', `/group_types/${groupType}/group_specs/c`, { x: 'e' }, '3.11')).status, 400);
    assert.equal((await admin.call('DELETE', `/group_types/${groupType}/group_specs/c`, undefined, '3.11')).status, 202);
    assert.equal((await admin.call('GET', `/group_types/${groupType}/group_specs/c`, undefined, '3.11')).status, 404);

    const privateType = await admin.call('POST', '/group_types', { group_type: { name: 'grp-private', is_public: false } }, '3.11');
    const names = async (query: string) =>
      ((await admin.call('GET', `/group_types${query}`, undefined, '3.11')).body.group_types as { name: string }[]).map((t) => t.name);
    assert.deepEqual(await names('?sort=name:asc&is_public=None'), ['grp-private', 'grp-t']);
    assert.deepEqual(await names('?sort=name:desc&is_public=None'), ['grp-t', 'grp-private']);
    assert.deepEqual(await names('?is_public=false'), ['grp-private']);
    assert.deepEqual(await names('?is_public=true'), ['grp-t']);
    assert.equal((await admin.call('GET', '/group_types?sort=bogus:asc', undefined, '3.11')).status, 400);
    assert.equal((await admin.call('DELETE', `/group_types/${privateType.body.group_type.id}`, undefined, '3.11')).status, 202);

    const noDefault = await admin.call('GET', '/group_types/default', undefined, '3.11');
    assert.equal(noDefault.status, 404);
    assert.equal(noDefault.body.itemNotFound.message, 'Default group type can not be found.');
    const other = (await admin.call('POST', '/group_types', { group_type: { name: 'grp-gone' } }, '3.11')).body.group_type.id;
    assert.equal((await admin.call('DELETE', `/group_types/${other}`, undefined, '3.11')).status, 202);
    assert.equal((await admin.call('GET', `/group_types/${other}`, undefined, '3.11')).status, 404);
  });

  test('groups: create, volumes join (group_id), show, list, update add/remove, delete with and without delete-volumes', async () => {
    assert.equal((await demo.call('GET', '/groups', undefined, '3.12')).status, 404);
    const bad = await demo.call('POST', '/groups', { group: { group_type: groupType, volume_types: [] } }, '3.13');
    assert.equal(bad.status, 400);
    const missing = await demo.call('POST', '/groups', { group: { group_type: '00000000-0000-0000-0000-000000000000', volume_types: [volumeType] } }, '3.13');
    assert.equal(missing.status, 404);
    const created = await demo.call('POST', '/groups', { group: { name: 'g1', group_type: groupType, volume_types: [volumeType] } }, '3.13');
    assert.equal(created.status, 202, created.text);
    assert.deepEqual(Object.keys(created.body.group).sort(), ['id', 'name']);
    const groupId = created.body.group.id as string;

    const wrongType = await demo.call('POST', '/volumes', { volume: { size: 1, group_id: groupId } }, '3.13');
    assert.equal(wrongType.status, 400, 'the default type is not one of the group');
    const volume = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: volumeType, group_id: groupId } }, '3.13');
    assert.equal(volume.status, 202, volume.text);
    assert.equal(volume.body.volume.group_id, groupId);
    const volumeId = volume.body.volume.id as string;
    await demo.waitFor(volumeId, 'available');

    const shown = await demo.call('GET', `/groups/${groupId}`, undefined, '3.13');
    assert.deepEqual(Object.keys(shown.body.group).sort(), [
      'availability_zone',
      'created_at',
      'description',
      'group_type',
      'id',
      'name',
      'status',
      'volume_types',
    ]);
    assert.equal(shown.body.group.status, 'available');
    assert.deepEqual(shown.body.group.volume_types, [volumeType]);
    const later = await demo.call('GET', `/groups/${groupId}?list_volume=True`, undefined, '3.25');
    assert.deepEqual(later.body.group.volumes, [volumeId]);
    assert.equal(later.body.group.group_snapshot_id, null);
    const summary = await demo.call('GET', '/groups', undefined, '3.13');
    assert.deepEqual(summary.body.groups, [{ id: groupId, name: 'g1' }]);

    const refused = await demo.call('POST', `/groups/${groupId}/action`, { delete: { 'delete-volumes': false } }, '3.13');
    assert.equal(refused.status, 400);
    assert.match(refused.body.badRequest.message, /still contains volumes/);

    const removed = await demo.call('PUT', `/groups/${groupId}`, { group: { name: 'g1b', remove_volumes: volumeId } }, '3.13');
    assert.equal(removed.status, 202, removed.text);
    assert.equal((await demo.call('GET', `/volumes/${volumeId}`, undefined, '3.13')).body.volume.group_id, null);
    assert.equal((await demo.call('PUT', `/groups/${groupId}`, { group: { remove_volumes: volumeId } }, '3.13')).status, 400);
    assert.equal((await demo.call('PUT', `/groups/${groupId}`, { group: { add_volumes: volumeId } }, '3.13')).status, 202);
    assert.equal((await demo.call('GET', `/volumes/${volumeId}`, undefined, '3.13')).body.volume.group_id, groupId);
    const both = await demo.call('PUT', `/groups/${groupId}`, { group: { add_volumes: volumeId, remove_volumes: volumeId } }, '3.13');
    assert.equal(both.status, 400);

    assert.equal((await demo.call('POST', `/groups/${groupId}/action`, { reset_status: { status: 'error' } }, '3.20')).status, 403);
    assert.equal((await admin.call('POST', `/groups/${groupId}/action`, { reset_status: { status: 'error' } }, '3.19')).status, 400);
    assert.equal((await admin.call('POST', `/groups/${groupId}/action`, { reset_status: { status: 'error' } }, '3.20')).status, 202);
    await waitStatus(demo, `/groups/${groupId}`, 'group', 'error', '3.20');
    await admin.call('POST', `/groups/${groupId}/action`, { reset_status: { status: 'available' } }, '3.20');

    const deleted = await demo.call('POST', `/groups/${groupId}/action`, { delete: { 'delete-volumes': true } }, '3.13');
    assert.equal(deleted.status, 202, deleted.text);
    assert.equal((await demo.call('GET', `/groups/${groupId}`, undefined, '3.13')).status, 404);
    await demo.waitGone(volumeId);
  });

  test('group snapshots and groups made from a group snapshot or a source group', async () => {
    const groupId = (await demo.call('POST', '/groups', { group: { name: 'g2', group_type: groupType, volume_types: [volumeType] } }, '3.14')).body.group.id;
    const volumeId = (await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: volumeType, group_id: groupId } }, '3.14')).body.volume.id;
    await demo.waitFor(volumeId, 'available');

    assert.equal((await demo.call('GET', '/group_snapshots', undefined, '3.13')).status, 404);
    const created = await demo.call('POST', '/group_snapshots', { group_snapshot: { group_id: groupId, name: 'gs' } }, '3.14');
    assert.equal(created.status, 202, created.text);
    assert.deepEqual(Object.keys(created.body.group_snapshot).sort(), ['group_type_id', 'id', 'name']);
    const snapId = created.body.group_snapshot.id as string;
    await waitStatus(demo, `/group_snapshots/${snapId}`, 'group_snapshot', 'available', '3.14');
    const shown = (await demo.call('GET', `/group_snapshots/${snapId}`, undefined, '3.14')).body.group_snapshot;
    assert.deepEqual(Object.keys(shown).sort(), ['created_at', 'description', 'group_id', 'group_type_id', 'id', 'name', 'status']);
    assert.deepEqual((await demo.call('GET', '/group_snapshots', undefined, '3.14')).body.group_snapshots, [{ id: snapId, name: 'gs' }]);
    const members = (await demo.call('GET', '/snapshots/detail', undefined, '3.14')).body.snapshots.filter(
      (s: { group_snapshot_id: string | null }) => s.group_snapshot_id === snapId,
    );
    assert.equal(members.length, 1);
    const alone = await demo.call('DELETE', `/snapshots/${members[0].id}`);
    assert.equal(alone.status, 400, 'a member goes only with its group snapshot');
    const busy = await demo.call('POST', `/groups/${groupId}/action`, { delete: { 'delete-volumes': true } }, '3.14');
    assert.match(busy.body.badRequest.message, /Group has existing snapshots/);

    const fromSnap = await demo.call('POST', '/groups/action', { 'create-from-src': { group_snapshot_id: snapId, name: 'g3' } }, '3.14');
    assert.equal(fromSnap.status, 202, fromSnap.text);
    await waitStatus(demo, `/groups/${fromSnap.body.group.id}`, 'group', 'available', '3.14');
    const fromGroup = await demo.call('POST', '/groups/action', { 'create-from-src': { source_group_id: groupId, name: 'g4' } }, '3.14');
    assert.equal(fromGroup.status, 202, fromGroup.text);
    await waitStatus(demo, `/groups/${fromGroup.body.group.id}`, 'group', 'available', '3.14');
    const g4 = (await demo.call('GET', `/groups/${fromGroup.body.group.id}`, undefined, '3.14')).body.group;
    assert.equal(g4.source_group_id, groupId);
    const neither = await demo.call('POST', '/groups/action', { 'create-from-src': { name: 'x' } }, '3.14');
    assert.equal(neither.status, 400);

    assert.equal((await admin.call('POST', `/group_snapshots/${snapId}/action`, { reset_status: { status: 'creating' } }, '3.19')).status, 202);
    await waitStatus(demo, `/group_snapshots/${snapId}`, 'group_snapshot', 'creating', '3.19');
    assert.equal((await demo.call('GET', `/group_snapshots/${snapId}`, undefined, '3.19')).body.group_snapshot.status, 'creating', 'a reset status stays');
    assert.equal((await admin.call('POST', `/group_snapshots/${snapId}/action`, { reset_status: { status: 'error' } }, '3.19')).status, 202);
    await waitStatus(demo, `/group_snapshots/${snapId}`, 'group_snapshot', 'error', '3.19');
    assert.equal((await demo.call('DELETE', `/group_snapshots/${snapId}`, undefined, '3.14')).status, 202);
    assert.equal((await demo.call('GET', `/group_snapshots/${snapId}`, undefined, '3.14')).status, 404);
    await demo.waitGone(`snapshots/${members[0].id}`);
    for (const id of [fromSnap.body.group.id, fromGroup.body.group.id, groupId]) {
      const response = await demo.call('POST', `/groups/${id}/action`, { delete: { 'delete-volumes': true } }, '3.14');
      assert.equal(response.status, 202, response.text);
    }
    const inUse = await admin.call('DELETE', `/group_types/${groupType}`, undefined, '3.11');
    assert.equal(inUse.status, 202, 'no group uses the type any more');
  });
});
