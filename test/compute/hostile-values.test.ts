/**
 * Values a database cannot hold never reach the store: NUL characters
 * (PostgreSQL text refuses them) and integers past a 32-bit column or past
 * 2^53 are 400/404 in Nova's error body, on SQLite and on PostgreSQL
 * (NIMBUS_TEST_PG_URL). These were 500s on PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip } from '../support/postgres-server.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

function hostileSuite(engine: 'sqlite' | 'postgres'): void {
  describe(`compute: hostile values [${engine}]`, { skip: engine === 'postgres' ? postgresSkip : false }, () => {
    let c: ComputeCloud;
    let project: string;
    let serverId: string;
    before(async () => {
      c = await startComputeCloud(undefined, { postgres: engine === 'postgres' });
      project = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
      const created = await c.call('POST', '/servers', {
        body: { server: { name: 'h', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } },
      });
      serverId = created.body.server.id;
      await c.waitFor(serverId, 'ACTIVE');
    });
    after(() => c?.close());

    test('a NUL character: 404 in a path id, 400 in a query or body value or key, 401 first without a token', async () => {
      for (const [method, path] of [
        ['PUT', '/servers/%00'],
        ['POST', '/servers/%00/action'],
        ['DELETE', '/os-keypairs/%00'],
        ['DELETE', `/servers/${serverId}/tags/%00`],
        ['DELETE', '/os-server-groups/a%00b'],
      ]) {
        novaError(await c.call(method!, path!, { body: method === 'DELETE' ? undefined : { server: {} } }), 404, 'itemNotFound');
      }
      novaError(await c.call('GET', '/servers?key_name=%00'), 400, 'badRequest');
      novaError(await c.call('POST', `/servers/${serverId}/action`, { body: { createImage: { name: 'a\u0000b' } } }), 400, 'badRequest');
      novaError(await c.call('POST', `/servers/${serverId}/metadata`, { body: { metadata: { 'k\u0000': 'v' } } }), 400, 'badRequest');
      novaError(await c.call('PUT', '/flavors/42', { token: c.admin, version: '2.55', body: { flavor: { description: 'a\u0000b' } } }), 400, 'badRequest');
      const aggregate = (await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 'agg' } } })).body.aggregate.id;
      novaError(await c.call('POST', `/os-aggregates/${aggregate}/action`, { token: c.admin, body: { add_host: { host: 'a\u0000b' } } }), 400, 'badRequest');
      const anonymous = await c.cloud.request('PUT', '/compute/v2.1/servers/%00', { body: { server: { name: 'a\u0000' } } });
      assert.equal(anonymous.status, 401, anonymous.text);
      const server = (await c.call('GET', `/servers/${serverId}`)).body.server;
      assert.deepEqual(server.metadata, {});
    });

    test('integers: quota limits within Nova\'s db.MAX_INT, no float that JSON makes whole; huge limits and offsets page as "all"', async () => {
      for (const value of [1e308, 2 ** 31, 2 ** 53 + 1, -2, 1.5, '1e3']) {
        novaError(await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { instances: value } } }), 400, 'badRequest');
        novaError(await c.call('PUT', '/os-quota-class-sets/default', { token: c.admin, body: { quota_class_set: { cores: value } } }), 400, 'badRequest');
      }
      const max = await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { ram: 2 ** 31 - 1 } } });
      assert.equal(max.status, 200, max.text);
      assert.equal(max.body.quota_set.ram, 2 ** 31 - 1);
      novaError(
        await c.call('POST', '/flavors', { token: c.admin, body: { flavor: { name: 'f', ram: 1, vcpus: 1, disk: 1, 'OS-FLV-EXT-DATA:ephemeral': 1e308 } } }),
        400,
        'badRequest',
      );
      novaError(
        await c.call('POST', '/os-server-groups', {
          version: '2.64',
          body: { server_group: { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 1e308 } } },
        }),
        400,
        'badRequest',
      );
      const huge = '99999999999999999999';
      assert.deepEqual(
        (await c.call('GET', `/servers?limit=${huge}`)).body.servers.map((s: { id: string }) => s.id),
        [serverId],
      );
      assert.deepEqual((await c.call('GET', `/os-server-groups?offset=${huge}`)).body.server_groups, []);
      assert.equal((await c.call('GET', `/servers/${serverId}/os-volume_attachments?offset=${huge}`)).status, 200);
    });
  });
}

hostileSuite('sqlite');
hostileSuite('postgres');
