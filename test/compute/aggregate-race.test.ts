/**
 * Host aggregates change by compare-and-swap: hosts added at once all land
 * and one host is added once, on SQLite and on PostgreSQL (NIMBUS_TEST_PG_URL).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip } from '../support/postgres-server.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

function aggregateRaceSuite(engine: 'sqlite' | 'postgres'): void {
  describe(`compute aggregate races [${engine}]`, { skip: engine === 'postgres' ? postgresSkip : false }, () => {
    let c: ComputeCloud;
    let hosts: string[];
    before(async () => {
      c = await startComputeCloud(
        (config) => {
          config.compute.fake.hosts = 6;
        },
        { postgres: engine === 'postgres' },
      );
      hosts = (await c.call('GET', '/os-services?binary=nova-compute', { token: c.admin })).body.services.map((s: { host: string }) => s.host);
      assert.equal(hosts.length, 6);
    });
    after(() => c?.close());

    const addHost = (id: number, host: string) => c.call('POST', `/os-aggregates/${id}/action`, { token: c.admin, body: { add_host: { host } } });

    test('six hosts added at once are all kept; one host added six times at once is added once', async () => {
      const id = (await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 'rack' } } })).body.aggregate.id;
      const added = await Promise.all(hosts.map((host) => addHost(id, host)));
      for (const response of added) assert.equal(response.status, 200, response.text);
      assert.deepEqual((await c.call('GET', `/os-aggregates/${id}`, { token: c.admin })).body.aggregate.hosts.sort(), [...hosts].sort());

      const other = (await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 'row' } } })).body.aggregate.id;
      const same = await Promise.all(hosts.map(() => addHost(other, hosts[0]!)));
      assert.equal(same.filter((r) => r.status === 200).length, 1);
      for (const refused of same.filter((r) => r.status !== 200)) novaError(refused, 409, 'conflictingRequest');
      assert.deepEqual((await c.call('GET', `/os-aggregates/${other}`, { token: c.admin })).body.aggregate.hosts, [hosts[0]]);
    });
  });
}

aggregateRaceSuite('sqlite');
aggregateRaceSuite('postgres');
