import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('network: IPAM under concurrency', () => {
  let cloud: TestServer;
  let demo: string;
  let admin: string;
  before(async () => {
    cloud = await startTestServer();
    demo = await cloud.demoToken();
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown, token = demo) => cloud.request(method, `/network${path}`, { token, body });

  test('50 parallel port creates on a /26: no duplicate address, the rest 409 IpAddressGenerationFailure, addresses freed on delete', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'busy' } })).body.network;
    const subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.50.0.0/26', enable_dhcp: false } })).body
      .subnet;
    // 61 usable addresses; take 20 first so that 50 concurrent creates overflow by 9.
    for (let i = 0; i < 20; i++) assert.equal((await call('POST', '/v2.0/ports', { port: { network_id: net.id } })).status, 201);
    const results = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/v2.0/ports', { port: { network_id: net.id } })));
    const created = results.filter((r) => r.status === 201);
    const failed = results.filter((r) => r.status !== 201);
    assert.equal(created.length, 41);
    for (const r of failed) {
      assert.equal(r.status, 409);
      assert.equal(r.body.NeutronError.type, 'IpAddressGenerationFailure');
    }
    const ports = (await call('GET', `/v2.0/ports?network_id=${net.id}`)).body.ports as Array<{
      id: string;
      fixed_ips: Array<{ ip_address: string; subnet_id: string }>;
    }>;
    const addresses = ports.flatMap((p) => p.fixed_ips.map((f) => f.ip_address));
    assert.equal(addresses.length, 61);
    assert.equal(new Set(addresses).size, 61, 'no address handed out twice');
    assert.ok(ports.every((p) => p.fixed_ips.every((f) => f.subnet_id === subnet.id)));

    const freed = ports[0];
    assert.ok(freed);
    assert.equal((await call('DELETE', `/v2.0/ports/${freed.id}`)).status, 204);
    const again = await call('POST', '/v2.0/ports', { port: { network_id: net.id } });
    assert.equal(again.status, 201);
    assert.equal(again.body.port.fixed_ips[0].ip_address, freed.fixed_ips[0]?.ip_address);
  });

  test('parallel creates never exceed the port quota', async () => {
    const projectId = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token.project
      .id as string;
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'quota-net' } })).body.network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.60.0.0/24' } });
    const used = (await call('GET', `/v2.0/quotas/${projectId}/details`)).body.quota.port.used as number;
    assert.equal((await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { port: used + 10 } }, admin)).status, 200);
    const results = await Promise.all(Array.from({ length: 30 }, () => call('POST', '/v2.0/ports', { port: { network_id: net.id } })));
    assert.equal(results.filter((r) => r.status === 201).length, 10);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.NeutronError.type === 'OverQuota'));
    const details = (await call('GET', `/v2.0/quotas/${projectId}/details`)).body.quota.port;
    assert.equal(details.used, used + 10);
  });
});
