import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

describe('network: default content, security groups, routers, floating IPs, RBAC', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown, token = demo) => cloud.request(method, `/network${path}`, { token, body });
  const errorType = (response: { body: Json }) => response.body.NeutronError?.type as string | undefined;
  const byName = async (collection: string, name: string, token = demo) =>
    (await call('GET', `/v2.0/${collection}?name=${name}`, undefined, token)).body[collection.replaceAll('-', '_')][0];

  test('DevStack-like content: public, private, router1', async () => {
    const pub = await byName('networks', 'public');
    assert.equal(pub['router:external'], true);
    assert.equal(pub.subnets.length, 1);
    const priv = await byName('networks', 'private');
    assert.ok(priv, 'demo sees its private network');
    const router = await byName('routers', 'router1');
    assert.equal(router.external_gateway_info.network_id, pub.id);
    assert.equal(router.external_gateway_info.enable_snat, true);
    const interfaces = (await call('GET', `/v2.0/ports?device_id=${router.id}`)).body.ports;
    assert.equal(interfaces.length, 1, "the gateway port is hidden, the interface is the demo project's");
    assert.equal(interfaces[0].device_owner, 'network:router_interface');
  });

  test('security groups: default group and rules, validation, duplicates', async () => {
    const groups = (await call('GET', '/v2.0/security-groups')).body.security_groups;
    const def = groups.find((g: { name: string }) => g.name === 'default');
    assert.ok(def);
    assert.equal(def.security_group_rules.length, 4);
    assert.equal((await call('POST', '/v2.0/security-groups', { security_group: { name: 'default' } })).status, 409);
    assert.equal(errorType(await call('DELETE', `/v2.0/security-groups/${def.id}`)), 'SecurityGroupCannotRemoveDefault');

    const web = await call('POST', '/v2.0/security-groups', { security_group: { name: 'web', description: 'http' } });
    assert.equal(web.status, 201, web.text);
    assert.equal(web.body.security_group.security_group_rules.length, 2, 'egress rules for both ethertypes');
    const sg = web.body.security_group.id;
    const rule = await call('POST', '/v2.0/security-group-rules', {
      security_group_rule: {
        security_group_id: sg,
        direction: 'ingress',
        protocol: 'tcp',
        port_range_min: 80,
        port_range_max: 80,
        remote_ip_prefix: '0.0.0.0/0',
      },
    });
    assert.equal(rule.status, 201, rule.text);
    assert.equal(rule.body.security_group_rule.ethertype, 'IPv4');
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: {
            security_group_id: sg,
            direction: 'ingress',
            protocol: 'tcp',
            port_range_min: 80,
            port_range_max: 80,
            remote_ip_prefix: '0.0.0.0/0',
          },
        }),
      ),
      'SecurityGroupRuleExists',
    );
    const byNumber = await call('POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: '17', port_range_min: 53, port_range_max: 53 },
    });
    assert.equal(byNumber.status, 201);
    assert.equal(
      errorType(await call('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'bogus' } })),
      'SecurityGroupRuleInvalidProtocol',
    );
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'tcp', port_range_min: 90, port_range_max: 80 },
        }),
      ),
      'SecurityGroupInvalidPortRange',
    );
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'tcp', port_range_min: 0, port_range_max: 80 },
        }),
      ),
      'SecurityGroupInvalidPortValue',
    );
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'icmp', port_range_max: 3 },
        }),
      ),
      'SecurityGroupMissingIcmpType',
    );
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', remote_ip_prefix: '10.0.0.0/8', remote_group_id: sg },
        }),
      ),
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
    );
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' },
        }),
      ),
      'SecurityGroupRuleParameterConflict',
    );
    assert.equal((await call('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'sideways' } })).status, 400);
    assert.equal(
      errorType(
        await call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: sg, direction: 'ingress', remote_group_id: '7f0d0b8e-0000-4000-a000-000000000000' },
        }),
      ),
      'SecurityGroupNotFound',
    );
    assert.equal((await call('DELETE', `/v2.0/security-group-rules/${rule.body.security_group_rule.id}`)).status, 204);
    assert.equal(errorType(await call('GET', `/v2.0/security-group-rules/${rule.body.security_group_rule.id}`)), 'SecurityGroupRuleNotFound');

    const priv = await byName('networks', 'private');
    const port = await call('POST', '/v2.0/ports', { port: { network_id: priv.id, security_groups: [sg] } });
    assert.equal(port.status, 201, port.text);
    assert.equal(errorType(await call('DELETE', `/v2.0/security-groups/${sg}`)), 'SecurityGroupInUse');
    await call('DELETE', `/v2.0/ports/${port.body.port.id}`);
    assert.equal((await call('DELETE', `/v2.0/security-groups/${sg}`)).status, 204);
  });

  test('routers: interfaces by subnet and port, extra routes, in-use errors', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'r-net' } })).body.network;
    const subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.70.0.0/24' } })).body.subnet;
    const subnet2net = (await call('POST', '/v2.0/networks', { network: { name: 'r-net2' } })).body.network;
    const subnet2 = (await call('POST', '/v2.0/subnets', { subnet: { network_id: subnet2net.id, ip_version: 4, cidr: '10.71.0.0/24' } })).body.subnet;
    const router = (await call('POST', '/v2.0/routers', { router: { name: 'r1' } })).body.router;
    assert.equal(router.external_gateway_info, null);
    const added = await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    assert.equal(added.status, 200, added.text);
    assert.equal(added.body.subnet_id, subnet.id);
    const ifacePort = (await call('GET', `/v2.0/ports/${added.body.port_id}`)).body.port;
    assert.equal(ifacePort.fixed_ips[0].ip_address, '10.70.0.1');
    assert.equal((await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).status, 400);
    const port2 = (await call('POST', '/v2.0/ports', { port: { network_id: subnet2net.id } })).body.port;
    const byPort = await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { port_id: port2.id });
    assert.equal(byPort.status, 200, byPort.text);
    assert.equal(errorType(await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { port_id: port2.id })), 'PortInUse');

    const routes = await call('PUT', `/v2.0/routers/${router.id}`, { router: { routes: [{ destination: '192.168.99.0/24', nexthop: '10.70.0.50' }] } });
    assert.equal(routes.status, 200, routes.text);
    assert.equal(routes.body.router.routes.length, 1);
    assert.equal(
      errorType(await call('PUT', `/v2.0/routers/${router.id}`, { router: { routes: [{ destination: '192.168.99.0/24', nexthop: '172.31.0.1' }] } })),
      'InvalidRoutes',
    );

    assert.equal(errorType(await call('DELETE', `/v2.0/subnets/${subnet.id}`)), 'SubnetInUse');
    assert.equal(errorType(await call('DELETE', `/v2.0/routers/${router.id}`)), 'RouterInUse');
    assert.equal((await call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id })).status, 200);
    assert.equal(
      errorType(await call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id })),
      'RouterInterfaceNotFoundForSubnet',
    );
    assert.equal((await call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { port_id: port2.id })).status, 200);
    assert.equal((await call('DELETE', `/v2.0/subnets/${subnet.id}`)).status, 204);
    assert.equal((await call('DELETE', `/v2.0/routers/${router.id}`)).status, 204);
    void subnet2;
  });

  test('floating IPs: external network only, reachability 404, associate and disassociate', async () => {
    const pub = await byName('networks', 'public');
    const priv = await byName('networks', 'private');
    assert.equal((await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: priv.id } })).status, 400);
    const fip = await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: pub.id } });
    assert.equal(fip.status, 201, fip.text);
    assert.match(fip.body.floatingip.floating_ip_address, /^172\.24\.4\./);
    assert.equal(fip.body.floatingip.status, 'DOWN');
    const port = (await call('POST', '/v2.0/ports', { port: { network_id: priv.id } })).body.port;
    const associated = await call('PUT', `/v2.0/floatingips/${fip.body.floatingip.id}`, { floatingip: { port_id: port.id } });
    assert.equal(associated.status, 200, associated.text);
    assert.equal(associated.body.floatingip.fixed_ip_address, port.fixed_ips[0].ip_address);
    assert.equal(associated.body.floatingip.router_id, (await byName('routers', 'router1')).id);
    const second = await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: pub.id, port_id: port.id } });
    assert.equal(second.status, 409, 'one floating IP per fixed IP (neutron-lib InUse)');
    assert.equal(errorType(second), 'FloatingIPPortAlreadyAssociated');

    const isolated = (await call('POST', '/v2.0/networks', { network: { name: 'isolated' } })).body.network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: isolated.id, ip_version: 4, cidr: '10.80.0.0/24' } });
    const lonely = (await call('POST', '/v2.0/ports', { port: { network_id: isolated.id } })).body.port;
    const unreachable = await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: pub.id, port_id: lonely.id } });
    assert.equal(unreachable.status, 404);
    assert.equal(errorType(unreachable), 'ExternalGatewayForFloatingIPNotFound');

    const cleared = await call('PUT', `/v2.0/floatingips/${fip.body.floatingip.id}`, { floatingip: { port_id: null } });
    assert.equal(cleared.body.floatingip.port_id, null);
    assert.equal((await call('DELETE', `/v2.0/floatingips/${fip.body.floatingip.id}`)).status, 204);
    assert.equal(errorType(await call('GET', `/v2.0/floatingips/${fip.body.floatingip.id}`)), 'FloatingIPNotFound');
  });

  test('RBAC: share a network with another project, in-use 409', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'shared-later' } }, admin)).body.network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.90.0.0/24' } }, admin);
    assert.equal((await call('GET', `/v2.0/networks/${net.id}`)).status, 404, 'not visible before the policy');
    const projectId = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token.project
      .id as string;
    const policy = await call(
      'POST',
      '/v2.0/rbac-policies',
      { rbac_policy: { object_type: 'network', object_id: net.id, action: 'access_as_shared', target_tenant: projectId } },
      admin,
    );
    assert.equal(policy.status, 201, policy.text);
    assert.equal(
      (
        await call(
          'POST',
          '/v2.0/rbac-policies',
          { rbac_policy: { object_type: 'network', object_id: net.id, action: 'access_as_shared', target_tenant: projectId } },
          admin,
        )
      ).status,
      409,
    );
    assert.equal((await call('GET', `/v2.0/networks/${net.id}`)).status, 200);
    const port = await call('POST', '/v2.0/ports', { port: { network_id: net.id } });
    assert.equal(port.status, 201, port.text);
    assert.equal(errorType(await call('DELETE', `/v2.0/rbac-policies/${policy.body.rbac_policy.id}`, undefined, admin)), 'RbacPolicyInUse');
    await call('DELETE', `/v2.0/ports/${port.body.port.id}`);
    assert.equal((await call('DELETE', `/v2.0/rbac-policies/${policy.body.rbac_policy.id}`, undefined, admin)).status, 204);
    assert.equal((await call('GET', `/v2.0/networks/${net.id}`)).status, 404);
  });
});
