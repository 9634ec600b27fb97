/**
 * Glance's unified-limit quotas hold under concurrency: many image creates at
 * once against image_count_total, and many uploads at once against
 * image_size_total, never over-allocate, on SQLite and (NIMBUS_TEST_PG_URL)
 * PostgreSQL. Refused uploads leave their image queued, with no data.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ImageOperations } from '../../src/image/operations.js';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, projectMember } from './support.js';

const MIB = 1024 * 1024;
const engines = [
  { name: 'sqlite', skip: false as const, start: () => startTestServer() },
  { name: 'postgres', skip: postgresSkip, start: () => startPostgresTestServer() },
];

for (const engine of engines) {
  describe(`image quotas under concurrency [${engine.name}]`, { skip: engine.skip }, () => {
    let cloud: TestServer;
    let ops: ImageOperations;

    before(async () => {
      cloud = await engine.start();
      ops = cloud.server.services.image?.operations as ImageOperations;
    });
    after(() => cloud?.close());

    test('30 concurrent creates against image_count_total = 5: exactly 5 images', async () => {
      const member = await projectMember(cloud, await cloud.adminToken(), `count-${engine.name}`);
      await ops.quota.setLimit(member.projectId, 'image_count_total', 5);
      const client = imageClient(cloud, member.token);
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => client.call('POST', '/v2/images', { name: `race-${i}` })));
      assert.deepEqual(
        responses.filter((r) => r.status !== 201 && r.status !== 413).map((r) => r.text),
        [],
      );
      assert.equal(responses.filter((r) => r.status === 201).length, 5);
      const listed = await client.call('GET', `/v2/images?owner=${member.projectId}`);
      assert.equal(listed.body.images.length, 5);
      assert.equal((await ops.quota.getUsage(member.projectId)).image_count_total, 5);
    });

    test('10 concurrent 1 MiB uploads against image_size_total = 3 MiB: exactly 3 go active', async () => {
      const member = await projectMember(cloud, await cloud.adminToken(), `size-${engine.name}`);
      await ops.quota.setLimit(member.projectId, 'image_size_total', 3);
      const client = imageClient(cloud, member.token);
      const images = await Promise.all(Array.from({ length: 10 }, () => client.create({ disk_format: 'raw', container_format: 'bare' })));
      const uploads = await Promise.all(images.map((image) => client.upload(image.id, randomBytes(MIB))));
      assert.deepEqual(
        uploads.filter((r) => r.status !== 204 && r.status !== 413).map((r) => r.text),
        [],
      );
      assert.equal(uploads.filter((r) => r.status === 204).length, 3);
      const statuses = await Promise.all(images.map(async (image) => (await client.call('GET', `/v2/images/${image.id}`)).body.status));
      assert.deepEqual(statuses.filter((s) => s === 'active').length, 3);
      assert.deepEqual(
        statuses.filter((s) => s !== 'active'),
        Array(7).fill('queued'),
      );
      assert.equal((await ops.quota.getUsage(member.projectId)).image_size_total, 3);
    });
  });
}
