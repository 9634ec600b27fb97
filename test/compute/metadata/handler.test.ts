/**
 * The metadata API handler over in-memory sources: instance resolution by
 * (ip, router | network), the OpenStack and EC2 trees as Nova renders them,
 * and the config drive files built from the same content.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../../src/core/logger.js';
import { closeMetadata, serveMetadata } from '../../../src/compute/metadata/server.js';
import { InstanceMetadata, type MetadataPort, type MetadataSubnet } from '../../../src/compute/metadata/content.js';
import { gatherFacts, handleMetadata, type MetadataSources } from '../../../src/compute/metadata/handler.js';
import type { Server } from '../../../src/compute/store/index.js';
import { KEY, server, SERVER_ID } from './fixtures.js';

const ROUTER = 'r0000000-0000-4000-8000-000000000001';
const NET = 'n0000000-0000-4000-8000-000000000001';
const ISOLATED = 'n0000000-0000-4000-8000-000000000002';

const port = (id: string, network: string, ip: string, owner: string, device: string): MetadataPort => ({
  id,
  network_id: network,
  mac_address: 'fa:16:3e:00:00:01',
  fixed_ips: [{ subnet_id: `sub-${network}`, ip_address: ip }],
  device_id: device,
  device_owner: owner,
  'binding:vif_type': 'bridge',
});

function sources(srv: Server = server()): MetadataSources {
  const ports = [
    port('p-router', NET, '10.0.0.1', 'network:router_interface', ROUTER),
    port('p-vm-0001-aaaa', NET, '10.0.0.5', 'compute:nova', SERVER_ID),
    port('p-other', ISOLATED, '10.0.0.5', 'compute:nova', 'someone-else'),
  ];
  const subnets: MetadataSubnet[] = [
    {
      id: `sub-${NET}`,
      network_id: NET,
      ip_version: 4,
      cidr: '10.0.0.0/24',
      gateway_ip: '10.0.0.1',
      enable_dhcp: false,
      dns_nameservers: ['10.0.0.2'],
      host_routes: [],
    },
    {
      id: `sub-${ISOLATED}`,
      network_id: ISOLATED,
      ip_version: 4,
      cidr: '10.0.0.0/24',
      gateway_ip: null,
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
    },
  ];
  return {
    ports: async () => ports,
    subnets: async () => subnets,
    networkMtu: async () => 1450,
    floatingIps: async (ids) => (ids.includes('p-vm-0001-aaaa') ? ['172.24.4.10'] : []),
    server: async (id) => (id === srv.id ? srv : null),
    keypair: async (userId, name) => (userId === 'user1' && name === 'k1' ? { name: 'k1', type: 'ssh', public_key: KEY } : null),
    availabilityZone: () => 'nova',
    vendorData: async () => ({}),
  };
}

const viaRouter = (path: string, ip = '10.0.0.5') => ({ method: 'GET', path, headers: { 'x-forwarded-for': ip, 'x-neutron-router-id': ROUTER } });

test('the instance is resolved by fixed IP on the router networks or on the given network', async () => {
  const md = await handleMetadata(sources(), viaRouter('/openstack/latest/meta_data.json'));
  assert.equal(md.status, 200);
  assert.equal(md.contentType, 'application/json');
  assert.equal((JSON.parse(md.body) as { uuid: string }).uuid, SERVER_ID);
  // The same IP on another network belongs to another device: not this server.
  const isolated = await handleMetadata(sources(), {
    method: 'GET',
    path: '/openstack/latest/meta_data.json',
    headers: { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': ISOLATED },
  });
  assert.equal(isolated.status, 404);
  const direct = await handleMetadata(sources(), {
    method: 'GET',
    path: '/latest/meta-data/instance-id',
    headers: { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': NET },
  });
  assert.equal(direct.status, 200);
  assert.equal(direct.body, 'i-3f2a6c1e');
});

test('unknown instances, deleted servers and requests without proxy headers are refused', async () => {
  assert.equal((await handleMetadata(sources(), viaRouter('/openstack/latest/meta_data.json', '10.0.0.99'))).status, 404);
  assert.equal((await handleMetadata(sources({ ...server(), deleted: true }), viaRouter('/'))).status, 404);
  assert.equal((await handleMetadata(sources(), { method: 'GET', path: '/', headers: { 'x-forwarded-for': '10.0.0.5' } })).status, 400);
  assert.equal((await handleMetadata(sources(), { ...viaRouter('/'), method: 'POST' })).status, 405);
  assert.equal((await handleMetadata(sources(), viaRouter('/openstack/1999-01-01/meta_data.json'))).status, 404);
  assert.equal((await handleMetadata(sources(), viaRouter('/openstack/latest/nope'))).status, 404);
  assert.equal((await handleMetadata(sources(), viaRouter('/latest/meta-data/nope'))).status, 404);
});

test("meta_data.json has Nova's fields", async () => {
  const md = JSON.parse((await handleMetadata(sources(), viaRouter('/openstack/latest/meta_data.json'))).body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(md).sort(), [
    'availability_zone',
    'devices',
    'hostname',
    'keys',
    'launch_index',
    'meta',
    'name',
    'project_id',
    'public_keys',
    'random_seed',
    'uuid',
  ]);
  assert.equal(md.hostname, 'web-1.novalocal');
  assert.equal(md.name, 'web 1');
  assert.deepEqual(md.public_keys, { k1: KEY });
  assert.deepEqual(md.keys, [{ name: 'k1', type: 'ssh', data: KEY }]);
  assert.deepEqual(md.meta, { role: 'web' });
  assert.equal(md.project_id, 'proj1');
  // Older versions have fewer fields (project_id from 2015-10-15, random_seed from 2013-04-04).
  const folsom = JSON.parse((await handleMetadata(sources(), viaRouter('/openstack/2012-08-10/meta_data.json'))).body) as Record<string, unknown>;
  assert.equal(folsom.project_id, undefined);
  assert.equal(folsom.random_seed, undefined);
});

test('version listings and the user data', async () => {
  const versions = (await handleMetadata(sources(), viaRouter('/openstack'))).body.split('\n');
  assert.equal(versions[0], '2012-08-10');
  assert.equal(versions.at(-1), 'latest');
  assert.ok(versions.includes('2018-08-27'));
  assert.deepEqual((await handleMetadata(sources(), viaRouter('/openstack/latest/'))).body.split('\n'), [
    'meta_data.json',
    'user_data',
    'vendor_data.json',
    'network_data.json',
    'vendor_data2.json',
  ]);
  assert.deepEqual((await handleMetadata(sources(), viaRouter('/openstack/2013-04-04'))).body.split('\n'), ['meta_data.json', 'user_data']);
  assert.equal((await handleMetadata(sources(), viaRouter('/openstack/latest/user_data'))).body, '#!/bin/sh\necho hi\n');
  assert.equal((await handleMetadata(sources(), viaRouter('/openstack/latest/vendor_data2.json'))).body, '{}');
  const noUserData = sources(server({ userData: null }));
  assert.equal((await handleMetadata(noUserData, viaRouter('/openstack/latest/user_data'))).status, 404);
  assert.equal((await handleMetadata(noUserData, viaRouter('/latest/user-data'))).status, 404);
});

test('network_data.json describes the ports, static subnets and DNS', async () => {
  const nd = JSON.parse((await handleMetadata(sources(), viaRouter('/openstack/latest/network_data.json'))).body) as Record<string, unknown[]>;
  assert.deepEqual(nd.links, [{ id: 'tapp-vm-0001-a', vif_id: 'p-vm-0001-aaaa', type: 'bridge', mtu: 1450, ethernet_mac_address: 'fa:16:3e:00:00:01' }]);
  assert.deepEqual(nd.networks, [
    {
      id: 'network0',
      type: 'ipv4',
      link: 'tapp-vm-0001-a',
      ip_address: '10.0.0.5',
      netmask: '255.255.255.0',
      routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1', services: [] }],
      network_id: NET,
      services: [{ type: 'dns', address: '10.0.0.2' }],
    },
  ]);
  assert.deepEqual(nd.services, [{ type: 'dns', address: '10.0.0.2' }]);
});

test("the EC2 tree renders as Nova's ec2_md_print", async () => {
  const body = async (path: string) => (await handleMetadata(sources(), viaRouter(path))).body;
  assert.deepEqual((await body('/')).split('\n').slice(-2), ['2009-04-04', 'latest']);
  assert.equal(await body('/latest'), 'meta-data/\nuser-data');
  const listing = (await body('/latest/meta-data/')).split('\n');
  for (const name of ['ami-id', 'ami-launch-index', 'hostname', 'instance-id', 'local-ipv4', 'placement/', 'public-keys/', 'public-ipv4', 'instance-type'])
    assert.ok(listing.includes(name), name);
  assert.equal(await body('/latest/meta-data/public-keys/'), '0=k1');
  assert.equal(await body('/latest/meta-data/public-keys/0/'), 'openssh-key');
  assert.equal(await body('/latest/meta-data/public-keys/0/openssh-key'), KEY);
  assert.equal(await body('/latest/meta-data/local-ipv4'), '10.0.0.5');
  assert.equal(await body('/latest/meta-data/public-ipv4'), '172.24.4.10');
  assert.equal(await body('/latest/meta-data/placement/availability-zone'), 'nova');
  assert.equal(await body('/latest/meta-data/ami-launch-index'), '0');
  assert.equal(await body('/latest/meta-data/security-groups'), 'default');
  assert.equal(await body('/2009-04-04/user-data'), '#!/bin/sh\necho hi\n');
  // Versions before 2007-01-19 have no public-ipv4.
  assert.equal((await handleMetadata(sources(), viaRouter('/1.0/meta-data/public-ipv4'))).status, 404);
});

test('config drive files carry the same content, for every version', async () => {
  const files = new InstanceMetadata(await gatherFacts(sources(), server())).configDriveFiles();
  const latest = JSON.parse(files['openstack/latest/meta_data.json']!) as { uuid: string; public_keys: Record<string, string> };
  assert.equal(latest.uuid, SERVER_ID);
  assert.deepEqual(latest.public_keys, { k1: KEY });
  assert.equal(files['openstack/latest/user_data'], '#!/bin/sh\necho hi\n');
  assert.ok(files['openstack/2012-08-10/meta_data.json']);
  assert.equal(files['openstack/2012-08-10/network_data.json'], undefined);
  assert.ok(files['openstack/latest/network_data.json']);
  assert.equal((JSON.parse(files['ec2/latest/meta-data.json']!) as Record<string, string>)['instance-id'], 'i-3f2a6c1e');
});

test('the metadata API is served over HTTP on a unix socket', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-md-'));
  const socketPath = join(dir, 'metadata.sock');
  const server = await serveMetadata(socketPath, sources(), createLogger('silent'));
  t.after(async () => {
    await closeMetadata(server, socketPath);
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ socketPath, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
  const ok = await get('/latest/meta-data/hostname', { 'x-forwarded-for': '10.0.0.5', 'x-neutron-router-id': ROUTER });
  assert.deepEqual(ok, { status: 200, body: 'web-1.novalocal' });
  assert.equal((await get('/latest/meta-data/hostname', { 'x-forwarded-for': '10.9.9.9', 'x-neutron-router-id': ROUTER })).status, 404);
});
