/**
 * Secure RBAC: a user with only `reader` on project demo sees the project's
 * images and their members, and gets Glance's 403 on every write: create,
 * update, delete, tags, data upload and staging, import, (de)activation,
 * members, and accepting an image shared with the project. Nothing changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { projectReader } from '../identity/reader-user.js';
import { imageClient, type ImageClient } from './support.js';

describe('image: a project reader cannot write', () => {
  let cloud: TestServer;
  let demo: ImageClient;
  let admin: ImageClient;
  let reader: ImageClient;
  let demoProject: string;
  const ids: Record<string, string> = {};

  before(async () => {
    cloud = await startTestServer();
    demo = imageClient(cloud, await cloud.demoToken());
    admin = imageClient(cloud, await cloud.adminToken());
    const readerUser = await projectReader(cloud);
    reader = imageClient(cloud, readerUser.token);
    demoProject = readerUser.projectId;
    ids.queued = (await demo.create({ name: 'queued', disk_format: 'raw', container_format: 'bare', tags: ['kept'] })).id;
    ids.active = (await demo.create({ name: 'active', disk_format: 'raw', container_format: 'bare' })).id;
    assert.equal((await demo.upload(ids.active, Buffer.from('image bytes'))).status, 204);
    // Glance judges an import's image state before its policy: only a staged image shows the 403.
    ids.staged = (await demo.create({ name: 'staged', disk_format: 'raw', container_format: 'bare' })).id;
    assert.equal((await demo.stage(ids.staged, Buffer.from('staged bytes'))).status, 204);
    ids.shared = (await demo.create({ name: 'shared-by-demo', visibility: 'shared' })).id;
    const adminProject = await admin.call('GET', '/v2/images');
    assert.equal(adminProject.status, 200);
    ids.offered = (await admin.create({ name: 'offered-to-demo', visibility: 'shared' })).id;
    assert.equal((await admin.call('POST', `/v2/images/${ids.offered}/members`, { member: demoProject })).status, 200);
  });
  after(() => cloud.close());

  test("reads the project's images, their members and tags", async () => {
    const list = await reader.call('GET', '/v2/images');
    assert.equal(list.status, 200, list.text);
    const listed = (list.body.images as Array<{ id: string }>).map((i) => i.id);
    for (const id of [ids.queued, ids.active, ids.shared]) assert.ok(listed.includes(id), `${id} listed`);
    assert.equal((await reader.call('GET', `/v2/images/${ids.queued}`)).status, 200);
    assert.equal((await reader.call('GET', `/v2/images/${ids.shared}/members`)).status, 200);
    assert.equal((await reader.call('GET', `/v2/images/${ids.offered}/members/${demoProject}`)).status, 200);
  });

  test('gets 403 on every write, and nothing changes', async () => {
    const before = await imagesAsAdmin();
    const writes: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['POST', '/v2/images', { name: 'by-reader' }],
      [
        'PATCH',
        `/v2/images/${ids.queued}`,
        [{ op: 'replace', path: '/name', value: 'renamed' }],
        { 'content-type': 'application/openstack-images-v2.1-json-patch' },
      ],
      ['DELETE', `/v2/images/${ids.queued}`],
      ['PUT', `/v2/images/${ids.queued}/tags/by-reader`],
      ['DELETE', `/v2/images/${ids.queued}/tags/kept`],
      ['POST', `/v2/images/${ids.active}/actions/deactivate`],
      ['POST', `/v2/images/${ids.active}/actions/reactivate`],
      ['POST', `/v2/images/${ids.staged}/import`, { method: { name: 'glance-direct' } }],
      ['POST', `/v2/images/${ids.shared}/members`, { member: 'some-project' }],
      ['PUT', `/v2/images/${ids.offered}/members/${demoProject}`, { status: 'accepted' }],
    ];
    for (const [method, path, body, headers] of writes) {
      const response = await reader.call(method, path, body, headers);
      assert.equal(response.status, 403, `${method} ${path}: ${response.status} ${response.text}`);
    }
    for (const path of ['file', 'stage']) {
      const response = await (path === 'file' ? reader.upload : reader.stage)(ids.queued, Buffer.from('reader bytes'));
      assert.equal(response.status, 403, `PUT ${path}: ${response.text}`);
    }
    assert.deepEqual(await imagesAsAdmin(), before);
    const member = await admin.call('GET', `/v2/images/${ids.offered}/members/${demoProject}`);
    assert.equal(member.body.status, 'pending');
  });

  /** Every image with what a reader's writes could have changed. */
  async function imagesAsAdmin(): Promise<unknown> {
    const list = await admin.call('GET', '/v2/images?member_status=all');
    const images = list.body.images as Array<Record<string, unknown>>;
    const members = await Promise.all(images.map(async (i) => (await admin.call('GET', `/v2/images/${i.id}/members`)).body.members));
    return images.map((i, n) => [i.id, i.name, i.status, i.tags, i.size, i.visibility, i.updated_at, members[n]]).sort();
  }
});
