/**
 * network/operations.ts, the typed door other services (compute, Heat) use:
 * the same visibility, policy and quotas as the REST API, typed results that
 * match what the API shows, find-by-name, and Nova's port lifecycle
 * (create, bind to a host, release, claim).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import { serviceCaller } from '../../src/core/context.js';
import { NimbusError } from '../../src/core/errors.js';
import type { NetworkOperations } from '../../src/network/operations.js';
import { userWithRole } from './personas.js';
import { useCloud } from './support.js';

/** Asserts that `call` fails with the network service's error of `status` and `type`. */
async function rejects(call: Promise<unknown>, status: number, type: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof NimbusError, String(error));
    assert.equal(error.status, status, error.message);
    assert.equal(error.type, type, error.message);
    return true;
  });
}

describe('network operations', () => {
  const cloud = useCloud();
  let ops: NetworkOperations;
  let demo: CallerContext;
  let reader: CallerContext;
  let readerToken: string;
  const compute = serviceCaller('nimbus-compute', null);

  before(async () => {
    const services = cloud.server.server.services;
    const network = services.network?.operations;
    const identity = services.identity?.authenticator;
    assert.ok(network && identity);
    ops = network as NetworkOperations;
    demo = await identity.authenticate(cloud.demo);
    readerToken = await userWithRole(cloud.server, cloud.admin, 'ops-reader', 'reader', 'demo');
    reader = await identity.authenticate(readerToken);
  });

  test('what a member makes through operations is what the API shows', async () => {
    const net = await ops.networks.create(demo, { name: 'ops-net' });
    const subnet = await ops.subnets.create(demo, {
      networkId: net.id,
      ipVersion: 4,
      cidr: '10.40.0.0/24',
      name: 'ops-subnet',
      dnsNameservers: ['10.40.0.53'],
    });
    const port = await ops.ports.create(demo, { networkId: net.id, name: 'ops-port', fixedIps: [{ subnetId: subnet.id, ipAddress: '10.40.0.10' }] });
    const shown = (await cloud.call('GET', `/v2.0/ports/${port.id}`)).body.port;
    assert.equal(port.macAddress, shown.mac_address);
    assert.deepEqual(port.fixedIps, [{ subnetId: subnet.id, ipAddress: '10.40.0.10' }]);
    assert.deepEqual(port.securityGroupIds, shown.security_groups);
    assert.equal(port.projectId, demo.project?.id);
    // A member's view hides the binding, as the API's does.
    assert.equal(port.hostId, null);
    assert.equal(shown['binding:host_id'], undefined);
    const again = await ops.networks.get(demo, net.id);
    assert.deepEqual(again.subnetIds, [subnet.id]);
    assert.equal((await ops.subnets.listOfNetwork(demo, net.id))[0]?.dnsNameservers[0], '10.40.0.53');
    const renamed = await ops.ports.update(demo, port.id, { name: 'ops-port-2' });
    assert.equal(renamed.name, 'ops-port-2');
    assert.equal(renamed.macAddress, port.macAddress);
    await ops.ports.delete(demo, port.id);
    await rejects(ops.ports.get(demo, port.id), 404, 'PortNotFound');
  });

  test('a reader is refused as over REST, and sees nothing it may not', async () => {
    const viaRest = await cloud.call('POST', '/v2.0/networks', { network: { name: 'reader-net' } }, readerToken);
    assert.equal(viaRest.status, 403);
    await rejects(ops.networks.create(reader, { name: 'reader-net' }), 403, viaRest.body.NeutronError.type);
    assert.equal(
      (await ops.networks.list(reader)).some((n) => n.name === 'reader-net'),
      false,
    );
    const mine = await ops.networks.create(demo, { name: 'demo-only' });
    await rejects(ops.networks.delete(reader, mine.id), 403, 'PolicyNotAuthorized');
    const admin = serviceCaller('nimbus-test', null);
    const hidden = await ops.networks.create(serviceCaller('nimbus-test', { id: 'another-project' }), { name: 'elsewhere' });
    await rejects(ops.networks.get(demo, hidden.id), 404, 'NetworkNotFound');
    await ops.networks.delete(admin, hidden.id);
    await ops.networks.delete(demo, mine.id);
  });

  test('quotas hold for operations as for the API', async () => {
    const projectId = demo.project?.id ?? '';
    const used = (await cloud.call('GET', `/v2.0/quotas/${projectId}/details`, undefined, cloud.admin)).body.quota.security_group.used as number;
    assert.equal((await cloud.call('PUT', `/v2.0/quotas/${projectId}`, { quota: { security_group: used + 1 } }, cloud.admin)).status, 200);
    try {
      const group = await ops.securityGroups.create(demo, { name: 'ops-quota' });
      await rejects(ops.securityGroups.create(demo, { name: 'ops-quota-2' }), 409, 'OverQuota');
      await ops.securityGroups.delete(demo, group.id);
    } finally {
      await cloud.call('PUT', `/v2.0/quotas/${projectId}`, { quota: { security_group: 10 } }, cloud.admin);
    }
  });

  test('find takes an id or a unique name', async () => {
    const first = await ops.securityGroups.create(demo, { name: 'twin' });
    assert.equal((await ops.securityGroups.find(demo, first.id)).id, first.id);
    assert.equal((await ops.securityGroups.find(demo, 'twin')).id, first.id);
    const second = await ops.securityGroups.create(demo, { name: 'twin' });
    await rejects(ops.securityGroups.find(demo, 'twin'), 409, 'NoUniqueMatch');
    await rejects(ops.networks.find(demo, 'no-such-network'), 404, 'NetworkNotFound');
    assert.equal((await ops.networks.find(demo, 'private')).name, 'private');
    for (const group of [first, second]) await ops.securityGroups.delete(demo, group.id);
  });

  test("Nova's port lifecycle: create for a server, bind (admin only), release, claim", async () => {
    const network = await ops.networks.find(demo, 'private');
    const serverId = '5b6c0d2e-0000-4000-8000-000000000001';
    const port = await ops.ports.create(demo, { networkId: network.id, deviceId: serverId, deviceOwner: 'compute:nova' });
    await rejects(ops.ports.bind(demo, port.id, 'nimbus'), 403, 'PolicyNotAuthorized');
    const bound = await ops.ports.bind(compute, port.id, 'nimbus');
    assert.equal(bound.hostId, 'nimbus');
    assert.equal(bound.status, 'ACTIVE');
    assert.deepEqual(
      (await ops.ports.listWhere(compute, { deviceId: serverId })).map((p) => p.id),
      [port.id],
    );
    const released = await ops.ports.release(compute, port.id);
    assert.deepEqual([released.deviceId, released.deviceOwner, released.hostId, released.status], ['', '', '', 'DOWN']);
    const claimed = await ops.ports.claim(demo, port.id, { deviceId: serverId, deviceOwner: 'compute:nova' });
    assert.equal(claimed.deviceId, serverId);
    assert.equal((await ops.ports.bind(compute, port.id, null)).hostId, '');
    await ops.ports.delete(demo, port.id);
  });

  test("Heat's L3: router with gateway and interface, security group rule, floating IP association", async () => {
    const external = await ops.networks.find(demo, 'public');
    assert.ok(external.external);
    const net = await ops.networks.create(demo, { name: 'l3-net' });
    const subnet = await ops.subnets.create(demo, { networkId: net.id, ipVersion: 4, cidr: '10.41.0.0/24' });
    const router = await ops.routers.create(demo, { name: 'l3-router', externalGateway: { networkId: external.id } });
    assert.equal(router.externalGateway?.networkId, external.id);
    const added = await ops.routers.addInterface(demo, router.id, { subnetId: subnet.id });
    assert.deepEqual([added.routerId, added.subnetId, added.networkId], [router.id, subnet.id, net.id]);
    const group = await ops.securityGroups.create(demo, { name: 'l3-web', description: 'web' });
    const rule = await ops.securityGroups.createRule(demo, {
      securityGroupId: group.id,
      direction: 'ingress',
      protocol: 'tcp',
      portRangeMin: 80,
      portRangeMax: 80,
      remoteIpPrefix: '0.0.0.0/0',
    });
    assert.deepEqual([rule.protocol, rule.portRangeMin, rule.portRangeMax, rule.ethertype], ['tcp', 80, 80, 'IPv4']);
    await rejects(
      ops.securityGroups.createRule(demo, {
        securityGroupId: group.id,
        direction: 'ingress',
        protocol: 'tcp',
        portRangeMin: 80,
        portRangeMax: 80,
        remoteIpPrefix: '0.0.0.0/0',
      }),
      409,
      'SecurityGroupRuleExists',
    );
    assert.ok((await ops.securityGroups.get(demo, group.id)).rules.some((r) => r.id === rule.id));
    const port = await ops.ports.create(demo, { networkId: net.id, securityGroupIds: [group.id] });
    const fip = await ops.floatingIps.create(demo, { floatingNetworkId: external.id });
    assert.equal(fip.portId, null);
    const associated = await ops.floatingIps.associate(demo, fip.id, port.id);
    assert.deepEqual([associated.portId, associated.routerId, associated.fixedIpAddress], [port.id, router.id, port.fixedIps[0]?.ipAddress]);
    assert.equal((await ops.floatingIps.find(demo, fip.floatingIpAddress)).id, fip.id);
    assert.deepEqual(
      (await ops.floatingIps.listWhere(demo, { portIds: [port.id] })).map((f) => f.id),
      [fip.id],
    );
    assert.equal((await ops.floatingIps.disassociate(demo, fip.id)).portId, null);
    await rejects(ops.routers.delete(demo, router.id), 409, 'RouterInUse');
    await ops.floatingIps.delete(demo, fip.id);
    await ops.ports.delete(demo, port.id);
    await ops.routers.removeInterface(demo, router.id, { subnetId: subnet.id });
    assert.equal((await ops.routers.setGateway(demo, router.id, null)).externalGateway, null);
    await ops.routers.delete(demo, router.id);
    await ops.securityGroups.deleteRule(demo, rule.id);
    await ops.securityGroups.delete(demo, group.id);
    await ops.networks.delete(demo, net.id);
  });

  test('subnet pools in an address scope: create, find, grow, tag, delete; a member may not share a pool', async () => {
    const scope = await ops.addressScopes.create(demo, { name: 'ops-scope', ipVersion: 4 });
    assert.equal((await ops.addressScopes.find(demo, 'ops-scope')).id, scope.id);
    assert.equal((await ops.addressScopes.update(demo, scope.id, { name: 'ops-scope-2' })).name, 'ops-scope-2');
    const pool = await ops.subnetPools.create(demo, { name: 'ops-pool', prefixes: ['10.90.0.0/24'], defaultPrefixLength: 26, addressScopeId: scope.id });
    assert.equal(pool.addressScopeId, scope.id);
    assert.equal(pool.defaultPrefixLength, 26);
    const grown = await ops.subnetPools.update(demo, pool.id, { prefixes: ['10.90.0.0/16'], addressScopeId: null });
    assert.deepEqual(grown.prefixes, ['10.90.0.0/16']);
    assert.equal(grown.addressScopeId, null);
    await ops.subnetPools.setTags(demo, pool.id, ['heat']);
    assert.deepEqual((await ops.subnetPools.find(demo, 'ops-pool')).tags, ['heat']);
    await rejects(ops.subnetPools.create(demo, { name: 'ops-shared', prefixes: ['10.91.0.0/24'], shared: true }), 403, 'PolicyNotAuthorized');
    await ops.subnetPools.delete(demo, pool.id);
    await ops.addressScopes.delete(demo, scope.id);
    await rejects(ops.subnetPools.get(demo, pool.id), 404, 'SubnetPoolNotFound');
  });
});
