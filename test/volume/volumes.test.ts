import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume API (fake backend)', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  test('version documents: 300 at the root, v3 with its microversion range', async () => {
    const root = await cloud.request('GET', '/volume/');
    assert.equal(root.status, 300);
    assert.equal(root.body.versions[0].id, 'v3.0');
    assert.equal(root.body.versions[0].min_version, '3.0');
    assert.equal(root.body.versions[0].version, '3.66');
    const v3 = await cloud.request('GET', '/volume/v3/');
    assert.equal(v3.status, 200);
    assert.match(v3.body.versions[0].links[0].href, /\/volume\/v3\/$/);
  });

  test('the catalog has volumev3 and block-storage with the project in the URL', async () => {
    const response = await cloud.request('GET', '/identity/v3/auth/catalog', { token: demo.token });
    const entries = response.body.catalog as Array<{ type: string; endpoints: Array<{ url: string }> }>;
    for (const type of ['volumev3', 'block-storage']) {
      const entry = entries.find((e) => e.type === type);
      assert.ok(entry, `${type} in the catalog`);
      assert.ok(entry.endpoints[0]!.url.endsWith(`/volume/v3/${demo.projectId}`), entry.endpoints[0]!.url);
    }
  });

  test('microversions: the header answers the version; out of range is 406; latest is 3.66', async () => {
    const latest = await demo.call('GET', '/volumes', undefined, 'latest');
    assert.equal(latest.headers.get('openstack-api-version'), 'volume 3.66');
    const none = await demo.call('GET', '/volumes');
    assert.equal(none.headers.get('openstack-api-version'), 'volume 3.0');
    const tooHigh = await demo.call('GET', '/volumes', undefined, '3.99');
    assert.equal(tooHigh.status, 406);
    assert.ok(tooHigh.body.notAcceptable ?? tooHigh.body.computeFault, tooHigh.text);
  });

  test('create → available; show, list, detail, update; delete → gone; quota usage follows', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'v1', metadata: { a: 'b' } } });
    assert.equal(created.status, 202, created.text);
    assert.equal(created.body.volume.status, 'creating');
    assert.equal(created.body.volume.bootable, 'false');
    assert.equal(created.body.volume.volume_type, '__DEFAULT__');
    const id = created.body.volume.id as string;
    const ready = await demo.waitFor(id, 'available');
    assert.equal(ready.metadata.a, 'b');
    assert.equal(ready['os-vol-host-attr:host'], undefined, 'host is for admins only');
    const asAdmin = await admin.call('GET', `/volumes/${id}`);
    assert.equal(asAdmin.body.volume['os-vol-host-attr:host'], 'nimbus@file#file');

    const list = await demo.call('GET', '/volumes?name=v1');
    assert.deepEqual(
      list.body.volumes.map((v: { id: string }) => v.id),
      [id],
    );
    assert.deepEqual(Object.keys(list.body.volumes[0]).sort(), ['id', 'links', 'name']);
    const updated = await demo.call('PUT', `/volumes/${id}`, { volume: { name: 'v1b', description: 'd' } });
    assert.equal(updated.body.volume.name, 'v1b');

    const usage = await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`);
    assert.equal(usage.body.quota_set.volumes.in_use, 1);
    assert.equal(usage.body.quota_set.gigabytes.in_use, 1);

    assert.equal((await demo.call('DELETE', `/volumes/${id}`)).status, 202);
    await demo.waitGone(id);
    const after = await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`);
    assert.equal(after.body.quota_set.volumes.in_use, 0);
    assert.equal(after.body.quota_set.gigabytes.in_use, 0);
  });

  test('bad input: size zero, negative, missing; unknown type, snapshot, source are 404; Cinder error bodies', async () => {
    for (const size of [0, -1, 'abc']) {
      const response = await demo.call('POST', '/volumes', { volume: { size } });
      assert.equal(response.status, 400, `size ${String(size)}`);
      assert.equal(response.body.badRequest.code, 400);
    }
    assert.equal((await demo.call('POST', '/volumes', { volume: { name: 'nosize' } })).status, 400);
    const missing = '00000000-0000-4000-8000-000000000000';
    const type = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: missing } });
    assert.equal(type.status, 404);
    assert.equal(type.body.itemNotFound.message, `Volume type ${missing} could not be found.`);
    assert.equal((await demo.call('POST', '/volumes', { volume: { size: 1, snapshot_id: missing } })).status, 404);
    assert.equal((await demo.call('POST', '/volumes', { volume: { size: 1, source_volid: missing } })).status, 404);
    const show = await demo.call('GET', `/volumes/${missing}`);
    assert.deepEqual(show.body, { itemNotFound: { code: 404, message: `Volume ${missing} could not be found.` } });
    assert.equal((await demo.call('GET', '/volumes?status=nonsense')).body.volumes.length, 0);
  });

  test('another project neither sees nor changes a volume; admins list every project with all_tenants', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'private-one' } });
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    assert.equal((await admin.call('GET', '/volumes?name=private-one')).body.volumes.length, 0);
    const all = await admin.call('GET', '/volumes?all_tenants=1&name=private-one');
    assert.equal(all.body.volumes.length, 1);
    const other = await cloud.request('GET', `/volume/v3/${admin.projectId}/volumes/${id}`, { token: demo.token });
    assert.equal(other.status, 400, 'a project may not address another project in the URL');
    await demo.call('DELETE', `/volumes/${id}`);
    await demo.waitGone(id);
  });

  test('snapshots: create, list with limit/offset/sort, metadata, volume from snapshot; delete refused while snapshots exist, cascade deletes them', async () => {
    const volume = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'snapsrc' } });
    const id = volume.body.volume.id as string;
    await demo.waitFor(id, 'available');
    const ids: string[] = [];
    for (const name of ['s1', 's2', 's3']) {
      const snap = await demo.call('POST', '/snapshots', { snapshot: { volume_id: id, name, metadata: { k: name } } });
      assert.equal(snap.status, 202, snap.text);
      ids.push(snap.body.snapshot.id);
      await demo.waitFor(`snapshots/${snap.body.snapshot.id}`, 'available');
    }
    const page = await demo.call('GET', '/snapshots?limit=2&sort=name:asc');
    assert.deepEqual(
      page.body.snapshots.map((s: { name: string }) => s.name),
      ['s1', 's2'],
    );
    assert.equal(page.body.snapshots_links[0].rel, 'next');
    assert.equal((await demo.call('GET', '/snapshots?offset=2&limit=3')).body.snapshots.length, 1);
    const detail = await demo.call('GET', `/snapshots/${ids[0]}`);
    assert.equal(detail.body.snapshot['os-extended-snapshot-attributes:progress'], '100%');
    const meta = await demo.call('PUT', `/snapshots/${ids[0]}/metadata/k2`, { meta: { k2: 'v2' } });
    assert.deepEqual(meta.body, { meta: { k2: 'v2' } });
    assert.deepEqual((await demo.call('GET', `/snapshots/${ids[0]}/metadata`)).body.metadata, { k: 's1', k2: 'v2' });

    const fromSnap = await demo.call('POST', '/volumes', { volume: { snapshot_id: ids[0] } });
    assert.equal(fromSnap.status, 202, fromSnap.text);
    assert.equal(fromSnap.body.volume.size, 1);
    await demo.waitFor(fromSnap.body.volume.id, 'available');
    const small = await demo.call('POST', '/volumes', { volume: { snapshot_id: ids[0], size: 0 } });
    assert.equal(small.status, 400);

    const refused = await demo.call('DELETE', `/volumes/${id}`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.badRequest.message, /must not be migrating, attached, belong to a group, have snapshots/);
    assert.equal((await demo.call('DELETE', `/volumes/${id}?cascade=true`)).status, 202);
    await demo.waitGone(id);
    for (const snap of ids) assert.equal((await demo.call('GET', `/snapshots/${snap}`)).status, 404);
    await demo.call('DELETE', `/volumes/${fromSnap.body.volume.id}`);
    await demo.waitGone(fromSnap.body.volume.id);
  });

  test('actions: bootable, readonly, extend (not smaller; in-use only from 3.42), reset status and force delete for admins', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 1 } });
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-set_bootable': { bootable: true } })).status, 200);
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.bootable, 'true');
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-update_readonly_flag': { readonly: true } })).status, 202);
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.metadata.readonly, 'True');

    const smaller = await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 1 } });
    assert.equal(smaller.status, 400);
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } })).status, 202);
    const grown = await demo.waitFor(id, 'available');
    assert.equal(grown.size, 2);

    // Attached (legacy attach), then extend: refused at 3.0, accepted at 3.42.
    assert.equal(
      (await demo.call('POST', `/volumes/${id}/action`, { 'os-attach': { instance_uuid: crypto.randomUUID(), mountpoint: '/dev/vdb' } })).status,
      202,
    );
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.status, 'in-use');
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 3 } })).status, 400);
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 3 } }, '3.42')).status, 202);
    await demo.waitFor(id, 'in-use');
    const inUse = await demo.call('DELETE', `/volumes/${id}`);
    assert.equal(inUse.status, 400, 'an attached volume is not deleted');

    const denied = await demo.call('POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'available', attach_status: 'detached' } });
    assert.equal(denied.status, 403);
    assert.ok(denied.body.forbidden);
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-detach': {} })).status, 202);
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.status, 'available');
    assert.equal((await admin.call('POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'error' } })).status, 202);
    assert.equal((await admin.call('POST', `/volumes/${id}/action`, { 'os-force_delete': {} })).status, 202);
    await demo.waitGone(id);
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-set_bootable': { bootable: true } })).status, 404);
    const unknown = await demo.call('POST', `/volumes/${id}/action`, { 'os-nothing': {} });
    assert.equal(unknown.body.badRequest.message, 'There is no such action: os-nothing');
  });

  test('an upload whose image is deleted meanwhile fails at once: the volume is available again, not retrying in uploading', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'upload-target-gone' } });
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    const upload = await demo.call('POST', `/volumes/${id}/action`, { 'os-volume_upload_image': { image_name: 'deleted-meanwhile' } });
    assert.equal(upload.status, 202, upload.text);
    const imageId = upload.body['os-volume_upload_image'].image_id as string;
    assert.equal((await cloud.request('DELETE', `/image/v2/images/${imageId}`, { token: demo.token })).status, 204);
    await demo.waitFor(id, 'available');
    const tasks = await cloud.server.db.kysely
      .withTables<{ core_task: { resource_id: string; kind: string; status: string; attempts: number } }>()
      .selectFrom('core_task')
      .select(['kind', 'status', 'attempts'])
      .where('resource_id', '=', id)
      .where('kind', 'like', '%upload%')
      .execute();
    assert.deepEqual(
      tasks.map((t) => [t.status, t.attempts]),
      [['failed', 1]],
      'failed on its first attempt, no retries',
    );
  });

  test('attachments API: a non-multiattach volume takes one attachment; a multiattach type takes two', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 1 } });
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    assert.equal((await demo.call('POST', '/attachments', { attachment: { volume_uuid: id } })).status, 404, 'needs 3.27');
    const first = await demo.call('POST', '/attachments', { attachment: { volume_uuid: id, instance_uuid: crypto.randomUUID() } }, '3.44');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.attachment.status, 'reserved');
    const attachmentId = first.body.attachment.id as string;
    const updated = await demo.call('PUT', `/attachments/${attachmentId}`, { attachment: { connector: { host: 'compute-1' } } }, '3.44');
    assert.equal(updated.body.attachment.connection_info.driver_volume_type, 'local');
    assert.equal((await demo.call('POST', `/attachments/${attachmentId}/action`, { 'os-complete': {} }, '3.44')).status, 204);
    const attached = await demo.call('GET', `/volumes/${id}`);
    assert.equal(attached.body.volume.status, 'in-use');
    assert.equal(attached.body.volume.attachments[0].attachment_id, attachmentId);
    const second = await demo.call('POST', '/attachments', { attachment: { volume_uuid: id, instance_uuid: crypto.randomUUID() } }, '3.44');
    assert.equal(second.status, 400);
    assert.match(second.body.badRequest.message, /status must be available to reserve, but the current status is in-use/);
    assert.equal((await demo.call('DELETE', `/attachments/${attachmentId}`, undefined, '3.44')).status, 200);
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.status, 'available');

    const type = await admin.call('POST', '/types', { volume_type: { name: 'multi', extra_specs: { multiattach: '<is> True' } } });
    assert.equal(type.status, 200, type.text);
    const multi = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'multi' } });
    assert.equal(multi.body.volume.multiattach, true);
    await demo.waitFor(multi.body.volume.id, 'available');
    for (let i = 0; i < 2; i++) {
      const a = await demo.call(
        'POST',
        '/attachments',
        { attachment: { volume_uuid: multi.body.volume.id, instance_uuid: crypto.randomUUID(), connector: { host: 'h' } } },
        '3.44',
      );
      assert.equal(a.status, 200, a.text);
      await demo.call('POST', `/attachments/${a.body.attachment.id}/action`, { 'os-complete': {} }, '3.44');
    }
    const both = await demo.call('GET', `/volumes/${multi.body.volume.id}`);
    assert.equal(both.body.volume.attachments.length, 2);
  });

  test("quotas: exceeding gigabytes or volumes is 413 with Cinder's message; admins set limits", async () => {
    assert.equal((await demo.call('PUT', `/os-quota-sets/${demo.projectId}`, { quota_set: { gigabytes: 5 } })).status, 403);
    const set = await admin.call('PUT', `/os-quota-sets/${demo.projectId}`, { quota_set: { gigabytes: 5 } });
    assert.equal(set.status, 200, set.text);
    const used = (await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`)).body.quota_set.gigabytes.in_use as number;
    const over = await demo.call('POST', '/volumes', { volume: { size: 6 } });
    assert.equal(over.status, 413);
    assert.equal(
      over.body.overLimit.message,
      `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 6G, quota is 5G and ${used}G has been consumed.`,
    );
    await admin.call('PUT', `/os-quota-sets/${demo.projectId}`, { quota_set: { gigabytes: 1000, volumes: 0 } });
    const count = await demo.call('POST', '/volumes', { volume: { size: 1 } });
    assert.equal(count.status, 413);
    assert.equal(count.body.overLimit.message, "VolumeLimitExceeded: Maximum number of volumes allowed (0) exceeded for quota 'volumes'.");
    await admin.call('DELETE', `/os-quota-sets/${demo.projectId}`);
    const limits = await demo.call('GET', '/limits');
    assert.equal(limits.body.limits.absolute.maxTotalVolumes, 10);
  });

  test('types: private types and access, extra specs, default type; AZ, services, pools, extensions', async () => {
    const type = await admin.call('POST', '/types', {
      volume_type: { name: 'secret', 'os-volume-type-access:is_public': false, extra_specs: { volume_backend_name: 'file' } },
    });
    const typeId = type.body.volume_type.id as string;
    assert.equal(type.body.volume_type.is_public, false);
    assert.equal((await demo.call('GET', `/types/${typeId}`)).status, 404);
    assert.equal((await admin.call('POST', `/types/${typeId}/action`, { addProjectAccess: { project: demo.projectId } })).status, 202);
    assert.equal((await demo.call('GET', `/types/${typeId}`)).status, 200);
    const access = await admin.call('GET', `/types/${typeId}/os-volume-type-access`);
    assert.deepEqual(access.body.volume_type_access, [{ volume_type_id: typeId, project_id: demo.projectId }]);
    const onType = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: typeId } });
    await demo.waitFor(onType.body.volume.id, 'available');
    assert.equal((await admin.call('DELETE', `/types/${typeId}`)).status, 400, 'a type in use is not deleted');
    const unknownBackend = await admin.call('POST', '/types', { volume_type: { name: 'nowhere', extra_specs: { volume_backend_name: 'lvm' } } });
    const nowhere = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: unknownBackend.body.volume_type.id } });
    await demo.waitFor(nowhere.body.volume.id, 'error');

    assert.equal((await demo.call('GET', '/types/default')).body.volume_type.name, '__DEFAULT__');
    const az = await demo.call('GET', '/os-availability-zone');
    assert.deepEqual(az.body.availabilityZoneInfo, [{ zoneName: 'nova', zoneState: { available: true } }]);
    const services = await admin.call('GET', '/os-services');
    assert.deepEqual(services.body.services.map((s: { binary: string }) => s.binary).sort(), ['cinder-scheduler', 'cinder-volume']);
    const pools = await admin.call('GET', '/scheduler-stats/get_pools?detail=true');
    assert.equal(pools.body.pools[0].capabilities.total_capacity_gb, 1000);
    assert.ok(pools.body.pools[0].capabilities.allocated_capacity_gb >= 1);
    assert.equal((await demo.call('GET', '/scheduler-stats/get_pools')).status, 403);
    const extensions = await demo.call('GET', '/extensions');
    assert.ok(extensions.body.extensions.some((e: { name: string }) => e.name === 'Hosts'));
  });

  test('transfers: the volume waits in awaiting-transfer; a wrong key is 400; accepting moves it and its quota', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: 2, name: 'gift' } });
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    const offer = await demo.call('POST', '/os-volume-transfer', { transfer: { volume_id: id, name: 'to-admin' } });
    assert.equal(offer.status, 202, offer.text);
    const { id: transferId, auth_key: authKey } = offer.body.transfer as { id: string; auth_key: string };
    assert.equal(authKey.length, 16);
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.status, 'awaiting-transfer');
    assert.equal((await demo.call('DELETE', `/volumes/${id}`)).status, 400, 'a volume awaiting transfer is not deleted');
    const before = (await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`)).body.quota_set.gigabytes.in_use as number;

    const wrong = await admin.call('POST', `/os-volume-transfer/${transferId}/accept`, { accept: { auth_key: 'x'.repeat(16) } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.badRequest.message, `Invalid auth key: Attempt to transfer ${transferId} with invalid auth key.`);
    const accepted = await admin.call('POST', `/os-volume-transfer/${transferId}/accept`, { accept: { auth_key: authKey } });
    assert.equal(accepted.status, 202, accepted.text);

    assert.equal((await demo.call('GET', `/volumes/${id}`)).status, 404, 'gone from the donor');
    const moved = await admin.call('GET', `/volumes/${id}`);
    assert.equal(moved.body.volume.status, 'available');
    assert.equal(moved.body.volume['os-vol-tenant-attr:tenant_id'], admin.projectId);
    const after = (await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`)).body.quota_set.gigabytes.in_use as number;
    assert.equal(after, before - 2);
    assert.equal((await admin.call('GET', `/os-volume-transfer/${transferId}`)).status, 404);
    await admin.call('DELETE', `/volumes/${id}`);
    await admin.waitGone(id);
  });
});
