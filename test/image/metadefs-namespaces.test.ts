/** Metadata definition namespaces: the seeded catalog, CRUD, listing filters and pages, policy, and the schemas. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, projectMember, type ImageClient } from './support.js';

const NS = '/v2/metadefs/namespaces';

describe('image API: metadata definition namespaces', () => {
  let cloud: TestServer;
  let admin: ImageClient;
  let user: ImageClient;
  let userProject: string;

  before(async () => {
    cloud = await startTestServer();
    const adminToken = await cloud.adminToken();
    admin = imageClient(cloud, adminToken);
    const member = await projectMember(cloud, adminToken, 'metadefs-reader');
    userProject = member.projectId;
    user = imageClient(cloud, member.token);
  });
  after(() => cloud?.close());

  test("the first start loads Glance's standard definitions with their resource types", async () => {
    const types = await admin.call('GET', '/v2/metadefs/resource_types');
    assert.equal(types.status, 200);
    const names = (types.body.resource_types as Array<{ name: string }>).map((t) => t.name);
    for (const name of ['OS::Glance::Image', 'OS::Nova::Flavor', 'OS::Cinder::Volume', 'OS::Nova::Aggregate']) assert.ok(names.includes(name), name);

    const quota = await admin.call('GET', `${NS}/OS::Compute::Quota`);
    assert.equal(quota.status, 200);
    assert.equal(quota.body.protected, true);
    assert.equal(quota.body.visibility, 'public');
    assert.equal(quota.body.self, `${NS}/OS::Compute::Quota`);
    assert.equal(quota.body.schema, '/v2/schemas/metadefs/namespace');
    assert.ok((quota.body.objects as unknown[]).length >= 3);
    assert.ok((quota.body.resource_type_associations as Array<{ name: string }>).some((a) => a.name === 'OS::Nova::Flavor'));

    // A reader sees the public catalog, not the admin's private namespaces.
    const seen = await user.call('GET', `${NS}?limit=1000`);
    const seenNames = (seen.body.namespaces as Array<{ namespace: string }>).map((n) => n.namespace);
    assert.ok(seenNames.includes('OS::Compute::Watchdog'));
    assert.ok(!seenNames.includes('OS::Glance::CommonImageProperties'));
    assert.equal((await user.call('GET', `${NS}/OS::Glance::CommonImageProperties`)).status, 404);
  });

  test('a resource type prefix is applied to properties when shown for that type', async () => {
    const plain = await admin.call('GET', `${NS}/OS::Compute::Watchdog`);
    assert.deepEqual(Object.keys(plain.body.properties as object), ['watchdog_action']);
    const forImage = await admin.call('GET', `${NS}/OS::Compute::Watchdog?resource_type=OS::Glance::Image`);
    assert.ok('hw_watchdog_action' in (forImage.body.properties as object));
    const forFlavor = await admin.call('GET', `${NS}/OS::Compute::Watchdog?resource_type=OS::Nova::Flavor`);
    assert.ok('hw:watchdog_action' in (forFlavor.body.properties as object));
  });

  test('create, show, replace and delete a namespace; protected ones refuse deletion', async () => {
    const created = await admin.call('POST', NS, {
      namespace: 'Nimbus::Test',
      display_name: 'Test',
      description: 'a test namespace',
      visibility: 'public',
      protected: true,
      resource_type_associations: [{ name: 'OS::Glance::Image', prefix: 'test_' }],
      properties: { speed: { title: 'Speed', type: 'integer' } },
      tags: [{ name: 'fast' }],
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `${NS}/Nimbus::Test`);
    // The owner defaults to the caller's project.
    assert.match(String(created.body.owner), /^[0-9a-f]{32}$/);
    assert.equal(created.body.visibility, 'public');

    const shown = await admin.call('GET', `${NS}/Nimbus::Test`);
    assert.deepEqual(shown.body.properties, { speed: { title: 'Speed', type: 'integer' } });
    assert.deepEqual(shown.body.tags, [{ name: 'fast' }]);

    assert.equal((await admin.call('POST', NS, { namespace: 'Nimbus::Test' })).status, 409);
    const refused = await admin.call('DELETE', `${NS}/Nimbus::Test`);
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /is protected and cannot be deleted/);

    // PUT replaces every attribute: those left out go back to their defaults.
    const replaced = await admin.call('PUT', `${NS}/Nimbus::Test`, { namespace: 'Nimbus::Renamed' });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.visibility, 'private');
    assert.equal(replaced.body.protected, false);
    assert.equal(replaced.body.display_name, undefined);
    // The content follows the renamed namespace.
    const renamed = await admin.call('GET', `${NS}/Nimbus::Renamed`);
    assert.deepEqual(renamed.body.tags, [{ name: 'fast' }]);
    assert.equal((await admin.call('GET', `${NS}/Nimbus::Test`)).status, 404);

    assert.equal((await admin.call('DELETE', `${NS}/Nimbus::Renamed`)).status, 204);
    assert.equal((await admin.call('GET', `${NS}/Nimbus::Renamed`)).status, 404);
  });

  test('bad bodies: schema mismatch is 400, read-only attributes 403, unknown namespace 404', async () => {
    assert.equal((await admin.call('POST', NS, { display_name: 'no name' })).status, 400);
    assert.equal((await admin.call('POST', NS, { namespace: 'x', visibility: 'shared' })).status, 400);
    assert.equal((await admin.call('POST', NS, { namespace: 'x', color: 'red' })).status, 400);
    assert.equal((await admin.call('POST', NS, { namespace: 'x', created_at: 'now' })).status, 403);
    assert.equal((await admin.call('PUT', `${NS}/Nimbus::Absent`, { namespace: 'Nimbus::Absent' })).status, 404);
    assert.equal((await admin.call('DELETE', `${NS}/Nimbus::Absent`)).status, 404);
    assert.equal((await admin.call('PATCH', `${NS}/OS::Compute::Quota`, {})).status, 405);
  });

  test('only metadef_admin writes: a project member is refused, and sees private namespaces of its own project only', async () => {
    const refused = await user.call('POST', NS, { namespace: 'Nimbus::Mine' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'You are not authorized to complete add_metadef_namespace action.');
    assert.equal((await user.call('DELETE', `${NS}/OS::Compute::Quota`)).status, 403);

    assert.equal((await admin.call('POST', NS, { namespace: 'Nimbus::Theirs', owner: userProject })).status, 201);
    assert.equal((await admin.call('POST', NS, { namespace: 'Nimbus::Hidden', owner: 'another-project' })).status, 201);
    assert.equal((await user.call('GET', `${NS}/Nimbus::Theirs`)).status, 200);
    assert.equal((await user.call('GET', `${NS}/Nimbus::Hidden`)).status, 404);
    const listed = (await user.call('GET', `${NS}?limit=1000`)).body.namespaces as Array<{ namespace: string }>;
    assert.ok(listed.some((n) => n.namespace === 'Nimbus::Theirs'));
    assert.ok(!listed.some((n) => n.namespace === 'Nimbus::Hidden'));
  });

  test('listing filters by visibility and resource types, sorts and pages with a marker', async () => {
    const byType = await admin.call('GET', `${NS}?resource_types=OS::Cinder::Volume&limit=1000`);
    const typed = byType.body.namespaces as Array<{ namespace: string; resource_type_associations: Array<{ name: string }> }>;
    assert.ok(typed.length > 0);
    assert.ok(typed.every((n) => n.resource_type_associations.some((a) => a.name === 'OS::Cinder::Volume')));

    const privates = (await admin.call('GET', `${NS}?visibility=private&limit=1000`)).body.namespaces as Array<{ visibility: string }>;
    assert.ok(privates.length > 0 && privates.every((n) => n.visibility === 'private'));
    assert.equal((await admin.call('GET', `${NS}?visibility=shared`)).status, 400);
    assert.equal((await admin.call('GET', `${NS}?sort_dir=up`)).status, 400);
    assert.equal((await admin.call('GET', `${NS}?limit=-1`)).status, 400);
    assert.equal((await admin.call('GET', `${NS}?limit=x`)).status, 400);

    const first = await admin.call('GET', `${NS}?sort_key=namespace&sort_dir=asc&limit=2`);
    const page1 = (first.body.namespaces as Array<{ namespace: string }>).map((n) => n.namespace);
    assert.equal(page1.length, 2);
    assert.deepEqual(page1, [...page1].sort());
    const next = String(first.body.next);
    assert.match(next, /marker=/);
    const second = await admin.call('GET', next);
    const page2 = (second.body.namespaces as Array<{ namespace: string }>).map((n) => n.namespace);
    assert.ok(page2[0]! > page1[1]!);
    assert.equal((await admin.call('GET', `${NS}?marker=Nimbus::Nowhere`)).status, 404);
  });

  test('the metadefs schemas are served under their Glance names', async () => {
    const names: Record<string, string> = {
      namespace: 'namespace',
      namespaces: 'namespaces',
      object: 'object',
      objects: 'objects',
      property: 'property',
      properties: 'properties',
      tag: 'tag',
      tags: 'tags',
      resource_type: 'resource_type_association',
      resource_types: 'resource_type_associations',
    };
    for (const [path, name] of Object.entries(names)) {
      const response = await user.call('GET', `/v2/schemas/metadefs/${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.body.name, name);
    }
  });
});
