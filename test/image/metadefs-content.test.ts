/** What a metadata namespace holds: objects, properties, tags (batches, X-Openstack-Append), resource-type associations; and the catalog load on restart. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, projectMember, type ImageClient } from './support.js';

const NS = '/v2/metadefs/namespaces';

describe('image API: metadata definition content', () => {
  let cloud: TestServer;
  let admin: ImageClient;
  let user: ImageClient;
  let serial = 0;

  before(async () => {
    cloud = await startTestServer();
    const adminToken = await cloud.adminToken();
    admin = imageClient(cloud, adminToken);
    user = imageClient(cloud, (await projectMember(cloud, adminToken, 'metadefs-user')).token);
  });
  after(() => cloud?.close());

  const newNamespace = async (extra: Record<string, unknown> = {}) => {
    const name = `Nimbus::Content${++serial}`;
    const response = await admin.call('POST', NS, { namespace: name, visibility: 'public', ...extra });
    assert.equal(response.status, 201);
    return `${NS}/${name}`;
  };

  test('objects: create, show, rename, list, delete; duplicates 409, unknown 404', async () => {
    const ns = await newNamespace();
    const body = { name: 'disk', description: 'a disk', required: ['size'], properties: { size: { title: 'Size', type: 'integer' } } };
    const created = await admin.call('POST', `${ns}/objects`, body);
    assert.equal(created.status, 201);
    assert.equal(created.body.self, `${ns}/objects/disk`);
    assert.equal(created.body.schema, '/v2/schemas/metadefs/object');
    assert.deepEqual(created.body.required, ['size']);
    assert.equal((await admin.call('POST', `${ns}/objects`, body)).status, 409);
    assert.equal((await admin.call('POST', `${ns}/objects`, { description: 'nameless' })).status, 400);

    const renamed = await admin.call('PUT', `${ns}/objects/disk`, { name: 'volume', description: 'renamed' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'volume');
    assert.equal(renamed.body.required, undefined);
    assert.equal((await admin.call('GET', `${ns}/objects/disk`)).status, 404);
    assert.equal((await user.call('GET', `${ns}/objects/volume`)).body.description, 'renamed');
    const listed = await user.call('GET', `${ns}/objects`);
    assert.deepEqual(
      (listed.body.objects as Array<{ name: string }>).map((o) => o.name),
      ['volume'],
    );
    assert.equal((await user.call('DELETE', `${ns}/objects/volume`)).status, 403);
    assert.equal((await admin.call('DELETE', `${ns}/objects/volume`)).status, 204);
    assert.equal((await admin.call('DELETE', `${ns}/objects/volume`)).status, 404);
  });

  test('properties: create needs a title and a type; listed by name; replaced by PUT', async () => {
    const ns = await newNamespace();
    const enumeration = ['kvm', 'qemu'];
    const created = await admin.call('POST', `${ns}/properties`, { name: 'hypervisor', title: 'Hypervisor', type: 'string', enum: enumeration });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, { name: 'hypervisor', title: 'Hypervisor', type: 'string', enum: enumeration });
    assert.equal((await admin.call('POST', `${ns}/properties`, { name: 'untitled', type: 'string' })).status, 400);
    assert.equal((await admin.call('POST', `${ns}/properties`, { name: 'hypervisor', title: 'Again', type: 'string' })).status, 409);

    const listed = await user.call('GET', `${ns}/properties`);
    assert.deepEqual(Object.keys(listed.body.properties as object), ['hypervisor']);
    const replaced = await admin.call('PUT', `${ns}/properties/hypervisor`, { name: 'hypervisor', title: 'Kind', type: 'string' });
    assert.equal(replaced.body.title, 'Kind');
    assert.equal(replaced.body.enum, undefined);
    assert.equal((await admin.call('DELETE', `${ns}/properties/hypervisor`)).status, 204);
    assert.deepEqual((await user.call('GET', `${ns}/properties`)).body.properties, {});
  });

  test('tags: one by path, a batch replacing or appending (X-Openstack-Append), case-insensitive names', async () => {
    const ns = await newNamespace();
    const one = await admin.call('POST', `${ns}/tags/first`);
    assert.equal(one.status, 201);
    assert.equal(one.body.name, 'first');
    assert.equal((await admin.call('POST', `${ns}/tags/FIRST`)).status, 409);

    const batch = await admin.call('POST', `${ns}/tags`, { tags: [{ name: 'a' }, { name: 'b' }] });
    assert.equal(batch.status, 201);
    assert.deepEqual(batch.body, { tags: [{ name: 'a' }, { name: 'b' }] });
    const names = async () => ((await user.call('GET', `${ns}/tags`)).body.tags as Array<{ name: string }>).map((t) => t.name).sort();
    assert.deepEqual(await names(), ['a', 'b']);

    await admin.call('POST', `${ns}/tags`, { tags: [{ name: 'c' }] }, { 'x-openstack-append': 'True' });
    assert.deepEqual(await names(), ['a', 'b', 'c']);
    // A batch with a duplicate changes nothing.
    assert.equal((await admin.call('POST', `${ns}/tags`, { tags: [{ name: 'd' }, { name: 'D' }] })).status, 409);
    assert.deepEqual(await names(), ['a', 'b', 'c']);
    assert.equal((await admin.call('POST', `${ns}/tags`, { tags: ['plain'] })).status, 400);

    const renamed = await admin.call('PUT', `${ns}/tags/c`, { name: 'see' });
    assert.equal(renamed.body.name, 'see');
    assert.equal((await user.call('GET', `${ns}/tags/see`)).status, 200);
    assert.equal((await admin.call('DELETE', `${ns}/tags/a`)).status, 204);
    assert.equal((await admin.call('DELETE', `${ns}/tags`)).status, 204);
    assert.deepEqual(await names(), []);
  });

  test('resource-type associations: an unknown type is created, duplicates 409, dissociation 204 then 404', async () => {
    const ns = await newNamespace();
    const created = await admin.call('POST', `${ns}/resource_types`, { name: 'Nimbus::Widget', prefix: 'widget_' });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Nimbus::Widget');
    assert.equal(created.body.prefix, 'widget_');
    assert.equal((await admin.call('POST', `${ns}/resource_types`, { name: 'Nimbus::Widget' })).status, 409);
    const types = (await user.call('GET', '/v2/metadefs/resource_types')).body.resource_types as Array<{ name: string }>;
    assert.ok(types.some((t) => t.name === 'Nimbus::Widget'));
    const listed = (await user.call('GET', `${ns}/resource_types`)).body.resource_type_associations as Array<{ name: string }>;
    assert.deepEqual(
      listed.map((a) => a.name),
      ['Nimbus::Widget'],
    );
    assert.equal((await user.call('DELETE', `${ns}/resource_types/Nimbus::Widget`)).status, 403);
    assert.equal((await admin.call('DELETE', `${ns}/resource_types/Nimbus::Widget`)).status, 204);
    assert.equal((await admin.call('DELETE', `${ns}/resource_types/Nimbus::Widget`)).status, 404);
  });

  test("a protected namespace's content cannot be deleted", async () => {
    const ns = await newNamespace({ protected: true, tags: [{ name: 'kept' }], objects: [{ name: 'thing' }] });
    assert.equal((await admin.call('DELETE', `${ns}/tags/kept`)).status, 403);
    assert.equal((await admin.call('DELETE', `${ns}/objects/thing`)).status, 403);
    assert.equal((await admin.call('DELETE', `${ns}/tags`)).status, 403);
    assert.equal((await admin.call('GET', `${ns}/tags/kept`)).status, 200);
    assert.equal((await admin.call('GET', `${NS}/Nimbus::Nowhere/objects`)).status, 404);
  });
});

describe('image API: the standard metadata definitions across restarts', () => {
  test("are loaded once: an operator's deletion stays deleted after a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-metadefs-'));
    const useDir = (config: { server: { data_dir: string } }) => (config.server.data_dir = dataDir);
    try {
      const first = await startTestServer(useDir);
      const admin = imageClient(first, await first.adminToken());
      await admin.call('PUT', `${NS}/OS::Compute::Watchdog`, { namespace: 'OS::Compute::Watchdog', visibility: 'public', protected: false });
      assert.equal((await admin.call('DELETE', `${NS}/OS::Compute::Watchdog`)).status, 204);
      await first.close();

      const second = await startTestServer(useDir);
      const again = imageClient(second, await second.adminToken());
      assert.equal((await again.call('GET', `${NS}/OS::Compute::Watchdog`)).status, 404);
      assert.equal((await again.call('GET', `${NS}/OS::Compute::Quota`)).status, 200);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
