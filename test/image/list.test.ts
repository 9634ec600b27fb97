/** GET /v2/images: filters, operators, sorting, pagination and the links of the list document. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { imageClient, projectMember, type ImageClient } from './support.js';
import type { Json } from '../support/json.js';

type Listed = Array<Json>;

describe('image API: listing', () => {
  let cloud: TestServer;
  let owner: ImageClient;
  let admin: ImageClient;
  const ids: Record<string, string> = {};

  before(async () => {
    cloud = await startTestServer();
    const adminToken = await cloud.adminToken();
    admin = imageClient(cloud, adminToken);
    owner = imageClient(cloud, (await projectMember(cloud, adminToken, 'lister')).token);
    const specs: Array<[string, Record<string, unknown>, number | null]> = [
      ['alpha', { container_format: 'bare', disk_format: 'raw', tags: ['os', 'linux'], os_distro: 'debian', arch: 'x86_64' }, 1000],
      ['beta', { container_format: 'bare', disk_format: 'qcow2', tags: ['os'], os_distro: 'ubuntu', arch: 'x86_64' }, 3000],
      ['gamma', { container_format: 'ovf', disk_format: 'vmdk', tags: ['linux'], arch: 'aarch64' }, 2000],
      ['delta', { container_format: 'bare', disk_format: 'raw', os_hidden: true }, 500],
      ['epsilon', { container_format: 'ami', disk_format: 'ami', visibility: 'private' }, null],
    ];
    for (const [name, body, size] of specs) {
      const image = await owner.create({ name, ...body });
      ids[name] = image.id;
      if (size !== null) assert.equal((await owner.upload(image.id, Buffer.alloc(size, 1))).status, 204);
      // Distinct creation times for the default order.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  after(() => cloud?.close());

  const list = async (query = '', client = owner): Promise<{ images: Listed; body: Json }> => {
    const response = await client.call('GET', `/v2/images${query}`);
    assert.equal(response.status, 200, `${query}: ${response.text}`);
    return { images: response.body.images, body: response.body };
  };
  const names = async (query = '', client = owner) => (await list(query, client)).images.map((i) => i.name);

  test('default: newest first, hidden images left out, first and schema links', async () => {
    const { images, body } = await list();
    assert.deepEqual(
      images.map((i) => i.name),
      ['epsilon', 'gamma', 'beta', 'alpha'],
    );
    assert.equal(body.first, '/v2/images');
    assert.equal(body.schema, '/v2/schemas/images');
    assert.equal('next' in body, false);
    assert.deepEqual(await names('?os_hidden=true'), ['delta']);
    assert.equal((await owner.call('GET', '/v2/images?os_hidden=maybe')).status, 400);
  });

  test('equality filters on columns, the in: operator, and any property', async () => {
    assert.deepEqual(await names('?name=beta'), ['beta']);
    assert.deepEqual(await names('?name=in:alpha,gamma'), ['gamma', 'alpha']);
    assert.deepEqual(await names('?status=queued'), ['epsilon']);
    assert.deepEqual(await names('?status=active&container_format=bare'), ['beta', 'alpha']);
    assert.deepEqual(await names('?disk_format=in:vmdk,qcow2'), ['gamma', 'beta']);
    assert.deepEqual(await names('?visibility=private'), ['epsilon']);
    assert.deepEqual(await names('?visibility=shared&sort=name:asc'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await names('?size=2000'), ['gamma']);
    assert.deepEqual(await names('?os_distro=debian'), ['alpha']);
    assert.deepEqual(await names('?arch=x86_64&os_distro=ubuntu'), ['beta']);
    assert.deepEqual(await names('?arch=sparc'), []);
    const owned = (await list(`?owner=${(await list()).images[0]?.owner}`)).images;
    assert.equal(owned.length, 4);
    assert.equal((await owner.call('GET', '/v2/images?name=like:alpha')).status, 400, 'unknown operator');
    assert.equal((await owner.call('GET', '/v2/images?visibility=everyone')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?member_status=maybe')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?changes-since=2020-01-01')).status, 400);
  });

  test('tags: every tag given must be on the image', async () => {
    assert.deepEqual(await names('?tag=os'), ['beta', 'alpha']);
    assert.deepEqual(await names('?tag=os&tag=linux'), ['alpha']);
    assert.deepEqual(await names('?tag=none'), []);
  });

  test('size_min and size_max, and created_at/updated_at operators', async () => {
    assert.deepEqual(await names('?size_min=1000&size_max=2000'), ['gamma', 'alpha']);
    assert.deepEqual(await names('?size_min=2500'), ['beta']);
    assert.equal((await owner.call('GET', '/v2/images?size_min=big')).status, 400);
    const beta = (await list('?name=beta')).images[0];
    const since = encodeURIComponent(beta?.created_at);
    assert.ok((await names(`?created_at=gte:${since}`)).includes('beta'));
    assert.ok(!(await names(`?created_at=lt:${since}`)).includes('beta'));
    assert.deepEqual(await names('?created_at=lt:2000-01-01T00:00:00Z'), []);
    assert.deepEqual((await names('?created_at=gt:2000-01-01T00:00:00Z')).length, 4);
    assert.deepEqual(await names('?updated_at=lte:2000-01-01T00:00:00Z'), []);
    assert.equal((await owner.call('GET', '/v2/images?created_at=gt:yesterday')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?created_at=between:2000-01-01')).status, 400);
  });

  test('sort_key/sort_dir and sort=, with invalid combinations refused', async () => {
    assert.deepEqual(await names('?sort_key=name&sort_dir=asc'), ['alpha', 'beta', 'epsilon', 'gamma']);
    assert.deepEqual(await names('?sort=name:desc'), ['gamma', 'epsilon', 'beta', 'alpha']);
    const bySize = (await list('?sort=size:desc')).images.map((i) => i.size);
    assert.deepEqual(bySize, [3000, 2000, 1000, null]);
    assert.deepEqual(
      (await list('?sort_key=size&sort_dir=asc')).images.map((i) => i.size),
      [null, 1000, 2000, 3000],
    );
    assert.deepEqual(await names('?sort=disk_format:asc,name:desc'), ['epsilon', 'beta', 'alpha', 'gamma']);
    assert.equal((await owner.call('GET', '/v2/images?sort=name&sort_key=size')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?sort_key=owner')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?sort_dir=sideways')).status, 400);
  });

  test('limit and marker walk every image once; next keeps the other parameters', async () => {
    const first = await list('?limit=2&sort=name:asc');
    assert.deepEqual(
      first.images.map((i) => i.name),
      ['alpha', 'beta'],
    );
    assert.equal(first.body.first, '/v2/images?limit=2&sort=name%3Aasc');
    const next = first.body.next as string;
    assert.equal(next, `/v2/images?limit=2&sort=name%3Aasc&marker=${ids.beta}`);
    const second = await list(next.slice('/v2/images'.length));
    assert.deepEqual(
      second.images.map((i) => i.name),
      ['epsilon', 'gamma'],
    );
    assert.equal('next' in second.body, false, 'nothing after the last page');
    assert.deepEqual(await names('?limit=0'), []);
    assert.equal((await owner.call('GET', '/v2/images?limit=-1')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?limit=lots')).status, 400);
    assert.equal((await owner.call('GET', '/v2/images?marker=0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11')).status, 400, 'unknown marker');
    // The default page is 25 images.
    for (let i = 0; i < 26; i++) await admin.create({ name: `bulk-${i}` });
    const page = await list('', admin);
    assert.equal(page.images.length, 25);
    assert.ok(page.body.next);
  });
});
