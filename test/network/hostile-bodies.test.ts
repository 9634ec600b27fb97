/**
 * Every Neutron write route, as a member, with hostile bodies: wrong types,
 * huge and negative numbers, NUL bytes, 100 KB strings, bad CIDRs, IPs and
 * MACs, empty objects, bulk bodies of mixed garbage. None may answer 5xx,
 * and every 4xx is a NeutronError body.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, onBothDatabases, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

const HOSTILE: unknown[] = [
  null,
  {},
  [],
  [[]],
  [{}],
  [null, 1, 'x', {}],
  { a: { b: [] } },
  true,
  0,
  -1,
  1.5,
  1e308,
  -(2 ** 63),
  2 ** 53 + 1,
  '',
  'nul\u0000byte',
  'x'.repeat(100_000),
  '300.1.2.3/33',
  '10.0.0.0/8/8',
  '::ffff:zz',
  'zz:zz:zz:zz:zz:zz',
  '-1',
  'true',
  '../../etc/passwd',
];

/** A write route: where, the body around the attribute under test, and the attributes to corrupt. */
interface Route {
  method: string;
  path: () => string;
  wrap: (attrs: Record<string, unknown>) => unknown;
  base: () => Record<string, unknown>;
  attrs: string[];
}

const STANDARD = ['name', 'description', 'project_id', 'tenant_id'];

onBothDatabases((database, start, skip) => {
  describe(`network: hostile bodies on every write route answer 4xx, never 5xx (${database})`, { skip }, () => {
    const cloud = useCloud(start);
    const ids: Record<string, string> = {};

    before(async () => {
      const made = async (path: string, key: string, body: unknown, token = cloud.demo): Promise<Body> => {
        const response = await cloud.call('POST', path, body, token);
        assert.equal(response.status, 201, response.text);
        return (response.body as Body)[key];
      };
      ids.public = ((await cloud.call('GET', '/v2.0/networks?name=public')).body as Body).networks[0].id;
      ids.network = (await made('/v2.0/networks', 'network', { network: { name: 'fuzz-net' } })).id;
      ids.subnet = (await made('/v2.0/subnets', 'subnet', { subnet: { network_id: ids.network, cidr: '10.91.0.0/24', ip_version: 4 } })).id;
      ids.port = (await made('/v2.0/ports', 'port', { port: { network_id: ids.network } })).id;
      ids.router = (await made('/v2.0/routers', 'router', { router: { name: 'fuzz-router', external_gateway_info: { network_id: ids.public } } })).id;
      ids.group = (await made('/v2.0/security-groups', 'security_group', { security_group: { name: 'fuzz-sg' } })).id;
      ids.fip = (await made('/v2.0/floatingips', 'floatingip', { floatingip: { floating_network_id: ids.public } })).id;
      ids.rbac = (
        await made('/v2.0/rbac-policies', 'rbac_policy', {
          rbac_policy: { object_type: 'network', object_id: ids.network, action: 'access_as_shared', target_tenant: 'other' },
        })
      ).id;
      ids.pool = (await made('/v2.0/subnetpools', 'subnetpool', { subnetpool: { name: 'fuzz-pool', prefixes: ['10.250.0.0/16'], default_prefixlen: 24 } })).id;
      ids.segment = (await made('/v2.0/segments', 'segment', { segment: { network_id: ids.network, network_type: 'vxlan' } }, cloud.admin)).id;
      ids.scope = (await made('/v2.0/address-scopes', 'address_scope', { address_scope: { name: 'fuzz-scope', ip_version: 4 } })).id;
      const demoProject = ((await cloud.call('GET', `/v2.0/networks/${ids.network}`)).body as Body).network.project_id as string;
      ids.project = demoProject;
    });

    const resource = (method: string, path: () => string, singular: string, base: () => Record<string, unknown>, attrs: string[]): Route => ({
      method,
      path,
      wrap: (a) => ({ [singular]: a }),
      base,
      attrs: [...attrs, ...STANDARD],
    });
    const none = () => ({});
    const routes = (): Route[] => [
      resource('POST', () => '/v2.0/networks', 'network', none, [
        'admin_state_up',
        'shared',
        'router:external',
        'provider:network_type',
        'provider:physical_network',
        'provider:segmentation_id',
        'mtu',
        'port_security_enabled',
        'availability_zone_hints',
        'dns_domain',
        'is_default',
      ]),
      resource('PUT', () => `/v2.0/networks/${ids.network}`, 'network', none, ['admin_state_up', 'mtu', 'port_security_enabled', 'dns_domain']),
      resource(
        'POST',
        () => '/v2.0/subnets',
        'subnet',
        () => ({ network_id: ids.network, cidr: '10.92.0.0/24', ip_version: 4 }),
        [
          'network_id',
          'ip_version',
          'cidr',
          'gateway_ip',
          'allocation_pools',
          'host_routes',
          'dns_nameservers',
          'enable_dhcp',
          'subnetpool_id',
          'prefixlen',
          'service_types',
          'segment_id',
          'use_default_subnetpool',
          'ipv6_ra_mode',
          'ipv6_address_mode',
        ],
      ),
      resource('PUT', () => `/v2.0/subnets/${ids.subnet}`, 'subnet', none, ['gateway_ip', 'allocation_pools', 'host_routes', 'dns_nameservers', 'enable_dhcp']),
      resource(
        'POST',
        () => '/v2.0/ports',
        'port',
        () => ({ network_id: ids.network }),
        [
          'network_id',
          'admin_state_up',
          'mac_address',
          'fixed_ips',
          'device_id',
          'device_owner',
          'allowed_address_pairs',
          'security_groups',
          'port_security_enabled',
          'binding:vnic_type',
          'extra_dhcp_opts',
          'dns_name',
        ],
      ),
      resource('PUT', () => `/v2.0/ports/${ids.port}`, 'port', none, [
        'admin_state_up',
        'fixed_ips',
        'device_id',
        'device_owner',
        'allowed_address_pairs',
        'security_groups',
        'port_security_enabled',
        'binding:vnic_type',
        'extra_dhcp_opts',
        'dns_name',
      ]),
      resource('POST', () => '/v2.0/routers', 'router', none, ['admin_state_up', 'external_gateway_info', 'availability_zone_hints']),
      resource('PUT', () => `/v2.0/routers/${ids.router}`, 'router', none, ['admin_state_up', 'external_gateway_info', 'routes']),
      { method: 'PUT', path: () => `/v2.0/routers/${ids.router}/add_router_interface`, wrap: (a) => a, base: none, attrs: ['subnet_id', 'port_id'] },
      { method: 'PUT', path: () => `/v2.0/routers/${ids.router}/remove_router_interface`, wrap: (a) => a, base: none, attrs: ['subnet_id', 'port_id'] },
      { method: 'PUT', path: () => `/v2.0/routers/${ids.router}/add_extraroutes`, wrap: (a) => ({ router: a }), base: none, attrs: ['routes'] },
      { method: 'PUT', path: () => `/v2.0/routers/${ids.router}/remove_extraroutes`, wrap: (a) => ({ router: a }), base: none, attrs: ['routes'] },
      resource('POST', () => '/v2.0/security-groups', 'security_group', none, ['stateful']),
      resource('PUT', () => `/v2.0/security-groups/${ids.group}`, 'security_group', none, ['stateful']),
      resource(
        'POST',
        () => '/v2.0/security-group-rules',
        'security_group_rule',
        () => ({ security_group_id: ids.group, direction: 'ingress' }),
        [
          'security_group_id',
          'direction',
          'ethertype',
          'protocol',
          'port_range_min',
          'port_range_max',
          'remote_ip_prefix',
          'remote_group_id',
          'remote_address_group_id',
        ],
      ),
      resource(
        'POST',
        () => '/v2.0/floatingips',
        'floatingip',
        () => ({ floating_network_id: ids.public }),
        ['floating_network_id', 'subnet_id', 'port_id', 'fixed_ip_address', 'dns_name', 'dns_domain', 'qos_policy_id'],
      ),
      resource('PUT', () => `/v2.0/floatingips/${ids.fip}`, 'floatingip', none, ['port_id', 'fixed_ip_address', 'qos_policy_id']),
      resource(
        'POST',
        () => `/v2.0/floatingips/${ids.fip}/port_forwardings`,
        'port_forwarding',
        () => ({ protocol: 'tcp', internal_port_id: ids.port, internal_port: 22, external_port: 2022 }),
        ['protocol', 'internal_port_id', 'internal_ip_address', 'internal_port', 'external_port'],
      ),
      resource(
        'POST',
        () => '/v2.0/rbac-policies',
        'rbac_policy',
        () => ({ object_type: 'network', object_id: ids.network, action: 'access_as_shared', target_tenant: 'x' }),
        ['object_type', 'object_id', 'action', 'target_tenant', 'target_project'],
      ),
      resource('PUT', () => `/v2.0/rbac-policies/${ids.rbac}`, 'rbac_policy', none, ['target_tenant', 'target_project']),
      resource(
        'POST',
        () => '/v2.0/subnetpools',
        'subnetpool',
        () => ({ prefixes: ['10.251.0.0/16'] }),
        ['prefixes', 'default_quota', 'default_prefixlen', 'min_prefixlen', 'max_prefixlen', 'address_scope_id'],
      ),
      resource('PUT', () => `/v2.0/subnetpools/${ids.pool}`, 'subnetpool', none, [
        'prefixes',
        'default_quota',
        'default_prefixlen',
        'min_prefixlen',
        'max_prefixlen',
        'address_scope_id',
      ]),
      { method: 'PUT', path: () => `/v2.0/subnetpools/${ids.pool}/add_prefixes`, wrap: (a) => a, base: none, attrs: ['prefixes'] },
      { method: 'PUT', path: () => `/v2.0/subnetpools/${ids.pool}/remove_prefixes`, wrap: (a) => a, base: none, attrs: ['prefixes'] },
      resource(
        'POST',
        () => '/v2.0/address-scopes',
        'address_scope',
        () => ({ ip_version: 4 }),
        ['ip_version', 'shared'],
      ),
      resource('PUT', () => `/v2.0/address-scopes/${ids.scope}`, 'address_scope', none, ['shared']),
      { method: 'PUT', path: () => `/v2.0/networks/${ids.network}/tags`, wrap: (a) => a, base: none, attrs: ['tags'] },
    ];

    /** Sends one request; a 5xx or a 4xx without Neutron's body is recorded. */
    const failures: string[] = [];
    let sent = 0;
    const send = async (method: string, path: string, body: unknown, token = cloud.demo) => {
      sent++;
      const response = await cloud.call(method, path, body, token);
      const described = () => `${method} ${path} ${JSON.stringify(body)?.slice(0, 200)} -> ${response.status} ${response.text.slice(0, 200)}`;
      if (response.status >= 500) failures.push(described());
      else if (response.status >= 400 && !(response.body as Body | null)?.NeutronError) failures.push(`not a NeutronError: ${described()}`);
    };

    test('add/remove_router_interface: an object, array or number as subnet_id or port_id is a 400, not a 500', async () => {
      for (const action of ['add_router_interface', 'remove_router_interface']) {
        for (const key of ['subnet_id', 'port_id']) {
          for (const value of [{ id: ids.subnet }, [ids.subnet], [[ids.subnet]], 7, true]) {
            expectError(await cloud.call('PUT', `/v2.0/routers/${ids.router}/${action}`, { [key]: value }), 400, 'HTTPBadRequest');
          }
        }
        expectError(await cloud.call('PUT', `/v2.0/routers/${ids.router}/${action}`, [ids.subnet]), 400, 'HTTPBadRequest');
      }
      const added = await cloud.call('PUT', `/v2.0/routers/${ids.router}/add_router_interface`, { subnet_id: ids.subnet });
      assert.equal(added.status, 200, added.text);
      const removed = await cloud.call('PUT', `/v2.0/routers/${ids.router}/remove_router_interface`, { subnet_id: ids.subnet });
      assert.equal(removed.status, 200, removed.text);
    });

    test('NUL characters and out-of-range quota limits are 4xx on both databases', async () => {
      expectError(await cloud.call('POST', '/v2.0/networks', { network: { name: 'a\u0000b' } }), 400, 'InvalidInput');
      expectError(await cloud.call('PUT', `/v2.0/ports/${ids.port}`, { port: { fixed_ips: [{ subnet_id: 'x\u0000' }] } }), 400, 'InvalidInput');
      expectError(await cloud.call('GET', `/v2.0/networks/${encodeURIComponent('a\u0000b')}`), 404, 'HTTPNotFound');
      expectError(await cloud.call('PUT', `/v2.0/quotas/${ids.project}`, { quota: { network: 2 ** 31 } }, cloud.admin), 400, 'HTTPBadRequest');
    });

    test("counts and lengths are bounded with Neutron's limits before anything is looked up", async () => {
      const many = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));
      expectError(
        await cloud.call('POST', '/v2.0/ports', { port: { network_id: ids.network, fixed_ips: many(6, () => ({ subnet_id: ids.subnet })) } }),
        400,
        'InvalidInput',
      );
      expectError(
        await cloud.call('PUT', `/v2.0/ports/${ids.port}`, { port: { allowed_address_pairs: many(11, (i) => ({ ip_address: `10.1.0.${i}` })) } }),
        400,
        'AllowedAddressPairExhausted',
      );
      expectError(
        await cloud.call('PUT', `/v2.0/subnets/${ids.subnet}`, { subnet: { dns_nameservers: many(6, (i) => `10.2.0.${i}`) } }),
        400,
        'DNSNameServersExhausted',
      );
      expectError(
        await cloud.call('PUT', `/v2.0/subnets/${ids.subnet}`, {
          subnet: { host_routes: many(21, (i) => ({ destination: `10.3.${i}.0/24`, nexthop: '10.91.0.9' })) },
        }),
        400,
        'HostRoutesExhausted',
      );
      expectError(
        await cloud.call('PUT', `/v2.0/routers/${ids.router}`, {
          router: { routes: many(31, (i) => ({ destination: `10.4.${i}.0/24`, nexthop: '10.91.0.9' })) },
        }),
        400,
        'RoutesExhausted',
      );
      expectError(await cloud.call('POST', '/v2.0/networks', { network: { name: 'n'.repeat(256) } }), 400, 'HTTPBadRequest');
      expectError(await cloud.call('POST', '/v2.0/ports', { port: { network_id: ids.network, dns_name: 'd'.repeat(256) } }), 400, 'HTTPBadRequest');
      expectError(await cloud.call('POST', '/v2.0/networks', { network: { availability_zone_hints: ['mars'] } }), 404, 'AvailabilityZoneNotFound');
      expectError(await cloud.call('POST', '/v2.0/routers', { router: { availability_zone_hints: [{}] } }), 400, 'HTTPBadRequest');
      expectError(await cloud.call('POST', '/v2.0/ports', { port: { network_id: ids.network, security_groups: [{ id: ids.group }] } }), 400, 'HTTPBadRequest');
      expectError(await cloud.call('POST', '/v2.0/networks', { networks: many(1001, () => ({})) }), 400, 'HTTPBadRequest');
      const zoned = await cloud.call('POST', '/v2.0/networks', { network: { name: 'zoned', availability_zone_hints: ['nova'] } });
      assert.equal(zoned.status, 201, zoned.text);
      assert.equal((await cloud.call('DELETE', `/v2.0/networks/${(zoned.body as Body).network.id}`)).status, 204);
    });

    test('one hostile value at a time in every attribute', async (t) => {
      for (const route of routes()) {
        for (const attr of route.attrs) {
          for (const value of HOSTILE) await send(route.method, route.path(), route.wrap({ ...route.base(), [attr]: value }));
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(sent > 2000, `${sent} requests`);
      t.diagnostic(`${sent} requests, none 5xx`);
    });

    test('as admin, hostile values in the admin-only attributes', async (t) => {
      failures.length = 0;
      const before = sent;
      const adminRoutes: Route[] = [
        resource('POST', () => '/v2.0/networks', 'network', none, [
          'shared',
          'router:external',
          'provider:network_type',
          'provider:physical_network',
          'provider:segmentation_id',
          'is_default',
        ]),
        resource(
          'POST',
          () => '/v2.0/subnets',
          'subnet',
          () => ({ network_id: ids.network, cidr: '10.94.0.0/24', ip_version: 4 }),
          ['service_types', 'segment_id'],
        ),
        resource('PUT', () => `/v2.0/subnets/${ids.subnet}`, 'subnet', none, ['service_types']),
        resource(
          'POST',
          () => '/v2.0/ports',
          'port',
          () => ({ network_id: ids.network }),
          ['mac_address', 'binding:host_id', 'binding:profile', 'fixed_ips'],
        ),
        resource('PUT', () => `/v2.0/ports/${ids.port}`, 'port', none, ['mac_address', 'binding:host_id', 'binding:profile']),
        resource(
          'POST',
          () => '/v2.0/routers',
          'router',
          () => ({ external_gateway_info: { network_id: ids.public } }),
          ['distributed', 'ha'],
        ),
        resource('PUT', () => `/v2.0/routers/${ids.router}`, 'router', none, ['distributed', 'ha']),
        {
          method: 'PUT',
          path: () => `/v2.0/routers/${ids.router}`,
          wrap: (a) => ({ router: { external_gateway_info: a } }),
          base: () => ({ network_id: ids.public }),
          attrs: ['enable_snat', 'external_fixed_ips'],
        },
        resource(
          'POST',
          () => '/v2.0/floatingips',
          'floatingip',
          () => ({ floating_network_id: ids.public }),
          ['floating_ip_address', 'project_id'],
        ),
        resource(
          'POST',
          () => '/v2.0/subnetpools',
          'subnetpool',
          () => ({ prefixes: ['10.252.0.0/16'] }),
          ['shared', 'is_default'],
        ),
        resource(
          'POST',
          () => '/v2.0/address-scopes',
          'address_scope',
          () => ({ ip_version: 4 }),
          ['shared'],
        ),
        resource(
          'POST',
          () => '/v2.0/segments',
          'segment',
          () => ({ network_id: ids.network, network_type: 'vxlan' }),
          ['network_id', 'network_type', 'physical_network', 'segmentation_id', 'name', 'description'],
        ),
        resource('PUT', () => `/v2.0/segments/${ids.segment}`, 'segment', none, ['name', 'description', 'segmentation_id']),
      ];
      for (const route of adminRoutes) {
        for (const attr of route.attrs) {
          for (const value of HOSTILE) await send(route.method, route.path(), route.wrap({ ...route.base(), [attr]: value }), cloud.admin);
        }
      }
      // The port still works after whatever the admin stored (binding, DHCP and listing read it back).
      await send('PUT', `/v2.0/ports/${ids.port}`, { port: { name: 'after' } });
      await send('GET', '/v2.0/ports', undefined, cloud.admin);
      await send('GET', '/v2.0/subnets', undefined, cloud.admin);
      await send('GET', '/v2.0/networks', undefined, cloud.admin);
      await send('POST', '/v2.0/ports', { port: { network_id: ids.network } });
      assert.deepEqual(failures, []);
      t.diagnostic(`${sent - before} requests, none 5xx`);
    });

    test('whole bodies of the wrong shape, and bulk bodies of mixed garbage', async (t) => {
      failures.length = 0;
      const before = sent;
      const shapes: unknown[] = [null, [], {}, 'text', 7, true, [{}], { x: 1 }];
      for (const route of routes()) {
        for (const body of shapes) await send(route.method, route.path(), body);
        const singular = Object.keys((route.wrap({}) ?? {}) as object)[0];
        if (singular) for (const value of HOSTILE.slice(0, 12)) await send(route.method, route.path(), { [singular]: value });
      }
      for (const collection of [
        'networks',
        'subnets',
        'ports',
        'routers',
        'security-groups',
        'security-group-rules',
        'floatingips',
        'rbac-policies',
        'subnetpools',
        'address-scopes',
      ]) {
        const key = collection.replaceAll('-', '_');
        await send('POST', `/v2.0/${collection}`, { [key]: [{}, null, 1, 'x', [], { name: 'x'.repeat(100_000) }] });
        await send('POST', `/v2.0/${collection}`, { [key]: Array.from({ length: 3 }, () => ({ name: 'ok' })).concat([{ name: {} as unknown as string }]) });
        await send('POST', `/v2.0/${collection}`, { [key]: {} });
      }
      await send('PUT', `/v2.0/quotas/${ids.project}`, { quota: { network: 1e308, port: -5, subnet: 'x', router: null } }, cloud.admin);
      await send('PUT', `/v2.0/quotas/${ids.project}`, { quota: [] }, cloud.admin);
      await send('PUT', `/v2.0/networks/${ids.network}/tags/${encodeURIComponent('a,b')}`, undefined);
      assert.deepEqual(failures, []);
      t.diagnostic(`${sent - before} requests, none 5xx`);
    });
  });
});
