/** Image data: upload, download with ranges, quotas, failed uploads, staging and import, info and tasks. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import type { ImageOperations } from '../../src/image/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { eventually, imageClient, projectMember, type ImageClient } from './support.js';

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('hex');

describe('image API: data', () => {
  let cloud: TestServer;
  let admin: ImageClient;
  let user: ImageClient;
  let userProject: string;
  let userToken: string;
  let ops: ImageOperations;
  const objects = () => readdirSync(join(cloud.dataDir, 'images'));
  const staged = () => readdirSync(join(cloud.dataDir, 'image-staging'));

  before(async () => {
    cloud = await startTestServer();
    const adminToken = await cloud.adminToken();
    admin = imageClient(cloud, adminToken);
    const member = await projectMember(cloud, adminToken, 'uploader');
    userProject = member.projectId;
    userToken = member.token;
    user = imageClient(cloud, userToken);
    ops = cloud.server.services.image?.operations as ImageOperations;
  });
  after(() => cloud?.close());

  const newImage = (extra: Record<string, unknown> = {}) => user.create({ disk_format: 'raw', container_format: 'bare', ...extra });
  const show = async (id: string) => (await user.call('GET', `/v2/images/${id}`)).body;

  test('upload: queued → active with size, md5 and sha512; download gives the bytes back', async () => {
    const image = await newImage({ name: 'data' });
    assert.equal((await user.download(image.id)).status, 204, 'no data yet');
    const data = randomBytes(256 * 1024 + 3);
    const uploaded = await user.upload(image.id, data);
    assert.equal(uploaded.status, 204);
    const active = await show(image.id);
    assert.equal(active.status, 'active');
    assert.equal(active.size, data.length);
    assert.equal(active.checksum, md5(data));
    assert.equal(active.os_hash_algo, 'sha512');
    assert.equal(active.os_hash_value, sha512(data));
    assert.equal(active.stores, 'file');
    const downloaded = await user.download(image.id);
    assert.equal(downloaded.status, 200);
    assert.deepEqual(downloaded.body, data);
    assert.equal(downloaded.headers.get('content-type'), 'application/octet-stream');
    assert.equal(downloaded.headers.get('content-md5'), md5(data));
    assert.equal(downloaded.headers.get('content-length'), String(data.length));
    assert.ok(objects().includes(image.id));
  });

  test('a chunked upload (no Content-Length) and an empty image work too', async () => {
    const image = await newImage();
    const data = randomBytes(300_000);
    async function* chunks() {
      for (let at = 0; at < data.length; at += 65_536) yield data.subarray(at, at + 65_536);
    }
    assert.equal((await user.upload(image.id, chunks())).status, 204);
    assert.equal((await show(image.id)).checksum, md5(data));
    const empty = await newImage();
    assert.equal((await user.upload(empty.id, Buffer.alloc(0))).status, 204);
    const shown = await show(empty.id);
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, 0);
    const download = await user.download(empty.id);
    assert.equal(download.status, 200);
    assert.equal(download.body.length, 0);
  });

  test('ranges: 206 with Content-Range; several ranges 400; unsatisfiable 416', async () => {
    const image = await newImage();
    const data = Buffer.from('0123456789abcdefghij');
    await user.upload(image.id, data);
    const cases: Array<[string, string, string]> = [
      ['bytes=0-0', '0', 'bytes 0-0/20'],
      ['bytes=5-9', '56789', 'bytes 5-9/20'],
      ['bytes=15-', 'fghij', 'bytes 15-19/20'],
      ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
    ];
    for (const [range, body, contentRange] of cases) {
      const response = await user.download(image.id, { range });
      assert.equal(response.status, 206, range);
      assert.equal(response.body.toString(), body, range);
      assert.equal(response.headers.get('content-range'), contentRange, range);
      assert.equal(response.headers.get('content-length'), String(body.length), range);
    }
    const legacy = await user.download(image.id, { 'content-range': 'bytes 2-4/20' });
    assert.equal(legacy.status, 206);
    assert.equal(legacy.body.toString(), '234');
    assert.equal((await user.download(image.id, { range: 'bytes=0-1,4-5' })).status, 400);
    for (const range of ['bytes=20-', 'bytes=25-30', 'bytes=x-y', 'lines=1-2', 'bytes=5-2']) {
      const response = await user.download(image.id, { range });
      assert.equal(response.status, 416, range);
    }
    assert.equal((await user.download(image.id, { 'content-range': 'bytes 10-30/*' })).status, 416);
  });

  test('upload refusals: twice (409), missing formats (400), wrong content type (415), unknown image (404), not the owner (403)', async () => {
    const image = await newImage();
    assert.equal((await user.upload(image.id, Buffer.from('one'))).status, 204);
    const twice = await user.upload(image.id, Buffer.from('two'));
    assert.equal(twice.status, 409);
    assert.equal((await user.download(image.id)).body.toString(), 'one');

    const bare = await user.create({ name: 'no formats' });
    assert.equal((await user.upload(bare.id, Buffer.from('x'))).status, 400);
    assert.equal((await show(bare.id)).status, 'queued');

    const typed = await newImage();
    assert.equal((await user.upload(typed.id, Buffer.from('x'), { 'content-type': 'application/json' })).status, 415);
    assert.equal((await user.upload(typed.id, 'x', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await show(typed.id)).status, 'queued');

    assert.equal((await user.upload('0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11', Buffer.from('x'))).status, 404);
    const foreign = await admin.create({ visibility: 'public', disk_format: 'raw', container_format: 'bare' });
    assert.equal((await user.upload(foreign.id, Buffer.from('x'))).status, 403);
    assert.equal((await user.upload(typed.id, Buffer.from('abc'), { 'x-openstack-image-size': 'big' })).status, 400);
  });

  test('a failed upload removes its data and puts the image back to queued, ready for a retry', async () => {
    const image = await newImage();
    const mismatch = await user.upload(image.id, Buffer.from('four'), { 'x-openstack-image-size': '10' });
    assert.equal(mismatch.status, 400);
    assert.equal((await show(image.id)).status, 'queued');
    assert.ok(!objects().includes(image.id));
    assert.ok(!objects().some((name) => name.startsWith('.tmp-')));

    // The client goes away half-way through.
    await new Promise<void>((resolve) => {
      const url = new URL(`${cloud.url}/image/v2/images/${image.id}/file`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          headers: { 'x-auth-token': userToken, 'content-type': 'application/octet-stream', 'content-length': String(10 * 1024 * 1024) },
        },
        () => resolve(),
      );
      req.on('error', () => resolve());
      req.write(randomBytes(1024 * 1024), () => setTimeout(() => req.destroy(), 50));
    });
    await eventually(async () => ((await show(image.id)).status === 'queued' && !objects().some((n) => n.startsWith('.tmp-')) ? true : undefined));
    assert.ok(!objects().includes(image.id));
    const retry = await user.upload(image.id, Buffer.from('second try'));
    assert.equal(retry.status, 204);
    assert.equal((await user.download(image.id)).body.toString(), 'second try');
  });

  test('quotas: image count and total size per project, 413 when over', async () => {
    const quota = await projectMember(cloud, await cloud.adminToken(), 'quota');
    const client = imageClient(cloud, quota.token);
    await ops.quota.setLimit(quota.projectId, 'image_count_total', 2);
    await ops.quota.setLimit(quota.projectId, 'image_size_total', 1);
    const first = await client.create({ disk_format: 'raw', container_format: 'bare' });
    const second = await client.create({ disk_format: 'raw', container_format: 'bare' });
    const third = await client.call('POST', '/v2/images', {});
    assert.equal(third.status, 413);
    assert.match(third.body.message, /image_count_total/);

    const tooBig = await client.upload(first.id, randomBytes(1024 * 1024 + 1));
    assert.equal(tooBig.status, 413, 'announced size over the quota');
    async function* unannounced() {
      for (let i = 0; i < 40; i++) yield randomBytes(64 * 1024);
    }
    assert.equal((await client.upload(first.id, unannounced())).status, 413, 'stopped once past the quota');
    assert.equal((await client.call('GET', `/v2/images/${first.id}`)).body.status, 'queued');
    assert.ok(!objects().includes(first.id));
    assert.equal((await client.upload(first.id, randomBytes(1024 * 1024))).status, 204, 'exactly 1 MiB fits');
    assert.equal((await client.upload(second.id, Buffer.from('x'))).status, 413, 'the quota is used up');
    assert.deepEqual(await ops.quota.getUsage(quota.projectId), { image_count_total: 2, image_size_total: 1 });
    const usage = await client.call('GET', '/v2/info/usage');
    assert.deepEqual(usage.body.usage.image_count_total, { limit: 2, usage: 2 });
    assert.deepEqual(usage.body.usage.image_size_total, { limit: 1, usage: 1 });

    assert.equal((await client.call('DELETE', `/v2/images/${first.id}`)).status, 204);
    assert.deepEqual(await ops.quota.getUsage(quota.projectId), { image_count_total: 1, image_size_total: 0 });
    assert.equal((await client.upload(second.id, Buffer.from('x'))).status, 204);
    assert.ok(!objects().includes(first.id), 'the data of a deleted image is removed');
  });

  test('stage and glance-direct import: uploading → importing → active, as a recorded task', async () => {
    const info = await user.call('GET', '/v2/info/import');
    assert.deepEqual(info.body['import-methods'], { description: 'Import methods available.', type: 'array', value: ['glance-direct', 'web-download'] });
    const image = await newImage({ name: 'imported' });
    const data = randomBytes(200_000);
    assert.equal((await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'glance-direct' } })).status, 409, 'not staged');
    assert.equal((await user.stage(image.id, data)).status, 204);
    const uploading = await show(image.id);
    assert.equal(uploading.status, 'uploading');
    assert.equal(uploading.size, data.length);
    assert.ok(staged().includes(image.id));
    assert.equal((await user.stage(image.id, data)).status, 409, 'staged already');

    for (const [body, status] of [
      [{}, 400],
      [{ method: {} }, 400],
      [{ method: { name: 'web-download' } }, 409],
      [{ method: { name: 'copy-image' } }, 400],
      [{ method: { name: 'glance-direct' }, all_stores: 'yes' }, 400],
      [{ method: { name: 'glance-direct' }, stores: ['nowhere'] }, 409],
    ] as const) {
      assert.equal((await user.call('POST', `/v2/images/${image.id}/import`, body)).status, status, JSON.stringify(body));
    }
    const started = await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'glance-direct' }, stores: ['file'] });
    assert.equal(started.status, 202);
    const active = await eventually(async () => {
      const now = await show(image.id);
      return now.status === 'active' ? now : undefined;
    });
    assert.equal(active.checksum, md5(data));
    assert.equal(active.os_hash_value, sha512(data));
    assert.equal(active.stores, 'file');
    assert.equal(active.os_glance_importing_to_stores, '');
    assert.equal(active.os_glance_failed_import, '');
    assert.deepEqual((await user.download(image.id)).body, data);
    await eventually(async () => (staged().includes(image.id) ? undefined : true));

    const tasks = (await user.call('GET', `/v2/images/${image.id}/tasks`)).body.tasks;
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].status, 'success');
    assert.equal(tasks[0].type, 'api_image_import');
    assert.equal(tasks[0].request_id, started.headers.get('x-openstack-request-id'));
    assert.equal(tasks[0].input.import_req.method.name, 'glance-direct');
    assert.equal((await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'glance-direct' } })).status, 409, 'active');
  });

  test('stage refusals: no formats, wrong content type, not queued', async () => {
    const bare = await user.create({});
    assert.equal((await user.stage(bare.id, Buffer.from('x'))).status, 400);
    const image = await newImage();
    assert.equal((await user.stage(image.id, Buffer.from('x'), { 'content-type': 'application/json' })).status, 415);
    await user.upload(image.id, Buffer.from('x'));
    assert.equal((await user.stage(image.id, Buffer.from('x'))).status, 409);
  });

  test('info: stores (detail for admins only) and the admin-only tasks API', async () => {
    assert.deepEqual((await user.call('GET', '/v2/info/stores')).body, {
      stores: [{ id: 'file', description: 'Images in the data directory', default: 'true' }],
    });
    assert.equal((await user.call('GET', '/v2/info/stores/detail')).status, 403);
    const detail = await admin.call('GET', '/v2/info/stores/detail');
    assert.equal(detail.status, 200);
    assert.equal(detail.body.stores[0].type, 'file');
    assert.equal((await user.call('GET', '/v2/tasks')).status, 403);
    const tasks = await admin.call('GET', '/v2/tasks');
    assert.equal(tasks.status, 200);
    assert.ok(Array.isArray(tasks.body.tasks));
    assert.equal((await admin.call('POST', '/v2/tasks', { type: 'import', input: {} })).status, 400);
    assert.equal((await user.call('POST', '/v2/tasks', { type: 'import', input: {} })).status, 403);
    assert.equal((await admin.call('GET', '/v2/tasks/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11')).status, 404);
  });

  test('register an image from code, with the caller context', async () => {
    const auth = await (async () => {
      const token = await cloud.adminToken();
      const { authenticator } = cloud.server.services.identity as { authenticator: { authenticate(t: string): Promise<CallerContext> } };
      return authenticator.authenticate(token);
    })();
    const image = await ops.register(
      auth,
      { name: 'from-code', disk_format: 'qcow2', container_format: 'bare', visibility: 'public' },
      Readable.from([Buffer.from('bytes')]),
    );
    assert.equal(image.status, 'active');
    assert.equal(image.size, 5);
    assert.equal((await user.download(image.id)).body.toString(), 'bytes');
    assert.equal(userProject.length > 0, true);
  });
});
