/** Sharing: the members API with Glance's owner and consumer views, and what each project lists. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, projectMember, type ImageClient } from './support.js';

describe('image API: members and visibility', () => {
  let cloud: TestServer;
  let admin: ImageClient;
  let owner: ImageClient;
  let consumer: ImageClient;
  let stranger: ImageClient;
  let ownerProject: string;
  let consumerProject: string;
  let strangerProject: string;

  before(async () => {
    cloud = await startTestServer();
    const adminToken = await cloud.adminToken();
    admin = imageClient(cloud, adminToken);
    const a = await projectMember(cloud, adminToken, 'owner');
    const b = await projectMember(cloud, adminToken, 'consumer');
    const c = await projectMember(cloud, adminToken, 'stranger');
    [owner, consumer, stranger] = [imageClient(cloud, a.token), imageClient(cloud, b.token), imageClient(cloud, c.token)];
    [ownerProject, consumerProject, strangerProject] = [a.projectId, b.projectId, c.projectId];
  });
  after(() => cloud?.close());

  const ids = async (client: ImageClient, query = '') =>
    ((await client.call('GET', `/v2/images${query}`)).body.images as Array<{ id: string }>).map((i) => i.id);

  test('the owner shares; the consumer sees a pending image only when asking for it, accepts, rejects', async () => {
    const image = await owner.create({ name: 'shared' });
    assert.equal(image.visibility, 'shared');
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}`)).status, 404, 'not a member yet');

    const added = await owner.call('POST', `/v2/images/${image.id}/members`, { member: consumerProject });
    assert.equal(added.status, 200);
    assert.equal(added.body.member_id, consumerProject);
    assert.equal(added.body.image_id, image.id);
    assert.equal(added.body.status, 'pending');
    assert.equal(added.body.schema, '/v2/schemas/member');
    assert.equal((await owner.call('POST', `/v2/images/${image.id}/members`, { member: consumerProject })).status, 409);

    // A pending image can be read by the member but is not in its default list.
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}`)).status, 200);
    assert.ok(!(await ids(consumer)).includes(image.id));
    assert.deepEqual(await ids(consumer, '?member_status=pending&visibility=shared'), [image.id]);
    assert.deepEqual(await ids(consumer, '?member_status=all&visibility=shared'), [image.id]);

    const accepted = await consumer.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, { status: 'accepted' });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.status, 'accepted');
    assert.ok((await ids(consumer)).includes(image.id), 'accepted images are in the default list');
    assert.deepEqual(await ids(consumer, '?member_status=pending'), []);

    assert.equal((await consumer.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, { status: 'rejected' })).status, 200);
    assert.ok(!(await ids(consumer)).includes(image.id));
    assert.deepEqual(await ids(consumer, '?member_status=rejected'), [image.id]);
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}`)).status, 200, 'rejected members still see it');
    assert.equal((await stranger.call('GET', `/v2/images/${image.id}`)).status, 404);
    assert.ok(!(await ids(stranger, '?member_status=all&visibility=shared')).includes(image.id));
  });

  test('owner and consumer views: the owner lists every member, a consumer only itself', async () => {
    const image = await owner.create({ name: 'two members' });
    await owner.call('POST', `/v2/images/${image.id}/members`, { member: consumerProject });
    await owner.call('POST', `/v2/images/${image.id}/members`, { member: strangerProject });
    const all = await owner.call('GET', `/v2/images/${image.id}/members`);
    assert.equal(all.status, 200);
    assert.equal(all.body.schema, '/v2/schemas/members');
    assert.deepEqual(all.body.members.map((m: { member_id: string }) => m.member_id).sort(), [consumerProject, strangerProject].sort());
    const mine = await consumer.call('GET', `/v2/images/${image.id}/members`);
    assert.deepEqual(
      mine.body.members.map((m: { member_id: string }) => m.member_id),
      [consumerProject],
    );
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}/members/${consumerProject}`)).status, 200);
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}/members/${strangerProject}`)).status, 404);
    assert.equal((await owner.call('GET', `/v2/images/${image.id}/members/${strangerProject}`)).body.status, 'pending');
    assert.equal((await owner.call('GET', `/v2/images/${image.id}/members/nobody`)).status, 404);
    assert.equal((await admin.call('GET', `/v2/images/${image.id}/members`)).body.members.length, 2);
  });

  test('only the owner adds and removes members; only the consumer answers', async () => {
    const image = await owner.create({ name: 'rules' });
    await owner.call('POST', `/v2/images/${image.id}/members`, { member: consumerProject });
    assert.equal((await consumer.call('POST', `/v2/images/${image.id}/members`, { member: strangerProject })).status, 403);
    assert.equal((await stranger.call('POST', `/v2/images/${image.id}/members`, { member: strangerProject })).status, 404);
    assert.equal((await owner.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, { status: 'accepted' })).status, 403);
    assert.equal((await consumer.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, { status: 'maybe' })).status, 400);
    assert.equal((await consumer.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, {})).status, 400);
    assert.equal((await consumer.call('PUT', `/v2/images/${image.id}/members/${consumerProject}`, { status: 'pending' })).status, 200);
    assert.equal((await consumer.call('DELETE', `/v2/images/${image.id}/members/${consumerProject}`)).status, 403);
    for (const body of [{}, { member: '' }, { member: 5 }, ['x']]) {
      assert.equal((await owner.call('POST', `/v2/images/${image.id}/members`, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await owner.call('DELETE', `/v2/images/${image.id}/members/${consumerProject}`)).status, 204);
    assert.equal((await owner.call('DELETE', `/v2/images/${image.id}/members/${consumerProject}`)).status, 404);
    assert.equal((await consumer.call('GET', `/v2/images/${image.id}`)).status, 404, 'no longer a member');
    assert.equal((await owner.call('POST', '/v2/images/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11/members', { member: consumerProject })).status, 404);
  });

  test('only shared images have members', async () => {
    const image = await owner.create({ name: 'private', visibility: 'private' });
    assert.equal((await owner.call('POST', `/v2/images/${image.id}/members`, { member: consumerProject })).status, 403);
    assert.equal((await owner.call('GET', `/v2/images/${image.id}/members`)).status, 403);
    assert.equal((await owner.call('GET', `/v2/images/${image.id}/members/${consumerProject}`)).status, 404);
  });

  test('public and community images: who lists what', async () => {
    const pub = await admin.create({ name: 'public one', visibility: 'public' });
    const community = await owner.create({ name: 'community one', visibility: 'community' });
    const privateImage = await owner.create({ name: 'private one', visibility: 'private' });
    assert.ok((await ids(stranger)).includes(pub.id));
    assert.ok(!(await ids(stranger)).includes(community.id), 'community images are listed only when asked for');
    assert.deepEqual(await ids(stranger, '?visibility=community'), [community.id]);
    assert.ok((await ids(owner)).includes(community.id), 'but always to their owner');
    assert.equal((await stranger.call('GET', `/v2/images/${community.id}`)).status, 200);
    assert.equal((await stranger.call('GET', `/v2/images/${privateImage.id}`)).status, 404);
    assert.ok(!(await ids(stranger, '?visibility=all')).includes(privateImage.id));
    assert.ok((await ids(admin, '?visibility=all&limit=1000')).includes(privateImage.id), 'admins see everything');
    assert.ok((await ids(admin, '?limit=1000')).includes(privateImage.id));
    assert.equal(ownerProject.length > 0, true);
  });
});
