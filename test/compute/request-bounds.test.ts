/**
 * Issue 12 for compute: counts in a create request are decided by the quota
 * before anything is made per server (Nova's min_count/max_count), and
 * hostile sizes are 400/403 without costing the process memory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const MiB = 1024 * 1024;

describe('compute: request bounds', () => {
  let c: ComputeCloud;
  let project: string;
  before(async () => {
    c = await startComputeCloud();
    project = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const limited = await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { instances: 3 } } });
    assert.equal(limited.status, 200, limited.text);
  });
  after(() => c.close());

  const create = (server: Record<string, unknown>, version = '2.1') =>
    c.call('POST', '/servers', {
      version,
      body: { server: { name: 'b', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }], ...server } },
    });
  const namedLike = async (prefix: string) => (await c.call('GET', `/servers?name=^${prefix}`)).body.servers.map((s: { name: string }) => s.name).sort();

  test('hostile min_count/max_count are 400 or 403, the process stays up and its memory does not grow with the count', async () => {
    const rssBefore = process.memoryUsage().rss;
    const refused: Array<[Record<string, unknown>, number]> = [
      [{ min_count: 1e308 }, 400],
      [{ max_count: 1e308 }, 400],
      [{ min_count: 1e30 }, 400],
      [{ max_count: 2 ** 53 + 1 }, 400],
      [{ min_count: '99999999999999999999' }, 400],
      [{ min_count: 0 }, 400],
      [{ min_count: -1 }, 400],
      [{ min_count: 1.5 }, 400],
      [{ min_count: '1e3' }, 400],
      [{ min_count: '' }, 400],
      [{ min_count: null }, 400],
      [{ min_count: [1] }, 400],
      [{ min_count: 3, max_count: 2 }, 400],
      [{ min_count: 1001, max_count: 1_000_000 }, 400],
      [{ min_count: 4, max_count: 1_000_000 }, 403],
      [{ min_count: 1000, max_count: 1000 }, 403],
    ];
    for (const [counts, status] of refused) {
      const response = await create(counts);
      novaError(response, status, status === 400 ? 'badRequest' : 'forbidden');
    }
    assert.equal((await c.cloud.request('GET', '/healthcheck')).status, 200);
    assert.deepEqual(await namedLike('b'), [], 'nothing was created by a refused request');
    assert.ok(process.memoryUsage().rss - rssBefore < 64 * MiB, 'hostile counts cost no memory per requested server');
  });

  test("over quota: Nova's message names the resources, the range asked and the usage", async () => {
    const message = novaError(await create({ min_count: 4, max_count: 9 }), 403, 'forbidden');
    assert.equal(message, 'Quota exceeded for instances: Requested 4-9, but already used 0 of 3 instances');
    const cores = await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { cores: 1 } } });
    assert.equal(cores.status, 200, cores.text);
    // Two m1.nano (1 vCPU each) fit the instances quota but not 1 core.
    assert.equal(
      novaError(await create({ min_count: 2, flavorRef: '42' }), 403, 'forbidden'),
      'Quota exceeded for cores: Requested 2, but already used 0 of 1 cores',
    );
    assert.equal((await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { cores: 20 } } })).status, 200);
  });

  test('a multi-create gets as many servers as the quota fits between min_count and max_count', async () => {
    const created = await create({ name: 'fit', min_count: 1, max_count: 1_000_000 });
    assert.equal(created.status, 202, created.text);
    assert.deepEqual(await namedLike('fit'), ['fit-1', 'fit-2', 'fit-3']);
    const detail = await c.call('GET', `/os-quota-sets/${project}/detail`);
    assert.equal(detail.body.quota_set.instances.in_use, 3);
    assert.equal(detail.body.quota_set.cores.in_use, 3);
    // Full now: even one more is refused, with the usage shown.
    assert.equal(novaError(await create({ name: 'more' }), 403, 'forbidden'), 'Quota exceeded for instances: Requested 1, but already used 3 of 3 instances');
    const ids = (await c.call('GET', '/servers?name=^fit')).body.servers.map((s: { id: string }) => s.id);
    for (const id of ids) assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    for (const id of ids) await c.waitFor(id, 'DELETED');
    // Room for one: a single name, no suffix.
    const filler = await create({ name: 'filler', min_count: 2, max_count: 2 });
    assert.equal(filler.status, 202, filler.text);
    const last = await create({ name: 'last', min_count: 1, max_count: 5 });
    assert.equal(last.status, 202, last.text);
    assert.deepEqual(await namedLike('last'), ['last']);
  });

  test('every list, map and string of a create is bounded before any lookup: 400 (Nova schema) or 403 (Nova quota)', async () => {
    const many = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));
    const badRequests: Array<Record<string, unknown>> = [
      { networks: many(65, () => ({ uuid: c.privateNetwork })) },
      { block_device_mapping_v2: many(65, (i) => ({ source_type: 'blank', destination_type: 'volume', volume_size: 1, boot_index: i + 1 })) },
      { block_device_mapping: many(65, (i) => ({ volume_id: '00000000-0000-0000-0000-000000000000', device_name: `vd${i}` })) },
      { user_data: 'QUFB'.repeat(16384) },
      { metadata: { 'a/b': 'c' } },
      { metadata: { k: 'v'.repeat(256) } },
      { metadata: { k: 1 } },
      { name: 'n'.repeat(256) },
      { name: { a: 1 } },
      { networks: [{ uuid: ['x'] }] },
      { security_groups: [{ name: 7 }] },
      { key_name: 'k'.repeat(256) },
    ];
    for (const server of badRequests) novaError(await create(server), 400, 'badRequest');
    const uuids = many(1001, (i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    for (const hint of [{ same_host: uuids }, { different_host: ['not-a-uuid'] }, { same_host: [{}] }]) {
      const server = { name: 'b', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] };
      novaError(await c.call('POST', '/servers', { body: { server, 'os:scheduler_hints': hint } }), 400, 'badRequest');
    }
    novaError(await create({ tags: many(51, (i) => `t${i}`) }, '2.52'), 400, 'badRequest');
    assert.match(novaError(await create({ metadata: Object.fromEntries(many(129, (i) => [`k${i}`, 'v'])) }), 403, 'forbidden'), /metadata_items/);
    assert.equal(
      novaError(await create({ personality: many(6, (i) => ({ path: `/f${i}`, contents: 'YQ==' })) }), 403, 'forbidden'),
      'Personality file limit exceeded',
    );
    const keypair = await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'huge', public_key: `ssh-rsa ${'A'.repeat(65536)}` } } });
    novaError(keypair, 400, 'badRequest');
    assert.deepEqual(await namedLike('b'), []);
  });

  test('repeated security groups are one group, as Nova (a set of names)', async () => {
    assert.equal((await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { instances: 10 } } })).status, 200);
    const created = await create({ name: 'sg', security_groups: Array.from({ length: 500 }, () => ({ name: 'default' })) });
    assert.equal(created.status, 202, created.text);
    const server = await c.waitFor(created.body.server.id, 'ACTIVE');
    assert.deepEqual(server.security_groups, [{ name: 'default' }]);
    assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
    await c.waitFor(server.id, 'DELETED');
  });
});
