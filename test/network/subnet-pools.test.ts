/**
 * Subnet pools and address scopes (subnet_allocation, address-scope,
 * default-subnetpools, subnetpool-prefix-ops), on SQLite and, when
 * NIMBUS_TEST_PG_URL is set, on PostgreSQL: the same suite on both.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError as error, onBothDatabases, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

onBothDatabases((name, start, skip) => {
  describe(`network: subnet pools and address scopes (${name})`, { skip }, () => {
    const cloud = useCloud(start);
    const call = cloud.call;
    const network = async (label: string) => (await call('POST', '/v2.0/networks', { network: { name: label } })).body.network.id as string;
    const subnet = (body: Body) => call('POST', '/v2.0/subnets', { subnet: { ip_version: 4, enable_dhcp: false, ...body } });

    test('the extensions are listed', async () => {
      const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
      for (const alias of ['subnet_allocation', 'address-scope', 'default-subnetpools', 'subnetpool-prefix-ops']) assert.ok(aliases.includes(alias), alias);
    });

    test('pool create: defaults, compaction, bounds and prefix errors', async () => {
      const created = await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'p1', prefixes: ['10.10.1.0/24', '10.10.0.0/24'] } });
      assert.equal(created.status, 201, created.text);
      const pool = created.body.subnetpool;
      assert.deepEqual(pool.prefixes, ['10.10.0.0/23']);
      assert.equal(pool.ip_version, 4);
      assert.equal(pool.min_prefixlen, 8);
      assert.equal(pool.max_prefixlen, 32);
      assert.equal(pool.default_prefixlen, 8);
      assert.equal(pool.default_quota, null);
      assert.equal(pool.shared, false);
      assert.equal(pool.is_default, false);
      assert.equal(pool.address_scope_id, null);
      assert.equal(pool.revision_number, 0);
      assert.deepEqual(pool.tags, []);
      const v6 = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'p6', prefixes: ['2001:db8::/48'] } })).body.subnetpool;
      assert.deepEqual([v6.ip_version, v6.min_prefixlen, v6.max_prefixlen, v6.default_prefixlen], [6, 64, 128, 64]);

      error(await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: [] } }), 400, 'EmptySubnetPoolPrefixList');
      error(await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8', '2001:db8::/32'] } }), 400, 'PrefixVersionMismatch');
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], min_prefixlen: 24, max_prefixlen: 16 } }),
        400,
        'IllegalSubnetPoolPrefixBounds',
      );
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], max_prefixlen: 33 } }),
        400,
        'IllegalSubnetPoolPrefixBounds',
      );
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], min_prefixlen: 16, default_prefixlen: 12 } }),
        400,
        'IllegalSubnetPoolPrefixBounds',
      );
      assert.equal((await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.1/8'] } })).status, 400);
      assert.equal((await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['nope'] } })).status, 400);
      assert.equal((await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], default_quota: -1 } })).status, 400);
      error(await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], shared: true } }), 403, 'PolicyNotAuthorized');
      error(await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.0.0.0/8'], is_default: true } }), 403, 'PolicyNotAuthorized');
    });

    test('show, list, update, prefix actions, delete; visibility', async () => {
      const pool = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'crud', prefixes: ['10.20.0.0/16'], min_prefixlen: 20 } })).body.subnetpool;
      assert.equal((await call('GET', `/v2.0/subnetpools/${pool.id}`)).body.subnetpool.name, 'crud');
      assert.ok((await call('GET', '/v2.0/subnetpools?name=crud')).body.subnetpools.some((p: Body) => p.id === pool.id));
      const updated = await call('PUT', `/v2.0/subnetpools/${pool.id}`, {
        subnetpool: { name: 'crud2', prefixes: ['10.20.0.0/16', '10.21.0.0/16'], default_prefixlen: 24 },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body.subnetpool.prefixes, ['10.20.0.0/15']);
      assert.equal(updated.body.subnetpool.default_prefixlen, 24);
      assert.equal(updated.body.subnetpool.revision_number, 1);
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}`, { subnetpool: { prefixes: ['10.20.0.0/16'] } }), 400, 'IllegalSubnetPoolPrefixUpdate');
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}`, { subnetpool: { ip_version: 6 } }), 400, 'HTTPBadRequest');
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}`, { subnetpool: { default_prefixlen: 8 } }), 400, 'IllegalSubnetPoolPrefixBounds');

      const added = await call('PUT', `/v2.0/subnetpools/${pool.id}/add_prefixes`, { prefixes: ['192.168.0.0/24'] });
      assert.equal(added.status, 200, added.text);
      assert.deepEqual(added.body.prefixes, ['10.20.0.0/15', '192.168.0.0/24']);
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}/add_prefixes`, { prefixes: ['2001:db8::/64'] }), 400, 'PrefixVersionMismatch');
      assert.equal((await call('PUT', `/v2.0/subnetpools/${pool.id}/add_prefixes`, { prefixes: [] })).status, 400);
      assert.equal((await call('PUT', `/v2.0/subnetpools/${pool.id}/add_prefixes`, {})).status, 400);
      const removed = await call('PUT', `/v2.0/subnetpools/${pool.id}/remove_prefixes`, { prefixes: ['10.21.0.0/16'] });
      assert.deepEqual(removed.body.prefixes, ['10.20.0.0/16', '192.168.0.0/24']);

      // The admin project's private pool is invisible to demo; a shared one is visible but not demo's to change.
      const hidden = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'admins', prefixes: ['10.30.0.0/16'] } }, cloud.admin)).body.subnetpool;
      error(await call('GET', `/v2.0/subnetpools/${hidden.id}`), 404, 'SubnetPoolNotFound');
      assert.ok(!(await call('GET', '/v2.0/subnetpools')).body.subnetpools.some((p: Body) => p.id === hidden.id));
      const shared = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'shared', prefixes: ['10.31.0.0/16'], shared: true } }, cloud.admin)).body
        .subnetpool;
      assert.equal((await call('GET', `/v2.0/subnetpools/${shared.id}`)).status, 200);
      error(await call('PUT', `/v2.0/subnetpools/${shared.id}`, { subnetpool: { name: 'mine' } }), 403, 'PolicyNotAuthorized');
      error(await call('DELETE', `/v2.0/subnetpools/${shared.id}`), 403, 'PolicyNotAuthorized');
      error(await call('PUT', `/v2.0/subnetpools/${shared.id}/add_prefixes`, { prefixes: ['10.32.0.0/16'] }), 403, 'PolicyNotAuthorized');

      assert.equal((await call('DELETE', `/v2.0/subnetpools/${pool.id}`)).status, 204);
      error(await call('GET', `/v2.0/subnetpools/${pool.id}`), 404, 'SubnetPoolNotFound');
      error(await call('DELETE', `/v2.0/subnetpools/${pool.id}`), 404, 'SubnetPoolNotFound');
    });

    test('subnets from a pool: first free prefix, explicit CIDR inside the pool, bounds, affinity, freed on delete', async () => {
      const pool = (
        await call('POST', '/v2.0/subnetpools', {
          subnetpool: { name: 'alloc', prefixes: ['10.40.0.0/22'], min_prefixlen: 24, max_prefixlen: 28, default_prefixlen: 24 },
        })
      ).body.subnetpool;
      const net = await network('alloc-net');
      const first = await subnet({ network_id: net, subnetpool_id: pool.id });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.subnet.cidr, '10.40.0.0/24');
      assert.equal(first.body.subnet.subnetpool_id, pool.id);
      assert.equal(first.body.subnet.gateway_ip, '10.40.0.1');
      assert.deepEqual(first.body.subnet.allocation_pools, [{ start: '10.40.0.2', end: '10.40.0.254' }]);
      const small = await subnet({ network_id: net, subnetpool_id: pool.id, prefixlen: 28 });
      assert.equal(small.body.subnet.cidr, '10.40.1.0/28');
      const explicit = await subnet({ network_id: net, subnetpool_id: pool.id, cidr: '10.40.3.0/24' });
      assert.equal(explicit.status, 201, explicit.text);
      assert.equal(explicit.body.subnet.cidr, '10.40.3.0/24');

      error(await subnet({ network_id: net, subnetpool_id: pool.id, cidr: '10.40.3.0/25' }), 409, 'SubnetAllocationError');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, cidr: '10.99.0.0/24' }), 409, 'SubnetAllocationError');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, prefixlen: 23 }), 400, 'MinPrefixSubnetAllocationError');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, prefixlen: 29 }), 400, 'MaxPrefixSubnetAllocationError');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, cidr: '10.40.2.0/24', prefixlen: 24 }), 400, 'HTTPBadRequest');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, allocation_pools: [{ start: '10.40.2.10', end: '10.40.2.20' }] }), 400, 'HTTPBadRequest');
      error(await subnet({ network_id: net, subnetpool_id: pool.id, ip_version: 6 }), 400, 'HTTPBadRequest');
      error(await subnet({ network_id: net, subnetpool_id: 'no-such-pool' }), 404, 'SubnetPoolNotFound');
      error(await subnet({ network_id: net, cidr: '10.41.0.0/24' }), 400, 'NetworkSubnetPoolAffinityError');
      const second = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'other', prefixes: ['10.42.0.0/16'] } })).body.subnetpool;
      error(await subnet({ network_id: net, subnetpool_id: second.id, prefixlen: 24 }), 400, 'NetworkSubnetPoolAffinityError');

      // 10.40.2.0/24 is the last free /24 (10.40.1.0/24 holds the /28); then only smaller prefixes fit.
      const full = await network('full');
      const last = await subnet({ network_id: full, subnetpool_id: pool.id });
      assert.equal(last.body.subnet.cidr, '10.40.2.0/24');
      error(await subnet({ network_id: full, subnetpool_id: pool.id }), 409, 'SubnetAllocationError');
      assert.equal((await subnet({ network_id: full, subnetpool_id: pool.id, prefixlen: 28 })).body.subnet.cidr, '10.40.1.16/28');
      error(await call('DELETE', `/v2.0/subnetpools/${pool.id}`), 400, 'SubnetPoolDeleteError');
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}/remove_prefixes`, { prefixes: ['10.40.0.0/24'] }), 400, 'IllegalSubnetPoolPrefixUpdate');

      assert.equal((await call('DELETE', `/v2.0/subnets/${first.body.subnet.id}`)).status, 204);
      const again = await subnet({ network_id: net, subnetpool_id: pool.id });
      assert.equal(again.body.subnet.cidr, '10.40.0.0/24', 'the freed prefix is handed out again');
      const fullSubnets = (await call('GET', `/v2.0/subnets?network_id=${full}`)).body.subnets.map((x: Body) => x.id as string);
      for (const id of [again.body.subnet.id, small.body.subnet.id, explicit.body.subnet.id, ...fullSubnets])
        assert.equal((await call('DELETE', `/v2.0/subnets/${id}`)).status, 204);
      assert.equal((await call('DELETE', `/v2.0/subnetpools/${pool.id}`)).status, 204);
    });

    test('per-project prefix quota (default_quota) and the subnetpool quota', async () => {
      const pool = (
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'quota', prefixes: ['10.50.0.0/16'], default_prefixlen: 26, default_quota: 128 } })
      ).body.subnetpool;
      const net = await network('quota-net');
      assert.equal((await subnet({ network_id: net, subnetpool_id: pool.id })).status, 201);
      assert.equal((await subnet({ network_id: net, subnetpool_id: pool.id })).status, 201);
      error(await subnet({ network_id: net, subnetpool_id: pool.id }), 409, 'SubnetPoolQuotaExceeded');

      const projectId = pool.project_id as string;
      const quota = (await call('GET', `/v2.0/quotas/${projectId}`)).body.quota;
      assert.equal(quota.subnetpool, -1);
      const used = (await call('GET', `/v2.0/quotas/${projectId}/details`)).body.quota.subnetpool.used as number;
      assert.ok(used >= 1);
      assert.equal((await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { subnetpool: used } }, cloud.admin)).status, 200);
      error(await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'over', prefixes: ['10.51.0.0/16'] } }), 409, 'OverQuota');
      assert.equal((await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { subnetpool: -1 } }, cloud.admin)).status, 200);
    });

    test('parallel subnet creates never get the same prefix; the loser sees a full pool', async () => {
      const pool = (
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'race', prefixes: ['10.60.0.0/20'], default_prefixlen: 24, shared: true } }, cloud.admin)
      ).body.subnetpool;
      const networks = await Promise.all(Array.from({ length: 24 }, (_, i) => network(`race-${i}`)));
      // Each subnet for another project, so the creates do not queue on one project's quota row:
      // only the pool's lock keeps them apart.
      const results = await Promise.all(
        networks.map((id, i) =>
          call(
            'POST',
            '/v2.0/subnets',
            { subnet: { network_id: id, subnetpool_id: pool.id, ip_version: 4, enable_dhcp: false, project_id: `race-project-${i}` } },
            cloud.admin,
          ),
        ),
      );
      const created = results.filter((r) => r.status === 201).map((r) => r.body.subnet.cidr as string);
      assert.equal(created.length, 16, JSON.stringify(results.filter((r) => r.status !== 201).map((r) => r.body)));
      assert.equal(new Set(created).size, 16, 'no prefix handed out twice');
      for (const r of results.filter((x) => x.status !== 201)) error(r, 409, 'SubnetAllocationError');
    });

    test('default pool: one per IP version, use_default_subnetpool', async () => {
      const net = await network('default-net');
      error(await subnet({ network_id: net, use_default_subnetpool: true, ip_version: 6 }), 400, 'HTTPBadRequest');
      const pool = (
        await call(
          'POST',
          '/v2.0/subnetpools',
          { subnetpool: { name: 'default6', prefixes: ['2001:db8:1::/48'], is_default: true, shared: true } },
          cloud.admin,
        )
      ).body.subnetpool;
      assert.equal(pool.is_default, true);
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'default6b', prefixes: ['2001:db8:2::/48'], is_default: true } }, cloud.admin),
        400,
        'InvalidInput',
      );
      const made = await subnet({ network_id: net, use_default_subnetpool: true, ip_version: 6 });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.subnet.cidr, '2001:db8:1::/64');
      assert.equal(made.body.subnet.subnetpool_id, pool.id);
      assert.equal(made.body.subnet.use_default_subnetpool, undefined);
      error(await subnet({ network_id: net, use_default_subnetpool: true, subnetpool_id: pool.id, ip_version: 6 }), 400, 'HTTPBadRequest');
      error(await call('PUT', `/v2.0/subnetpools/${pool.id}`, { subnetpool: { is_default: false } }), 403, 'PolicyNotAuthorized');
      assert.equal((await call('DELETE', `/v2.0/subnets/${made.body.subnet.id}`)).status, 204);
      assert.equal((await call('DELETE', `/v2.0/subnetpools/${pool.id}`, undefined, cloud.admin)).status, 204);
    });

    test('address scopes: CRUD, shared, pool membership, prefix conflicts, network scope', async () => {
      const created = await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'scope4', ip_version: 4 } });
      assert.equal(created.status, 201, created.text);
      const scope = created.body.address_scope;
      assert.deepEqual(Object.keys(scope).sort(), ['id', 'ip_version', 'name', 'project_id', 'shared', 'tenant_id']);
      assert.equal(scope.shared, false);
      assert.equal((await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'x', ip_version: 5 } })).status, 400);
      assert.equal((await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'x' } })).status, 400);
      error(await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'x', ip_version: 4, shared: true } }), 403, 'PolicyNotAuthorized');
      assert.equal((await call('PUT', `/v2.0/address-scopes/${scope.id}`, { address_scope: { name: 'renamed' } })).body.address_scope.name, 'renamed');
      assert.ok((await call('GET', '/v2.0/address-scopes')).body.address_scopes.some((s: Body) => s.id === scope.id));

      const a = await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'in-scope-a', prefixes: ['10.70.0.0/16'], address_scope_id: scope.id } });
      assert.equal(a.status, 201, a.text);
      assert.equal(a.body.subnetpool.address_scope_id, scope.id);
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'clash', prefixes: ['10.70.128.0/17'], address_scope_id: scope.id } }),
        409,
        'AddressScopePrefixConflict',
      );
      const b = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'in-scope-b', prefixes: ['10.71.0.0/16'], address_scope_id: scope.id } })).body
        .subnetpool;
      error(await call('PUT', `/v2.0/subnetpools/${b.id}/add_prefixes`, { prefixes: ['10.70.5.0/24'] }), 409, 'AddressScopePrefixConflict');
      const outside = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'outside', prefixes: ['10.70.0.0/24'] } })).body.subnetpool;
      error(await call('PUT', `/v2.0/subnetpools/${outside.id}`, { subnetpool: { address_scope_id: scope.id } }), 409, 'AddressScopePrefixConflict');
      const v6pool = (await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'v6', prefixes: ['2001:db8:9::/48'] } })).body.subnetpool;
      error(
        await call('PUT', `/v2.0/subnetpools/${v6pool.id}`, { subnetpool: { address_scope_id: scope.id } }),
        400,
        'IllegalSubnetPoolIpVersionAssociationToAddressScope',
      );
      error(
        await call('POST', '/v2.0/subnetpools', { subnetpool: { name: 'x', prefixes: ['10.72.0.0/16'], address_scope_id: 'no-such-scope' } }),
        404,
        'AddressScopeNotFound',
      );

      const net = await network('scoped-net');
      assert.equal((await subnet({ network_id: net, subnetpool_id: a.body.subnetpool.id, prefixlen: 24 })).status, 201);
      const shown = (await call('GET', `/v2.0/networks/${net}`)).body.network;
      assert.equal(shown.ipv4_address_scope, scope.id);
      assert.equal(shown.ipv6_address_scope, null);
      assert.equal((await call('GET', `/v2.0/networks?id=${net}`)).body.networks[0].ipv4_address_scope, scope.id);

      error(await call('DELETE', `/v2.0/address-scopes/${scope.id}`), 409, 'AddressScopeInUse');
      // Leaving the scope is an update like any other; then the scope can go.
      assert.equal((await call('PUT', `/v2.0/subnetpools/${b.id}`, { subnetpool: { address_scope_id: null } })).body.subnetpool.address_scope_id, null);

      const sharedScope = (await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'shared-scope', ip_version: 4, shared: true } }, cloud.admin))
        .body.address_scope;
      assert.equal((await call('GET', `/v2.0/address-scopes/${sharedScope.id}`)).status, 200);
      error(await call('PUT', `/v2.0/address-scopes/${sharedScope.id}`, { address_scope: { shared: false } }, cloud.admin), 400, 'AddressScopeUpdateError');
      error(await call('DELETE', `/v2.0/address-scopes/${sharedScope.id}`), 403, 'PolicyNotAuthorized');
      const joined = await call('POST', '/v2.0/subnetpools', {
        subnetpool: { name: 'joins-shared', prefixes: ['10.80.0.0/16'], address_scope_id: sharedScope.id },
      });
      assert.equal(joined.status, 201, joined.text);
      error(await call('PUT', `/v2.0/subnetpools/${joined.body.subnetpool.id}`, { subnetpool: { name: 'renamed' } }), 400, 'IllegalSubnetPoolUpdate');
      const privateScope = (await call('POST', '/v2.0/address-scopes', { address_scope: { name: 'admins', ip_version: 4 } }, cloud.admin)).body.address_scope;
      error(await call('GET', `/v2.0/address-scopes/${privateScope.id}`), 404, 'AddressScopeNotFound');
    });
  });
});
