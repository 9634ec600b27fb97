/**
 * Vendor data providers (Nova's DynamicJSON vendordata): what a provider is
 * asked, one entry per provider in vendor_data2.json (none for a null
 * answer, `{}` for a failure), replacement by name, and the same entries
 * over the metadata API and on the config drive.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../../src/core/json.js';
import { createLogger } from '../../src/core/logger.js';
import { InstanceMetadata } from '../../src/compute/metadata/content.js';
import { handleMetadata, type MetadataSources } from '../../src/compute/metadata/handler.js';
import { VendorDataProviders, type VendorDataRequest } from '../../src/compute/metadata/vendor-data.js';
import { server, SERVER_ID } from './metadata/fixtures.js';

const NET = 'n0000000-0000-4000-8000-000000000001';
const silent = createLogger('silent');

function providers(): { registry: VendorDataProviders; asked: VendorDataRequest[] } {
  const registry = new VendorDataProviders(silent);
  const asked: VendorDataRequest[] = [];
  registry.register('heat', async (request) => {
    asked.push(request);
    return { deployments: [{ id: 'd1', group: 'script' }], 'os-collect-config': { collectors: ['ec2', 'cfn', 'local'] } };
  });
  registry.register('quiet', async () => null);
  registry.register('broken', async () => {
    throw new Error('provider down');
  });
  return { registry, asked };
}

test('each provider answers under its name: null leaves no entry, a failure an empty object', async () => {
  const { registry, asked } = providers();
  const answers = await registry.collect(server());
  assert.deepEqual(answers, {
    heat: { deployments: [{ id: 'd1', group: 'script' }], 'os-collect-config': { collectors: ['ec2', 'cfn', 'local'] } },
    broken: {},
  });
  assert.deepEqual(asked, [
    {
      instanceId: SERVER_ID,
      projectId: 'proj1',
      userId: 'user1',
      imageId: 'a1b2c3d4-0000-4000-8000-000000000000',
      hostname: 'web-1',
      metadata: { role: 'web' },
    },
  ]);
  registry.register('heat', async () => ['replaced']);
  assert.deepEqual((await registry.collect(server())).heat, ['replaced']);
});

test('vendor_data2.json carries the answers over the metadata API and on the config drive, from 2016-10-06', async () => {
  const { registry } = providers();
  const srv = server();
  const sources: MetadataSources = {
    ports: async () => [
      {
        id: 'p1',
        network_id: NET,
        mac_address: 'fa:16:3e:00:00:01',
        fixed_ips: [{ subnet_id: 's1', ip_address: '10.0.0.5' }],
        device_id: SERVER_ID,
        device_owner: 'compute:nova',
        'binding:vif_type': 'bridge',
      },
    ],
    subnets: async () => [],
    networkMtu: async () => null,
    floatingIps: async () => [],
    server: async (id) => (id === SERVER_ID ? srv : null),
    keypair: async () => null,
    availabilityZone: () => 'nova',
    vendorData: (s) => registry.collect(s),
  };
  const get = (path: string) => handleMetadata(sources, { method: 'GET', path, headers: { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': NET } });
  const served = await get('/openstack/latest/vendor_data2.json');
  assert.equal(served.status, 200);
  assert.equal(served.contentType, 'application/json');
  const expected: Record<string, Json> = await registry.collect(srv);
  assert.deepEqual(JSON.parse(served.body), expected);
  // Vendor data (the static file) stays empty: DynamicJSON answers go to vendor_data2.json only.
  assert.equal((await get('/openstack/latest/vendor_data.json')).body, '{}');
  assert.equal((await get('/openstack/2016-06-30/vendor_data2.json')).status, 404);

  const files = new InstanceMetadata({
    server: srv,
    availabilityZone: 'nova',
    ports: [],
    subnets: [],
    mtus: {},
    floatingIps: [],
    keypair: null,
    vendorData: expected,
  }).configDriveFiles();
  assert.deepEqual(JSON.parse(files['openstack/latest/vendor_data2.json'] ?? 'null'), expected);
  assert.deepEqual(JSON.parse(files['openstack/2016-10-06/vendor_data2.json'] ?? 'null'), expected);
  assert.equal(files['openstack/2016-06-30/vendor_data2.json'], undefined);
});
