import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

describe('network: discovery, networks, subnets, ports, quotas', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown, token = demo, headers?: Record<string, string>) =>
    cloud.request(method, `/network${path}`, { token, body, ...(headers && { headers }) });
  const neutronError = (response: { body: Json }, type: string) => {
    assert.equal(response.body.NeutronError?.type, type, JSON.stringify(response.body));
    assert.equal(response.body.NeutronError.detail, '');
    assert.ok(response.body.NeutronError.message);
  };

  test('version discovery and extensions', async () => {
    const versions = await cloud.request('GET', '/network');
    assert.equal(versions.status, 200);
    assert.equal(versions.body.versions[0].id, 'v2.0');
    const resources = await cloud.request('GET', '/network/v2.0');
    assert.ok(resources.body.resources.some((r: { collection: string }) => r.collection === 'networks'));
    const extensions = await call('GET', '/v2.0/extensions');
    const aliases = extensions.body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['security-group', 'binding', 'external-net', 'quotas', 'standard-attr-tag']) assert.ok(aliases.includes(alias), alias);
    assert.equal((await call('GET', '/v2.0/extensions/security-group')).status, 200);
    neutronError(await call('GET', '/v2.0/extensions/nope'), 'ExtensionNotFound');
    const zones = await call('GET', '/v2.0/availability_zones');
    assert.deepEqual(zones.body.availability_zones.map((z: { resource: string }) => z.resource).sort(), ['network', 'router']);
    const noToken = await cloud.request('GET', '/network/v2.0/networks');
    assert.equal(noToken.status, 401);
    assert.ok(noToken.body.NeutronError);
  });

  test('network lifecycle with standard attributes, fields, filters, tags, If-Match', async () => {
    const created = await call('POST', '/v2.0/networks', { network: { name: 'net-a', description: 'first' } });
    assert.equal(created.status, 201, created.text);
    const net = created.body.network;
    assert.equal(net.status, 'ACTIVE');
    assert.equal(net.admin_state_up, true);
    assert.equal(net.shared, false);
    assert.equal(net['router:external'], false);
    assert.equal(net.mtu, 1450);
    assert.equal(net.project_id, net.tenant_id);
    assert.equal(net.revision_number, 0);
    assert.match(net.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(net['provider:network_type'], undefined, 'provider attributes are admin-only');
    const asAdmin = await call('GET', `/v2.0/networks/${net.id}`, undefined, admin);
    assert.equal(asAdmin.body.network['provider:network_type'], 'vxlan');
    assert.equal(typeof asAdmin.body.network['provider:segmentation_id'], 'number');

    const fields = await call('GET', `/v2.0/networks/${net.id}?fields=id&fields=name`);
    assert.deepEqual(Object.keys(fields.body.network).sort(), ['id', 'name']);
    const filtered = await call('GET', '/v2.0/networks?name=net-a');
    assert.deepEqual(
      filtered.body.networks.map((n: { id: string }) => n.id),
      [net.id],
    );

    assert.equal((await call('PUT', `/v2.0/networks/${net.id}/tags`, { tags: ['red', 'blue'] })).status, 200);
    assert.equal((await call('PUT', `/v2.0/networks/${net.id}/tags/green`)).status, 201);
    assert.equal((await call('GET', `/v2.0/networks/${net.id}/tags/red`)).status, 204);
    assert.equal((await call('GET', `/v2.0/networks?tags=green`)).body.networks.length, 1);
    assert.equal((await call('GET', `/v2.0/networks?not-tags-any=green`)).body.networks.filter((n: { id: string }) => n.id === net.id).length, 0);

    const stale = await call('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'x' } }, demo, { 'if-match': 'revision_number=0' });
    assert.equal(stale.status, 412);
    const renamed = await call('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'net-b' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.network.name, 'net-b');
    assert.ok(renamed.body.network.revision_number > 0);

    neutronError(await call('POST', '/v2.0/networks', { network: { shared: true } }), 'PolicyNotAuthorized');
    assert.equal((await call('POST', '/v2.0/networks', { network: { bogus: 1 } })).status, 400);
    neutronError(await call('GET', '/v2.0/networks/00000000-0000-0000-0000-000000000000'), 'NetworkNotFound');
    assert.equal((await call('DELETE', `/v2.0/networks/${net.id}`)).status, 204);
  });

  test('sorting and pagination with links', async () => {
    for (const name of ['p-c', 'p-a', 'p-b']) await call('POST', '/v2.0/networks', { network: { name } });
    const sorted = await call('GET', '/v2.0/networks?sort_key=name&sort_dir=asc&name=p-a&name=p-b&name=p-c');
    assert.deepEqual(
      sorted.body.networks.map((n: { name: string }) => n.name),
      ['p-a', 'p-b', 'p-c'],
    );
    const page = await call('GET', '/v2.0/networks?sort_key=name&sort_dir=asc&limit=2&name=p-a&name=p-b&name=p-c');
    assert.equal(page.body.networks.length, 2);
    const next = page.body.networks_links.find((l: { rel: string }) => l.rel === 'next');
    assert.ok(next);
    const second = await cloud.request('GET', next.href, { token: demo });
    assert.deepEqual(
      second.body.networks.map((n: { name: string }) => n.name),
      ['p-c'],
    );
  });

  test('subnets: gateway, pools, overlaps, validation', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'sub-net' } })).body.network;
    const subnet = await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.1.0.0/24' } });
    assert.equal(subnet.status, 201, subnet.text);
    assert.equal(subnet.body.subnet.gateway_ip, '10.1.0.1');
    assert.deepEqual(subnet.body.subnet.allocation_pools, [{ start: '10.1.0.2', end: '10.1.0.254' }]);
    assert.equal(subnet.body.subnet.enable_dhcp, true);
    neutronError(await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.1.0.128/25' } }), 'InvalidInput');
    neutronError(
      await call('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, ip_version: 4, cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.10', end: '10.3.0.20' }] },
      }),
      'OutOfBoundsAllocationPool',
    );
    neutronError(
      await call('POST', '/v2.0/subnets', {
        subnet: {
          network_id: net.id,
          ip_version: 4,
          cidr: '10.2.0.0/24',
          gateway_ip: '10.2.0.15',
          allocation_pools: [{ start: '10.2.0.10', end: '10.2.0.20' }],
        },
      }),
      'GatewayConflictWithAllocationPools',
    );
    neutronError(
      await call('POST', '/v2.0/subnets', {
        subnet: {
          network_id: net.id,
          ip_version: 4,
          cidr: '10.2.0.0/24',
          allocation_pools: [
            { start: '10.2.0.10', end: '10.2.0.20' },
            { start: '10.2.0.15', end: '10.2.0.30' },
          ],
        },
      }),
      'OverlappingAllocationPools',
    );
    const noGateway = await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.3.0.0/28', gateway_ip: null } });
    assert.equal(noGateway.body.subnet.gateway_ip, null);
    assert.deepEqual(noGateway.body.subnet.allocation_pools, [{ start: '10.3.0.1', end: '10.3.0.14' }]);
    const v6 = await call('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 6, cidr: '2001:db8::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' },
    });
    assert.equal(v6.status, 201, v6.text);
    assert.equal(v6.body.subnet.gateway_ip, '2001:db8::1');
    // Host bits are accepted and dropped, as Neutron stores the network address.
    const hostBits = await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.9.0.5/24' } });
    assert.equal(hostBits.status, 201, hostBits.text);
    assert.equal(hostBits.body.subnet.cidr, '10.9.0.0/24');
    assert.equal((await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.8.0.0' } })).status, 400);
    assert.equal(
      (
        await call('POST', '/v2.0/subnets', {
          subnet: { network_id: net.id, ip_version: 6, cidr: '2001:db9::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' },
        })
      ).status,
      400,
    );
    const updated = await call('PUT', `/v2.0/subnets/${subnet.body.subnet.id}`, {
      subnet: { dns_nameservers: ['8.8.8.8'], host_routes: [{ destination: '10.5.0.0/24', nexthop: '10.1.0.5' }] },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.subnet.dns_nameservers, ['8.8.8.8']);

    const port = await call('POST', '/v2.0/ports', { port: { network_id: net.id } });
    assert.equal(port.status, 201, port.text);
    const fixed = port.body.port.fixed_ips as Array<{ subnet_id: string; ip_address: string }>;
    assert.ok(fixed.some((f) => f.ip_address === '10.1.0.2' || f.ip_address.startsWith('10.')));
    assert.ok(
      fixed.some((f) => f.ip_address.startsWith('2001:db8::') && f.ip_address.includes('ff:fe')),
      'SLAAC address from the MAC',
    );
    neutronError(await call('DELETE', `/v2.0/subnets/${subnet.body.subnet.id}`), 'SubnetInUse');
    neutronError(await call('DELETE', `/v2.0/networks/${net.id}`), 'NetworkInUse');
    assert.equal((await call('DELETE', `/v2.0/ports/${port.body.port.id}`)).status, 204);
    assert.equal((await call('DELETE', `/v2.0/networks/${net.id}`)).status, 204);
    neutronError(await call('GET', `/v2.0/subnets/${subnet.body.subnet.id}`), 'SubnetNotFound');
  });

  test('ports: fixed IPs by address and subnet, in use, outside subnet, MAC, security groups, binding', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'port-net' } })).body.network;
    const subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '192.168.50.0/24' } })).body.subnet;
    const a = await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '192.168.50.10' }] } });
    assert.equal(a.status, 201, a.text);
    assert.deepEqual(a.body.port.fixed_ips, [{ subnet_id: subnet.id, ip_address: '192.168.50.10' }]);
    assert.equal(a.body.port.status, 'DOWN');
    assert.match(a.body.port.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(a.body.port.security_groups.length, 1, 'the default group');
    neutronError(await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '192.168.50.10' }] } }), 'IpAddressInUse');
    neutronError(
      await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.1' }] } }),
      'InvalidIpForSubnet',
    );
    neutronError(await call('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: a.body.port.mac_address } }, admin), 'MacAddressInUse');
    const b = await call('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id }], allowed_address_pairs: [{ ip_address: '10.10.0.0/24' }] },
    });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.body.port.allowed_address_pairs[0].mac_address, b.body.port.mac_address);
    const moved = await call('PUT', `/v2.0/ports/${b.body.port.id}`, { port: { fixed_ips: [{ ip_address: '192.168.50.10' }] } });
    neutronError(moved, 'IpAddressInUse');
    const bound = await call(
      'PUT',
      `/v2.0/ports/${a.body.port.id}`,
      { port: { 'binding:host_id': 'compute1', device_owner: 'compute:nova', device_id: 'vm-1' } },
      admin,
    );
    assert.equal(bound.status, 200, bound.text);
    assert.equal(bound.body.port.status, 'ACTIVE');
    assert.equal(bound.body.port['binding:vif_type'], 'ovs');
    neutronError(await call('PUT', `/v2.0/ports/${a.body.port.id}`, { port: { 'binding:host_id': 'x' } }), 'PolicyNotAuthorized');
    const noSecurity = await call('POST', '/v2.0/ports', { port: { network_id: net.id, port_security_enabled: false } });
    assert.deepEqual(noSecurity.body.port.security_groups, []);
    assert.equal((await call('DELETE', `/v2.0/ports/${a.body.port.id}`)).status, 204);
    const reuse = await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '192.168.50.10' }] } });
    assert.equal(reuse.status, 201, 'a deleted port frees its address');
    const byIp = await call('GET', '/v2.0/ports?fixed_ips=ip_address%3D192.168.50.10');
    assert.equal(byIp.body.ports.length, 1);
  });

  test('DHCP ports follow DHCP-enabled subnets', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'dhcp-net' } })).body.network;
    const subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.44.0.0/24' } })).body.subnet;
    const dhcpPorts = async () => (await call('GET', `/v2.0/ports?network_id=${net.id}&device_owner=network:dhcp`)).body.ports as Array<Json>;
    const [dhcp] = await dhcpPorts();
    assert.ok(dhcp, 'a DHCP port appears with the subnet');
    assert.equal(dhcp.status, 'ACTIVE');
    assert.equal(dhcp.fixed_ips.length, 1);
    assert.equal(dhcp.fixed_ips[0].subnet_id, subnet.id);
    assert.equal(dhcp.fixed_ips[0].ip_address, '10.44.0.2', "the pool's first address, as Neutron's DHCP agent takes it");
    const off = await call('PUT', `/v2.0/subnets/${subnet.id}`, { subnet: { enable_dhcp: false } });
    assert.equal(off.status, 200);
    assert.equal((await dhcpPorts()).length, 0, 'and goes with DHCP');
    const squatter = await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.44.0.2' }] } });
    assert.equal(squatter.status, 201, squatter.text);
    await call('PUT', `/v2.0/subnets/${subnet.id}`, { subnet: { enable_dhcp: true } });
    const [again, ...others] = await dhcpPorts();
    assert.equal(others.length, 0);
    assert.match(again?.fixed_ips[0].ip_address, /^10\.44\.0\.([3-9]|\d\d+)$/, 'with the first address taken, DHCP takes another');
    assert.equal((await call('DELETE', `/v2.0/ports/${squatter.body.port.id}`)).status, 204);
    assert.equal((await call('DELETE', `/v2.0/subnets/${subnet.id}`)).status, 204, 'a DHCP port does not block deletion');
    assert.equal((await dhcpPorts()).length, 0);
    assert.equal((await call('DELETE', `/v2.0/networks/${net.id}`)).status, 204);
  });

  test('quotas: show, details, set, enforced with OverQuota', async () => {
    const project = (await call('GET', '/v2.0/networks', undefined, demo)).body;
    void project;
    const token = await cloud.demoToken();
    const own = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    const projectId = own.body.token.project.id as string;
    const shown = await call('GET', `/v2.0/quotas/${projectId}`);
    assert.equal(shown.body.quota.network, 100);
    neutronError(await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { network: 5 } }), 'PolicyNotAuthorized');
    const used = (await call('GET', `/v2.0/quotas/${projectId}/details`)).body.quota.network.used as number;
    const set = await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { network: used + 1 } }, admin);
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.quota.network, used + 1);
    assert.equal((await call('POST', '/v2.0/networks', { network: { name: 'q1' } })).status, 201);
    neutronError(await call('POST', '/v2.0/networks', { network: { name: 'q2' } }), 'OverQuota');
    const listed = await call('GET', '/v2.0/quotas', undefined, admin);
    assert.ok(listed.body.quotas.some((q: { project_id: string }) => q.project_id === projectId));
    assert.equal((await call('DELETE', `/v2.0/quotas/${projectId}`, undefined, admin)).status, 204);
    assert.equal((await call('GET', `/v2.0/quotas/${projectId}`)).body.quota.network, 100);
  });
});
