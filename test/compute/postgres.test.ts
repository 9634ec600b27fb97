/** The compute service on PostgreSQL (the cluster configuration): the same lifecycle as on SQLite. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';

describe('compute on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  let demo: string;
  before(async () => {
    cloud = await startPostgresTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
    });
    demo = await cloud.demoToken();
  });
  after(() => cloud?.close());

  const call = (method: string, path: string, body?: unknown) =>
    cloud.request(method, `/compute/v2.1${path}`, {
      token: demo,
      ...(body !== undefined ? { body } : {}),
      headers: { 'OpenStack-API-Version': 'compute 2.79' },
    });
  const waitFor = async (id: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      const server = (await call('GET', `/servers/${id}`)).body.server;
      if (server?.status === status && server['OS-EXT-STS:task_state'] === null) return server;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return assert.fail(`${id} never reached ${status}`);
  };

  test('keypairs get integer ids; a server builds, stops, starts, resizes and is deleted', async () => {
    const first = await call('POST', '/os-keypairs', { keypair: { name: 'pg-1' } });
    const second = await call('POST', '/os-keypairs', { keypair: { name: 'pg-2' } });
    assert.equal(first.status, 201, first.text);
    const ids = [(await call('GET', '/os-keypairs/pg-1')).body.keypair.id, (await call('GET', '/os-keypairs/pg-2')).body.keypair.id];
    assert.equal(ids[1] - ids[0], 1);
    assert.equal(second.status, 201);
    const image = (await cloud.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: demo })).body.images[0].id;
    const created = await call('POST', '/servers', { server: { name: 'pg-vm', imageRef: image, flavorRef: '42', networks: 'auto', key_name: 'pg-1' } });
    assert.equal(created.status, 202, created.text);
    const id = created.body.server.id;
    const active = await waitFor(id, 'ACTIVE');
    assert.equal(active.addresses.private?.length, 1, JSON.stringify(active));
    assert.equal((await call('POST', `/servers/${id}/action`, { 'os-stop': null })).status, 202);
    await waitFor(id, 'SHUTOFF');
    assert.equal((await call('POST', `/servers/${id}/action`, { 'os-start': null })).status, 202);
    await waitFor(id, 'ACTIVE');
    assert.equal((await call('POST', `/servers/${id}/action`, { resize: { flavorRef: '84' } })).status, 202);
    await waitFor(id, 'VERIFY_RESIZE');
    assert.equal((await call('POST', `/servers/${id}/action`, { confirmResize: null })).status, 204);
    assert.equal((await waitFor(id, 'ACTIVE')).flavor.original_name, 'm1.micro');
    const listed = await call('GET', '/servers/detail?locked=false&sort_key=display_name');
    assert.deepEqual(
      listed.body.servers.map((s: { name: string }) => s.name),
      ['pg-vm'],
    );
    assert.equal((await call('DELETE', `/servers/${id}`)).status, 204);
    for (let i = 0; i < 200 && (await call('GET', `/servers/${id}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await call('GET', `/servers/${id}`)).status, 404);
    assert.equal((await call('GET', '/limits')).body.limits.absolute.totalInstancesUsed, 0);
  });
});
