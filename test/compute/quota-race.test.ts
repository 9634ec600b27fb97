/**
 * Quotas under concurrency: many creates at once against a small instances
 * or cores quota never over-allocate, on SQLite and on PostgreSQL
 * (NIMBUS_TEST_PG_URL); multi-creates share out what fits; concurrent
 * deletes give quota back once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip } from '../support/postgres-server.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const CONCURRENT = 30;

function raceSuite(engine: 'sqlite' | 'postgres'): void {
  describe(`compute quota races [${engine}]`, { skip: engine === 'postgres' ? postgresSkip : false }, () => {
    let c: ComputeCloud;
    let project: string;
    before(async () => {
      c = await startComputeCloud(
        (config) => {
          config.compute.fake.hosts = 4;
        },
        { postgres: engine === 'postgres' },
      );
      project = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    });
    after(() => c?.close());

    const setQuota = async (quota: Record<string, number>) => {
      const response = await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: quota } });
      assert.equal(response.status, 200, response.text);
    };
    const create = (name: string, extra: Record<string, unknown> = {}) =>
      c.call('POST', '/servers', { body: { server: { name, imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }], ...extra } } });
    const usage = async () => (await c.call('GET', `/os-quota-sets/${project}/detail`)).body.quota_set;
    const liveServers = async (): Promise<string[]> => (await c.call('GET', '/servers')).body.servers.map((s: { id: string }) => s.id);
    const deleteAll = async () => {
      const ids = await liveServers();
      // Settled first: a delete racing the build's own update is a (retryable) 409.
      for (const id of ids) await c.waitFor(id, 'ACTIVE');
      for (const id of ids) assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
      for (const id of ids) await c.waitFor(id, 'DELETED');
      assert.equal((await usage()).instances.in_use, 0);
    };
    const outcomes = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();

    test(`${CONCURRENT} concurrent creates against an instances quota of 5: exactly 5 servers, the rest 403`, async () => {
      await setQuota({ instances: 5, cores: 20 });
      const responses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => create(`race-${i}`)));
      assert.deepEqual(outcomes(responses), [...Array(5).fill(202), ...Array(CONCURRENT - 5).fill(403)]);
      for (const refused of responses.filter((r) => r.status === 403))
        assert.match(novaError(refused, 403, 'forbidden'), /^Quota exceeded for instances: Requested 1, but already used \d of 5 instances$/);
      assert.equal((await liveServers()).length, 5);
      assert.equal((await usage()).instances.in_use, 5);
      await deleteAll();
    });

    test('concurrent multi-creates (min 1, max 3) share a cores quota without going over it', async () => {
      // m1.medium: 2 vCPUs each; 7 cores fit 3 servers.
      await setQuota({ instances: 20, cores: 7 });
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => create(`multi-${i}`, { flavorRef: '3', min_count: 1, max_count: 3 })));
      assert.ok(
        responses.every((r) => r.status === 202 || r.status === 403),
        JSON.stringify(outcomes(responses)),
      );
      assert.ok(responses.some((r) => r.status === 202));
      const detail = await usage();
      assert.equal(detail.cores.in_use, 6);
      assert.equal(detail.instances.in_use, 3);
      assert.equal((await liveServers()).length, 3);
      await deleteAll();
    });

    test('concurrent multi-creates with a min_count get all or nothing, and never more than the quota', async () => {
      await setQuota({ instances: 7, cores: 20 });
      const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`pair-${i}`, { min_count: 2, max_count: 2 })));
      // Three pairs fit in 7; the seventh instance is never taken by a pair.
      assert.deepEqual(outcomes(responses), [...Array(3).fill(202), ...Array(9).fill(403)]);
      assert.equal((await usage()).instances.in_use, 6);
      assert.equal((await liveServers()).length, 6);
      await deleteAll();
    });

    test('concurrent metadata and tag changes all land, and together stay within metadata_items and 50 tags', async () => {
      await setQuota({ instances: 10, cores: 20, metadata_items: 8 });
      const created = await create('meta');
      const id = created.body.server.id;
      await c.waitFor(id, 'ACTIVE');
      // Every success is kept (no lost update) and the bound holds; the rest are refused, or 409 "try again" under heavy contention.
      const count = (responses: Array<{ status: number }>, status: number) => responses.filter((r) => r.status === status).length;
      const items = await Promise.all(
        Array.from({ length: 12 }, (_, i) => c.call('PUT', `/servers/${id}/metadata/k${i}`, { body: { meta: { [`k${i}`]: 'v' } } })),
      );
      assert.ok(
        items.every((r) => [200, 403, 409].includes(r.status)),
        JSON.stringify(outcomes(items)),
      );
      const keys = Object.keys((await c.call('GET', `/servers/${id}/metadata`)).body.metadata);
      assert.equal(keys.length, count(items, 200));
      assert.ok(keys.length <= 8, `${keys.length} metadata items`);
      const tagged = await Promise.all(Array.from({ length: 60 }, (_, i) => c.call('PUT', `/servers/${id}/tags/t${i}`, { version: '2.26' })));
      assert.ok(
        tagged.every((r) => [201, 400, 409].includes(r.status)),
        JSON.stringify(outcomes(tagged)),
      );
      const tags = (await c.call('GET', `/servers/${id}/tags`, { version: '2.26' })).body.tags;
      assert.equal(tags.length, count(tagged, 201));
      assert.ok(tags.length <= 50, `${tags.length} tags`);
      await deleteAll();
    });

    test('concurrent deletes of one key pair give its quota back once', async () => {
      await setQuota({ key_pairs: 2 });
      const keypair = (name: string) => c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name } } });
      for (const name of ['keep', 'gone']) assert.equal((await keypair(name)).status, 201);
      const deletes = await Promise.all(Array.from({ length: 12 }, () => c.call('DELETE', '/os-keypairs/gone', { version: '2.2' })));
      assert.deepEqual(outcomes(deletes), [204, ...Array(11).fill(404)]);
      assert.equal((await keypair('new')).status, 201);
      assert.equal(novaError(await keypair('one-too-many'), 403, 'forbidden'), 'Quota exceeded, too many key pairs.');
    });
  });
}

raceSuite('sqlite');
raceSuite('postgres');
