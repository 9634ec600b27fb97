/**
 * Cases Tempest's network suite found: an external network goes with its
 * floating IPs, an IPv6 SLAAC or DHCPv6-stateless subnet with ports can be
 * deleted (their derived addresses go), port filtering by address substring,
 * extra routes set to null.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

describe('network: cases from Tempest', () => {
  const cloud = useCloud();
  const made = async (path: string, key: string, body: Body, token?: string): Promise<Body> => {
    const response = await cloud.call('POST', path, { [key]: body }, token);
    assert.equal(response.status, 201, response.text);
    return response.body[key] as Body;
  };

  test('deleting an external network deletes its floating IPs and gives their quota back', async () => {
    const external = await made('/v2.0/networks', 'network', { name: 'ext-going', 'router:external': true }, cloud.admin);
    await made('/v2.0/subnets', 'subnet', { network_id: external.id, cidr: '198.51.100.0/24', ip_version: 4, enable_dhcp: false }, cloud.admin);
    const fip = await made('/v2.0/floatingips', 'floatingip', { floating_network_id: external.id }, cloud.admin);
    const project = fip.project_id as string;
    const usage = async () => (await cloud.call('GET', `/v2.0/quotas/${project}/details`, undefined, cloud.admin)).body.quota.floatingip.used as number;
    const before = await usage();
    assert.equal((await cloud.call('DELETE', `/v2.0/networks/${external.id}`, undefined, cloud.admin)).status, 204);
    expectError(await cloud.call('GET', `/v2.0/floatingips/${fip.id}`, undefined, cloud.admin), 404, 'FloatingIPNotFound');
    assert.equal(await usage(), before - 1);
  });

  test('an external network with a router gateway on it stays in use', async () => {
    const external = await made('/v2.0/networks', 'network', { name: 'ext-gw', 'router:external': true }, cloud.admin);
    await made('/v2.0/subnets', 'subnet', { network_id: external.id, cidr: '198.51.101.0/24', ip_version: 4, enable_dhcp: false }, cloud.admin);
    const router = await made('/v2.0/routers', 'router', { name: 'gw', external_gateway_info: { network_id: external.id } }, cloud.admin);
    expectError(await cloud.call('DELETE', `/v2.0/networks/${external.id}`, undefined, cloud.admin), 409, 'NetworkInUse');
    await cloud.call('DELETE', `/v2.0/routers/${router.id}`, undefined, cloud.admin);
    assert.equal((await cloud.call('DELETE', `/v2.0/networks/${external.id}`, undefined, cloud.admin)).status, 204);
  });

  for (const mode of ['slaac', 'dhcpv6-stateless']) {
    test(`a ${mode} subnet with a port is deleted and the port loses its address there`, async () => {
      const network = await made('/v2.0/networks', 'network', { name: `v6-${mode}` });
      const v4 = await made('/v2.0/subnets', 'subnet', { network_id: network.id, cidr: '10.61.0.0/24', ip_version: 4 });
      const v6 = await made('/v2.0/subnets', 'subnet', {
        network_id: network.id,
        cidr: '2001:db8:61::/64',
        ip_version: 6,
        ipv6_ra_mode: mode,
        ipv6_address_mode: mode,
      });
      const port = await made('/v2.0/ports', 'port', { network_id: network.id });
      assert.ok((port.fixed_ips as Body[]).some((ip) => ip.subnet_id === v6.id));
      assert.equal((await cloud.call('DELETE', `/v2.0/subnets/${v6.id}`)).status, 204);
      const after = (await cloud.call('GET', `/v2.0/ports/${port.id}`)).body.port as Body;
      assert.deepEqual(
        (after.fixed_ips as Body[]).map((ip) => ip.subnet_id),
        [v4.id],
      );
      await cloud.call('DELETE', `/v2.0/ports/${port.id}`);
      assert.equal((await cloud.call('DELETE', `/v2.0/networks/${network.id}`)).status, 204);
    });
  }

  test('a DHCPv6-stateful subnet with a port is still in use', async () => {
    const network = await made('/v2.0/networks', 'network', { name: 'v6-stateful' });
    const v6 = await made('/v2.0/subnets', 'subnet', {
      network_id: network.id,
      cidr: '2001:db8:62::/64',
      ip_version: 6,
      ipv6_ra_mode: 'dhcpv6-stateful',
      ipv6_address_mode: 'dhcpv6-stateful',
    });
    const port = await made('/v2.0/ports', 'port', { network_id: network.id });
    expectError(await cloud.call('DELETE', `/v2.0/subnets/${v6.id}`), 409, 'SubnetInUse');
    await cloud.call('DELETE', `/v2.0/ports/${port.id}`);
    assert.equal((await cloud.call('DELETE', `/v2.0/subnets/${v6.id}`)).status, 204);
  });

  test('ports are filtered by an address substring', async () => {
    const network = await made('/v2.0/networks', 'network', { name: 'substr' });
    const subnet = await made('/v2.0/subnets', 'subnet', { network_id: network.id, cidr: '10.63.0.0/24', ip_version: 4 });
    const one = await made('/v2.0/ports', 'port', { network_id: network.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.63.0.15' }] });
    const two = await made('/v2.0/ports', 'port', { network_id: network.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.63.0.27' }] });
    const ids = async (substring: string) =>
      ((await cloud.call('GET', `/v2.0/ports?network_id=${network.id}&fixed_ips=ip_address_substr%3D${substring}`)).body.ports as Body[])
        .map((p) => p.id)
        .sort();
    assert.deepEqual(await ids('10.63.0.1'), [one.id]);
    const both = await ids('10.63.0.');
    assert.ok(both.includes(one.id) && both.includes(two.id), 'a common prefix finds both');
    assert.deepEqual(await ids('.27'), [two.id]);
  });

  test('extra routes set to null are cleared; a route list that is not a list is refused', async () => {
    const network = await made('/v2.0/networks', 'network', { name: 'routed' });
    const subnet = await made('/v2.0/subnets', 'subnet', { network_id: network.id, cidr: '10.64.0.0/24', ip_version: 4 });
    const router = await made('/v2.0/routers', 'router', { name: 'routes' });
    await cloud.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    const routes = [{ destination: '10.65.0.0/24', nexthop: '10.64.0.9' }];
    assert.deepEqual((await cloud.call('PUT', `/v2.0/routers/${router.id}`, { router: { routes } })).body.router.routes, routes);
    const cleared = await cloud.call('PUT', `/v2.0/routers/${router.id}`, { router: { routes: null } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.deepEqual(cleared.body.router.routes, []);
    expectError(await cloud.call('PUT', `/v2.0/routers/${router.id}`, { router: { routes: 'none' } }), 400, 'HTTPBadRequest');
  });
});
