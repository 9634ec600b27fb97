/** The service-type extension: `GET /v2.0/service-providers` lists the one L3 provider Nimbus has, with Neutron's list parameters. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useCloud } from './support.js';

describe('network: service providers', () => {
  const cloud = useCloud();
  const call = cloud.call;

  test('listed as an extension, readable by a project reader', async () => {
    const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    assert.ok(aliases.includes('service-type'));
    const listed = await call('GET', '/v2.0/service-providers');
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body.service_providers, [{ service_type: 'L3_ROUTER_NAT', name: 'single_node', default: false }]);
  });

  test('filters and fields', async () => {
    assert.equal((await call('GET', '/v2.0/service-providers?service_type=L3_ROUTER_NAT')).body.service_providers.length, 1);
    assert.deepEqual((await call('GET', '/v2.0/service-providers?service_type=LOADBALANCERV2')).body.service_providers, []);
    assert.deepEqual((await call('GET', '/v2.0/service-providers?fields=name')).body.service_providers, [{ name: 'single_node' }]);
  });

  test('no token: 401', async () => {
    assert.equal((await cloud.server.request('GET', '/network/v2.0/service-providers')).status, 401);
  });
});
