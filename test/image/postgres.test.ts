/**
 * The whole image service on PostgreSQL (the cluster configuration): create,
 * upload, list with filters and pages, share, import and delete. Runs when
 * NIMBUS_TEST_PG_URL names a server where the test may create databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';
import { eventually, imageClient, projectMember, type ImageClient } from './support.js';

describe('image service on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  let owner: ImageClient;
  before(async () => {
    cloud = await startPostgresTestServer();
    owner = imageClient(cloud, await cloud.adminToken());
  });

  after(() => cloud?.close());

  test('create, upload, list, share, import and delete', async () => {
    const sizes = [3000, 1000, 2000];
    const created: string[] = [];
    for (const [i, size] of sizes.entries()) {
      const image = await owner.create({ name: `pg-${i}`, disk_format: 'raw', container_format: 'bare', tags: ['pg'], flavor: i === 1 ? 'big' : 'small' });
      assert.equal((await owner.upload(image.id, Buffer.alloc(size, i))).status, 204);
      created.push(image.id);
    }
    const bySize = (await owner.call('GET', '/v2/images?sort=size:desc&tag=pg')).body.images.map((i: { size: number }) => i.size);
    assert.deepEqual(bySize, [3000, 2000, 1000]);
    const page = await owner.call('GET', '/v2/images?limit=2&sort=size:asc&tag=pg');
    assert.equal(page.body.images.length, 2);
    const rest = await owner.call('GET', page.body.next as string);
    assert.equal(rest.body.images.length, 1);
    assert.deepEqual(
      (await owner.call('GET', '/v2/images?flavor=big')).body.images.map((i: { id: string }) => i.id),
      [created[1]],
    );
    assert.deepEqual(
      (await owner.call('GET', '/v2/images?size_min=1500&size_max=2500')).body.images.map((i: { size: number }) => i.size),
      [2000],
    );

    const consumer = await projectMember(cloud, await cloud.adminToken(), 'pg-consumer');
    assert.equal((await owner.call('POST', `/v2/images/${created[0]}/members`, { member: consumer.projectId })).status, 200);
    const asConsumer = imageClient(cloud, consumer.token);
    assert.equal((await asConsumer.call('PUT', `/v2/images/${created[0]}/members/${consumer.projectId}`, { status: 'accepted' })).status, 200);
    assert.ok((await asConsumer.call('GET', '/v2/images')).body.images.some((i: { id: string }) => i.id === created[0]));

    const staged = await owner.create({ disk_format: 'qcow2', container_format: 'bare' });
    assert.equal((await owner.stage(staged.id, Buffer.from('staged on postgres'))).status, 204);
    assert.equal((await owner.call('POST', `/v2/images/${staged.id}/import`, { method: { name: 'glance-direct' } })).status, 202);
    await eventually(async () => ((await owner.call('GET', `/v2/images/${staged.id}`)).body.status === 'active' ? true : undefined));

    for (const id of [...created, staged.id]) assert.equal((await owner.call('DELETE', `/v2/images/${id}`)).status, 204);
    assert.deepEqual((await owner.call('GET', '/v2/images?tag=pg')).body.images, []);
  });
});
