/**
 * The Neutron resource types and the custom constraints against a real
 * in-process cloud: a private network reaching `public` through a router,
 * ports, security groups with reconciled rules, floating IPs and their
 * association; updates in place, crash adoption, deletes that tolerate
 * what is gone, and Heat's wording for values that name nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkOperations } from '../../src/network/operations.js';
import { customConstraints } from '../../src/orchestration/resources/services/index.js';
import { floatingIpAssociationResource, floatingIpResource } from '../../src/orchestration/resources/services/network/floating-ip.js';
import { netResource } from '../../src/orchestration/resources/services/network/net.js';
import { portResource } from '../../src/orchestration/resources/services/network/port.js';
import { routerInterfaceResource, routerResource } from '../../src/orchestration/resources/services/network/router.js';
import { securityGroupResource, securityGroupRuleResource } from '../../src/orchestration/resources/services/network/security-group.js';
import { subnetResource } from '../../src/orchestration/resources/services/network/subnet.js';
import { startTestServer } from '../support/server.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

describe('svcres: Neutron resource types and custom constraints', () => {
  let svc: SvcresCloud;
  let network: NetworkOperations;
  before(async () => {
    svc = await svcresCloud(await startTestServer((config) => (config.compute.devstack_defaults = true)));
    network = svc.services.network as NetworkOperations;
  });
  after(() => svc?.cloud.close());

  test('net, subnet, router with gateway and interface, port, floating IP: made, shown, updated, deleted twice', async () => {
    const net = fakeResource(svc, netResource);
    await net.create({});
    const netId = net.state.physicalId!;
    assert.equal(await net.attr('name'), net.state.physicalName);
    assert.equal(await net.attr('status'), 'ACTIVE');
    // Interrupted before the id was recorded: the retry adopts the network instead of making a second.
    net.state.physicalId = null;
    await netResource.create(net.ctx, net.properties);
    assert.equal(net.state.physicalId, netId);
    assert.equal((await network.networks.list(svc.demo)).filter((n) => n.name === net.state.physicalName).length, 1);
    await net.update({ name: 'svcres-net' });
    assert.equal((await network.networks.get(svc.demo, netId)).name, 'svcres-net');

    const subnet = fakeResource(svc, subnetResource);
    await subnet.create({ network: 'svcres-net', cidr: '10.77.0.0/24', dns_nameservers: ['8.8.8.8'] });
    assert.equal(await subnet.attr('cidr'), '10.77.0.0/24');
    assert.equal(await subnet.attr('gateway_ip'), '10.77.0.1');
    assert.deepEqual(await net.attr('subnets'), [subnet.state.physicalId]);
    await subnet.update({ ...subnet.properties, gateway_ip: '', dns_nameservers: [] });
    assert.equal(await subnet.attr('gateway_ip'), null);
    await subnet.update({ ...subnet.properties, gateway_ip: '10.77.0.1' });

    const router = fakeResource(svc, routerResource);
    await router.create({ external_gateway_info: { network: 'public' } });
    const gateway = (await router.attr('external_gateway_info')) as { network_id: string; external_fixed_ips: unknown[] };
    assert.equal(gateway.network_id, (await network.networks.find(svc.demo, 'public')).id);
    const iface = fakeResource(svc, routerInterfaceResource);
    await iface.create({ router: router.state.physicalId!, subnet: subnet.state.physicalId! });
    assert.equal(iface.state.physicalId, `${router.state.physicalId}:subnet_id=${subnet.state.physicalId}`);
    await routerInterfaceResource.create(iface.ctx, iface.properties);

    const group = fakeResource(svc, securityGroupResource);
    await group.create({ rules: [{ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }, { protocol: 'icmp' }] });
    const rules = () => network.securityGroups.get(svc.demo, group.state.physicalId!).then((g) => g.rules);
    assert.equal((await rules()).length, 4, 'two rules and the two default egress rules');
    await group.update({ ...group.properties, rules: [{ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }] });
    assert.deepEqual((await rules()).map((r) => r.protocol).sort(), [null, null, 'tcp']);

    const port = fakeResource(svc, portResource);
    await port.create({
      network: netId,
      fixed_ips: [{ subnet: subnet.state.physicalId!, ip_address: '10.77.0.10' }],
      security_groups: [group.state.physicalId!],
    });
    assert.deepEqual(await port.attr('fixed_ips'), [{ subnet_id: subnet.state.physicalId, ip_address: '10.77.0.10' }]);
    assert.equal(((await port.attr('subnets')) as Array<{ cidr: string }>)[0]!.cidr, '10.77.0.0/24');
    assert.match(String(await port.attr('mac_address')), /^fa:16:3e:/);
    await port.update({ ...port.properties, name: 'svcres-port', security_groups: [] });
    assert.equal((await network.ports.get(svc.demo, port.state.physicalId!)).name, 'svcres-port');

    const fip = fakeResource(svc, floatingIpResource);
    await fip.create({ floating_network: 'public', port_id: port.state.physicalId! });
    assert.equal(await fip.attr('fixed_ip_address'), '10.77.0.10');
    assert.equal(await fip.attr('router_id'), router.state.physicalId);
    assert.match(String(await fip.attr('floating_ip_address')), /^\d+\.\d+\.\d+\.\d+$/);
    await fip.update({ ...fip.properties, port_id: null });
    assert.equal(await fip.attr('port_id'), null);

    const association = fakeResource(svc, floatingIpAssociationResource);
    await association.create({ floatingip_id: fip.state.physicalId!, port_id: port.state.physicalId! });
    assert.equal(await fip.attr('port_id'), port.state.physicalId);
    await association.delete();
    assert.equal(await fip.attr('port_id'), null);

    for (const resource of [fip, port, group, iface, router, subnet, net]) {
      await resource.delete();
      await resource.delete();
    }
    assert.equal((await failure(network.networks.get(svc.demo, netId))).status, 404);
    assert.equal(await net.attr('name'), null);
  });

  test('a security group rule of its own; refusals from Neutron and from validation', async () => {
    const group = fakeResource(svc, securityGroupResource);
    await group.create({});
    const rule = fakeResource(svc, securityGroupRuleResource);
    await rule.create({ security_group: group.state.physicalId!, protocol: 'udp', port_range_min: 53, port_range_max: 53 });
    assert.equal(await rule.attr('protocol'), 'udp');
    await securityGroupRuleResource.create(rule.ctx, rule.properties);
    assert.equal((await network.securityGroups.get(svc.demo, group.state.physicalId!)).rules.filter((r) => r.protocol === 'udp').length, 1);
    await rule.delete();
    await rule.delete();
    await group.delete();

    const conflict = fakeResource(svc, securityGroupRuleResource);
    const both = await failure(conflict.create({ security_group: 'default', remote_group: 'default', remote_ip_prefix: '10.0.0.0/8' }));
    assert.equal(both.type, 'ResourcePropertyConflict');
    const iface = fakeResource(svc, routerInterfaceResource);
    assert.equal((await failure(iface.create({ router: 'router1' }))).type, 'PropertyUnspecifiedError');
    const subnet = fakeResource(svc, subnetResource);
    assert.equal((await failure(subnet.create({ network: 'no-such-net', cidr: '10.1.0.0/24' }))).status, 404);
    assert.equal(subnet.state.physicalId, null);
    const named = fakeResource(svc, securityGroupResource);
    assert.equal((await failure(named.create({ name: 'default' }))).message, 'Security groups cannot be assigned the name "default".');
    const shared = fakeResource(svc, netResource);
    assert.equal((await failure(shared.create({ shared: true }))).status, 403);
  });

  test('custom constraints: known values pass, others fail with Heat wording', async () => {
    const check = (name: string, value: string, caller = svc.demo) =>
      customConstraints.find((c) => c.name === name)!.check(value, { caller, services: svc.services });
    assert.equal(await check('neutron.network', 'private'), null);
    assert.equal(await check('neutron.network', 'nope'), "Error validating value 'nope': Unable to find network with name 'nope'");
    assert.equal(await check('neutron.router', 'router1'), null);
    assert.equal(await check('neutron.security_group', 'default'), null);
    assert.equal(await check('nova.flavor', 'm1.tiny'), null);
    assert.equal(await check('nova.flavor', '42'), null);
    assert.equal(await check('nova.flavor', 'huge'), "Error validating value 'huge': No Flavor matching {'name': 'huge'}. (HTTP 404)");
    assert.equal(await check('nova.keypair', 'nokey'), "Error validating value 'nokey': The Key (nokey) could not be found.");
    assert.equal(await check('glance.image', 'nimbus-blank-qcow2'), null);
    assert.match((await check('glance.image', 'no-image'))!, /^Error validating value 'no-image': /);
    assert.equal(await check('cinder.volume', 'novol'), "Error validating value 'novol': The Volume (novol) could not be found.");
    // Keystone's lookups are the admin's (a member may not list roles: Keystone's 403 propagates).
    assert.equal(await check('keystone.role', 'member', svc.admin), null);
    assert.equal(await check('keystone.domain', 'default', svc.admin), null);
    assert.equal(await check('keystone.group', 'nogroup', svc.admin), "Error validating value 'nogroup': The KeystoneGroup (nogroup) could not be found.");
    assert.equal(await check('neutron.address_scope', 'noscope'), "Error validating value 'noscope': Unable to find address_scope with name 'noscope'");
    assert.equal(await check('keystone.project', 'nope', svc.admin), "Error validating value 'nope': The KeystoneProject (nope) could not be found.");
    assert.equal((await failure(check('keystone.role', 'member'))).status, 403);
    assert.deepEqual(
      customConstraints.map((c) => c.name),
      [
        'nova.flavor',
        'nova.keypair',
        'nova.server',
        'glance.image',
        'neutron.network',
        'neutron.subnet',
        'neutron.port',
        'neutron.router',
        'neutron.security_group',
        'neutron.address_scope',
        'neutron.subnetpool',
        'cinder.volume',
        'cinder.snapshot',
        'keystone.project',
        'keystone.user',
        'keystone.role',
        'keystone.domain',
        'keystone.group',
      ],
    );
  });
});
