/** The image API: versions, schemas, create, show, update (JSON patch), delete, tags and actions. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, PATCH_V20, projectMember, type ImageClient } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('image API: images', () => {
  let cloud: TestServer;
  let admin: ImageClient;
  let demo: ImageClient;
  let demoProject: string;

  before(async () => {
    cloud = await startTestServer();
    admin = imageClient(cloud, await cloud.adminToken());
    const demoToken = await cloud.demoToken();
    demo = imageClient(cloud, demoToken);
    demoProject = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: demoToken, headers: { 'x-subject-token': demoToken } })).body.token.project
      .id;
  });
  after(() => cloud?.close());

  test('version discovery: 300 at the root and for unknown versions, 200 at /versions', async () => {
    for (const path of ['/image', '/image/', '/image/v1/images', '/image/v3']) {
      const response = await cloud.request('GET', path);
      assert.equal(response.status, 300, path);
      const versions = response.body.versions as Array<{ id: string; status: string; links: Array<{ href: string }> }>;
      assert.deepEqual(
        versions.filter((v) => v.status === 'CURRENT').map((v) => v.id),
        ['v2.15'],
      );
      assert.ok(versions.some((v) => v.id === 'v2.0'));
      assert.equal(versions[0]?.links[0]?.href, `${cloud.url}/image/v2/`);
    }
    const explicit = await cloud.request('GET', '/image/versions');
    assert.equal(explicit.status, 200);
    const catalog = await cloud.request('GET', '/identity/v3/auth/catalog', { token: await cloud.adminToken() });
    const entry = (catalog.body.catalog as Array<{ type: string; name: string; endpoints: Array<{ url: string; interface: string }> }>).find(
      (e) => e.type === 'image',
    );
    assert.equal(entry?.name, 'glance');
    assert.equal(entry?.endpoints.find((e) => e.interface === 'public')?.url, `${cloud.url}/image`);
  });

  test('create with every standard field, a client id and extra properties; show gives it back', async () => {
    const id = '5a1b3c7e-0000-4000-8000-0123456789ab';
    const response = await admin.call('POST', '/v2/images', {
      id,
      name: 'cirros',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      min_disk: 1,
      min_ram: 64,
      protected: false,
      os_hidden: true,
      tags: ['b', 'a', 'b'],
      os_distro: 'cirros',
      hw_disk_bus: 'virtio',
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('location'), `${cloud.url}/image/v2/images/${id}`);
    assert.equal(response.headers.get('openstack-image-import-methods'), 'glance-direct,web-download');
    assert.equal(response.headers.get('openstack-image-store-ids'), 'file');
    const image = response.body;
    assert.equal(image.id, id);
    assert.equal(image.status, 'queued');
    assert.deepEqual(image.tags, ['a', 'b']);
    assert.equal(image.os_distro, 'cirros');
    assert.equal(image.hw_disk_bus, 'virtio');
    assert.equal(image.os_hidden, true);
    assert.equal(image.size, null);
    assert.equal(image.checksum, null);
    assert.equal(image.self, `/v2/images/${id}`);
    assert.equal(image.file, `/v2/images/${id}/file`);
    assert.equal(image.schema, '/v2/schemas/image');
    assert.match(image.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal('stores' in image, false, 'no stores before there is data');
    const shown = await admin.call('GET', `/v2/images/${id}`);
    assert.deepEqual(shown.body, image);
    assert.equal((await admin.call('POST', '/v2/images', { id, name: 'again' })).status, 409);
  });

  test('defaults: shared visibility, the caller as owner, nothing else set', async () => {
    const image = await demo.create({});
    assert.match(image.id, UUID);
    assert.equal(image.visibility, 'shared');
    assert.equal(image.owner, demoProject);
    assert.equal(image.name, null);
    assert.equal(image.disk_format, null);
    assert.equal(image.protected, false);
    assert.equal(image.min_ram, 0);
  });

  test('create refuses bad formats, types, read-only and reserved attributes', async () => {
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ container_format: 'wrong', disk_format: 'vhd' }, 400],
      [{ container_format: 'bare', disk_format: 'wrong' }, 400],
      [{ name: 'x'.repeat(256) }, 400],
      [{ min_ram: 'lots' }, 400],
      [{ min_disk: -1 }, 400],
      [{ visibility: 'everyone' }, 400],
      [{ protected: 'yes' }, 400],
      [{ id: 'not-a-uuid' }, 400],
      [{ tags: 'a' }, 400],
      [{ os_distro: 5 }, 400],
      [{ kernel_id: 'not-a-uuid' }, 400],
      [{ ['k'.repeat(256)]: 'v' }, 400],
      [{ status: 'active' }, 403],
      [{ checksum: 'abc' }, 403],
      [{ size: 10 }, 403],
      [{ self: '/x' }, 403],
      [{ stores: 'file' }, 403],
      [{ locations: [] }, 403],
      [{ deleted: 'x' }, 403],
      [{ os_glance_foo: 'bar' }, 403],
    ];
    for (const [body, status] of cases) {
      const response = await demo.call('POST', '/v2/images', body);
      assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
    }
    for (const container of ['bare', 'ovf', 'aki', 'ari', 'ami', 'ova', 'docker', 'compressed']) {
      assert.equal((await demo.call('POST', '/v2/images', { container_format: container })).status, 201, container);
    }
    for (const disk of ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']) {
      assert.equal((await demo.call('POST', '/v2/images', { disk_format: disk })).status, 201, disk);
    }
    assert.equal((await demo.call('POST', '/v2/images')).status, 400, 'no body');
    assert.equal((await cloud.request('POST', '/image/v2/images', { token: await cloud.demoToken(), rawBody: '{bad' })).status, 400);
  });

  test('visibility: public needs an admin, community and private do not; owner only your own', async () => {
    assert.equal((await demo.call('POST', '/v2/images', { visibility: 'public' })).status, 403);
    assert.equal((await admin.call('POST', '/v2/images', { visibility: 'public', name: 'pub' })).status, 201);
    const community = await demo.create({ visibility: 'community' });
    assert.equal(community.visibility, 'community');
    assert.equal((await demo.call('POST', '/v2/images', { owner: 'someone-else' })).status, 403);
    const forOther = await admin.call('POST', '/v2/images', { owner: demoProject, name: 'given' });
    assert.equal(forOther.status, 201);
    assert.equal(forOther.body.owner, demoProject);

    const image = await demo.create({ name: 'vis' });
    assert.equal((await demo.patch(image.id, [{ op: 'replace', path: '/visibility', value: 'public' }])).status, 403);
    assert.equal((await demo.patch(image.id, [{ op: 'replace', path: '/visibility', value: 'community' }])).body.visibility, 'community');
    assert.equal((await demo.patch(image.id, [{ op: 'replace', path: '/visibility', value: 'private' }])).body.visibility, 'private');
    assert.equal((await admin.patch(image.id, [{ op: 'replace', path: '/visibility', value: 'public' }])).body.visibility, 'public');
    assert.equal((await demo.patch(image.id, [{ op: 'replace', path: '/owner', value: 'x' }])).status, 403);
  });

  test('show: unknown, empty and foreign private ids are 404', async () => {
    assert.equal((await demo.call('GET', '/v2/images/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11')).status, 404);
    assert.equal((await demo.call('GET', '/v2/images/')).status, 404);
    assert.equal((await demo.call('DELETE', '/v2/images/')).status, 404);
    assert.equal((await demo.call('GET', `/v2/images/${'x'.repeat(100)}`)).status, 404);
    assert.equal((await demo.call('GET', `/v2/images/${'x'.repeat(300)}`)).status, 404);
    assert.equal((await demo.call('DELETE', `/v2/images/${'x'.repeat(300)}`)).status, 404);
    const hidden = await admin.create({ name: 'admins-own', visibility: 'private' });
    assert.equal((await demo.call('GET', `/v2/images/${hidden.id}`)).status, 404);
    assert.equal((await demo.call('DELETE', `/v2/images/${hidden.id}`)).status, 404);
    assert.equal((await demo.patch(hidden.id, [{ op: 'replace', path: '/name', value: 'mine' }])).status, 404);
  });

  test('JSON patch (v2.1 and v2.0): add, replace, remove on attributes, properties and tags', async () => {
    const image = await demo.create({ name: 'before', disk_format: 'raw', container_format: 'bare', color: 'red' });
    const patched = await demo.patch(image.id, [
      { op: 'replace', path: '/name', value: 'after' },
      { op: 'add', path: '/flavor', value: 'm1' },
      { op: 'replace', path: '/color', value: 'blue' },
      { op: 'add', path: '/tags', value: ['x', 'y'] },
      { op: 'replace', path: '/min_ram', value: 128 },
      { op: 'replace', path: '/protected', value: true },
      { op: 'add', path: '/os_hidden', value: true },
      { op: 'replace', path: '/disk_format', value: 'qcow2' },
      { op: 'add', path: '/name~1with~0escapes', value: 'ok' },
    ]);
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'after');
    assert.equal(patched.body.flavor, 'm1');
    assert.equal(patched.body.color, 'blue');
    assert.deepEqual(patched.body.tags, ['x', 'y']);
    assert.equal(patched.body.min_ram, 128);
    assert.equal(patched.body.protected, true);
    assert.equal(patched.body.disk_format, 'qcow2');
    assert.equal(patched.body['name/with~escapes'], 'ok');
    const removed = await demo.patch(image.id, [
      { op: 'remove', path: '/color' },
      { op: 'replace', path: '/protected', value: false },
    ]);
    assert.equal(removed.status, 200);
    assert.equal('color' in removed.body, false);
    // Glance's older dialect: the operation is the member's name.
    const old = await demo.patch(
      image.id,
      [
        { replace: '/name', value: 'v20' },
        { add: '/shape', value: 'round' },
      ],
      PATCH_V20,
    );
    assert.equal(old.status, 200);
    assert.equal(old.body.name, 'v20');
    assert.equal(old.body.shape, 'round');
    assert.equal((await demo.patch(image.id, [{ add: '/shape', value: 'square' }], PATCH_V20)).status, 409, 'v2.0 add of an existing property');
    assert.equal((await demo.patch(image.id, [{ op: 'add', path: '/shape', value: 'square' }])).body.shape, 'square', 'v2.1 add replaces');
    assert.equal((await demo.patch(image.id, [])).status, 200);
  });

  test('JSON patch errors: content type, body, pointers, read-only paths, missing properties, bad values', async () => {
    const image = await demo.create({ name: 'target' });
    const plain = await demo.call('PATCH', `/v2/images/${image.id}`, [{ op: 'replace', path: '/name', value: 'x' }]);
    assert.equal(plain.status, 415);
    assert.equal(plain.headers.get('accept-patch'), 'application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch');
    const cases: Array<[unknown, number]> = [
      [{ op: 'replace', path: '/name', value: 'x' }, 400],
      [['replace'], 400],
      [[{ path: '/name', value: 'x' }], 400],
      [[{ op: 'move', path: '/name', value: 'x' }], 400],
      [[{ op: 'replace', value: 'x' }], 400],
      [[{ op: 'replace', path: 'name', value: 'x' }], 400],
      [[{ op: 'replace', path: '/name' }], 400],
      [[{ op: 'replace', path: '/name/first', value: 'x' }], 400],
      [[{ op: 'add', path: '/tags/-', value: 'x' }], 400],
      [[{ op: 'replace', path: '/a//b', value: 'x' }], 400],
      [[{ op: 'replace', path: '/name/', value: 'x' }], 400],
      [[{ op: 'replace', path: '/a~2b', value: 'x' }], 400],
      [[{ op: 'replace', path: '/min_ram', value: 'lots' }], 400],
      [[{ op: 'replace', path: '/min_ram', value: -5 }], 400],
      [[{ op: 'replace', path: '/visibility', value: 'everyone' }], 400],
      [[{ op: 'add', path: '/custom', value: 5 }], 400],
      [[{ op: 'replace', path: '/container_format', value: 'wrong' }], 400],
      [[{ op: 'replace', path: '/status', value: 'active' }], 403],
      [[{ op: 'replace', path: '/id', value: 'x' }], 403],
      [[{ op: 'add', path: '/checksum', value: 'x' }], 403],
      [[{ op: 'remove', path: '/size' }], 403],
      [[{ op: 'add', path: '/os_glance_foo', value: 'x' }], 403],
      [[{ op: 'add', path: '/deleted', value: 'x' }], 403],
      [[{ op: 'remove', path: '/name' }], 403],
      [[{ op: 'add', path: '/locations/-', value: { url: 'http://x', metadata: {} } }], 403],
      [[{ op: 'replace', path: '/nonexistent', value: 'x' }], 409],
      [[{ op: 'remove', path: '/nonexistent' }], 409],
    ];
    for (const [body, status] of cases) {
      const response = await demo.patch(image.id, body);
      assert.equal(response.status, status, JSON.stringify(body));
    }
    // A failing operation leaves the earlier ones undone.
    const mixed = await demo.patch(image.id, [
      { op: 'replace', path: '/name', value: 'changed' },
      { op: 'remove', path: '/nonexistent' },
    ]);
    assert.equal(mixed.status, 409);
    assert.equal((await demo.call('GET', `/v2/images/${image.id}`)).body.name, 'target');
    assert.equal((await demo.patch('0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11', [])).status, 404);
  });

  test('only the owner (or an admin) changes an image; formats only while queued', async () => {
    const owned = await admin.create({ name: 'shared-by-admin', visibility: 'public', disk_format: 'raw', container_format: 'bare' });
    assert.equal((await demo.call('GET', `/v2/images/${owned.id}`)).status, 200);
    assert.equal((await demo.patch(owned.id, [{ op: 'replace', path: '/name', value: 'stolen' }])).status, 403);
    assert.equal((await demo.call('DELETE', `/v2/images/${owned.id}`)).status, 403);
    assert.equal((await demo.call('PUT', `/v2/images/${owned.id}/tags/mine`)).status, 403);
    assert.equal((await admin.upload(owned.id, Buffer.from('data'))).status, 204);
    assert.equal((await admin.patch(owned.id, [{ op: 'replace', path: '/disk_format', value: 'qcow2' }])).status, 403);
  });

  test('tags: add is idempotent, delete of a missing tag or on a missing image is 404', async () => {
    const image = await demo.create({ name: 'tagged' });
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/blue`)).status, 204);
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/blue`)).status, 204);
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/green%20tea`)).status, 204);
    assert.deepEqual((await demo.call('GET', `/v2/images/${image.id}`)).body.tags, ['blue', 'green tea']);
    assert.equal((await demo.call('DELETE', `/v2/images/${image.id}/tags/blue`)).status, 204);
    assert.equal((await demo.call('DELETE', `/v2/images/${image.id}/tags/blue`)).status, 404);
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/${'t'.repeat(255)}`)).status, 204);
    assert.equal((await demo.call('DELETE', `/v2/images/${image.id}/tags/${'t'.repeat(255)}`)).status, 204);
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/${'t'.repeat(256)}`)).status, 400);
    assert.equal((await demo.call('PUT', '/v2/images/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11/tags/x')).status, 404);
    assert.deepEqual((await demo.call('GET', `/v2/images/${image.id}`)).body.tags, ['green tea']);
  });

  test('too many tags or properties is 413', async () => {
    const tags = Array.from({ length: 129 }, (_, i) => `t${i}`);
    assert.equal((await demo.call('POST', '/v2/images', { tags })).status, 413);
    const properties = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`p${i}`, 'v']));
    assert.equal((await demo.call('POST', '/v2/images', properties)).status, 413);
    const image = await demo.create({ tags: tags.slice(0, 128) });
    assert.equal((await demo.call('PUT', `/v2/images/${image.id}/tags/one-more`)).status, 413);
  });

  test('delete: protected images refuse (403) until unprotected; then 404', async () => {
    const image = await demo.create({ name: 'keep', protected: true });
    const refused = await demo.call('DELETE', `/v2/images/${image.id}`);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /is protected and cannot be deleted/);
    await demo.patch(image.id, [{ op: 'replace', path: '/protected', value: false }]);
    assert.equal((await demo.call('DELETE', `/v2/images/${image.id}`)).status, 204);
    assert.equal((await demo.call('GET', `/v2/images/${image.id}`)).status, 404);
    assert.equal((await demo.call('DELETE', `/v2/images/${image.id}`)).status, 404);
  });

  test('deactivate and reactivate: only active images; download refused to non-admins meanwhile', async () => {
    const image = await demo.create({ name: 'toggle', disk_format: 'raw', container_format: 'bare' });
    assert.equal((await demo.call('POST', `/v2/images/${image.id}/actions/deactivate`)).status, 403, 'queued');
    assert.equal((await demo.upload(image.id, Buffer.from('payload'))).status, 204);
    assert.equal((await demo.call('POST', `/v2/images/${image.id}/actions/deactivate`)).status, 204);
    assert.equal((await demo.call('POST', `/v2/images/${image.id}/actions/deactivate`)).status, 204, 'again: no-op');
    assert.equal((await demo.call('GET', `/v2/images/${image.id}`)).body.status, 'deactivated');
    assert.equal((await demo.download(image.id)).status, 403);
    assert.equal((await admin.download(image.id)).status, 200, 'admins still may');
    assert.equal((await demo.upload(image.id, Buffer.from('other'))).status, 409);
    assert.equal((await demo.call('POST', `/v2/images/${image.id}/actions/reactivate`)).status, 204);
    assert.equal((await demo.call('GET', `/v2/images/${image.id}`)).body.status, 'active');
    assert.equal((await demo.download(image.id)).body.toString(), 'payload');
    assert.equal((await demo.call('POST', '/v2/images/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11/actions/reactivate')).status, 404);
    const other = await projectMember(cloud, await cloud.adminToken(), 'toggler');
    const stranger = imageClient(cloud, other.token);
    const publicImage = await admin.create({ visibility: 'public', disk_format: 'raw', container_format: 'bare' });
    await admin.upload(publicImage.id, Buffer.from('x'));
    assert.equal((await stranger.call('POST', `/v2/images/${publicImage.id}/actions/deactivate`)).status, 403, 'not the owner');
  });

  test('schemas: image, images, member, members, task, tasks', async () => {
    const image = await demo.call('GET', '/v2/schemas/image');
    assert.equal(image.status, 200);
    assert.equal(image.body.name, 'image');
    assert.deepEqual(image.body.additionalProperties, { type: 'string' });
    assert.deepEqual(image.body.properties.container_format.enum, [null, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed']);
    assert.equal(image.body.properties.kernel_id.is_base, false);
    assert.deepEqual(
      image.body.links.map((l: { rel: string }) => l.rel),
      ['self', 'enclosure', 'describedby'],
    );
    const images = await demo.call('GET', '/v2/schemas/images');
    assert.equal(images.body.name, 'images');
    assert.equal(images.body.properties.images.items.name, 'image');
    assert.equal((await demo.call('GET', '/v2/schemas/member')).body.name, 'member');
    assert.deepEqual((await demo.call('GET', '/v2/schemas/member')).body.properties.status.enum, ['pending', 'accepted', 'rejected']);
    assert.equal((await demo.call('GET', '/v2/schemas/members')).body.name, 'members');
    assert.equal((await demo.call('GET', '/v2/schemas/task')).body.name, 'task');
    assert.equal((await demo.call('GET', '/v2/schemas/tasks')).body.name, 'tasks');
    assert.equal((await demo.call('GET', '/v2/schemas/nothing')).status, 404);
    assert.equal((await demo.call('POST', '/v2/schemas/image', {})).status, 405);
  });
});
