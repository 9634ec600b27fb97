/**
 * Secure-RBAC personas: a user with only the `reader` role on demo reads
 * demo's resources and gets Neutron's 403 (PolicyNotAuthorized) on every
 * write; a token without a project sees no project's resources.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';
import { userWithRole } from './personas.js';
import type { Json } from '../support/json.js';

type Body = Json;

describe('network: reader persona and unscoped tokens', () => {
  const cloud = useCloud();
  let reader = '';
  let unscoped = '';
  const ids: Record<string, string> = {};

  before(async () => {
    reader = await userWithRole(cloud.server, cloud.admin, 'net-reader', 'reader', 'demo');
    unscoped = await cloud.server.token({ name: 'demo', password: cloud.server.demoPassword }, 'unscoped');
    const made = async (path: string, key: string, body: unknown): Promise<Body> => {
      const response = await cloud.call('POST', path, body);
      assert.equal(response.status, 201, response.text);
      return (response.body as Body)[key];
    };
    const network = await made('/v2.0/networks', 'network', { network: { name: 'reader-net' } });
    ids.network = network.id;
    ids.subnet = (await made('/v2.0/subnets', 'subnet', { subnet: { network_id: network.id, cidr: '10.77.0.0/24', ip_version: 4 } })).id;
    ids.port = (await made('/v2.0/ports', 'port', { port: { network_id: network.id } })).id;
    ids.router = (await made('/v2.0/routers', 'router', { router: { name: 'reader-router' } })).id;
    ids.group = (await made('/v2.0/security-groups', 'security_group', { security_group: { name: 'reader-sg' } })).id;
    ids.rule = (
      await made('/v2.0/security-group-rules', 'security_group_rule', {
        security_group_rule: { security_group_id: ids.group, direction: 'ingress', protocol: 'tcp' },
      })
    ).id;
    const publicNet = ((await cloud.call('GET', '/v2.0/networks?name=public')).body as Body).networks[0];
    ids.public = publicNet.id;
    ids.fip = (await made('/v2.0/floatingips', 'floatingip', { floatingip: { floating_network_id: publicNet.id } })).id;
    const router1 = ((await cloud.call('GET', '/v2.0/routers?name=router1')).body as Body).routers[0];
    ids.router1 = router1.id;
    const gateway = ((await cloud.call('GET', `/v2.0/ports?device_id=${router1.id}&device_owner=network:router_gateway`, undefined, cloud.admin)).body as Body)
      .ports[0];
    assert.ok(gateway, 'router1 has a gateway port');
    ids.gatewayPort = gateway.id;
  });

  test("a reader lists and shows its project's networks, subnets, ports, routers, security groups, rules and floating IPs", async () => {
    const reads: Array<[string, string, string]> = [
      ['networks', 'network', ids.network as string],
      ['subnets', 'subnet', ids.subnet as string],
      ['ports', 'port', ids.port as string],
      ['routers', 'router', ids.router as string],
      ['security-groups', 'security_group', ids.group as string],
      ['security-group-rules', 'security_group_rule', ids.rule as string],
      ['floatingips', 'floatingip', ids.fip as string],
    ];
    for (const [path, singular, id] of reads) {
      const listed = await cloud.call('GET', `/v2.0/${path}`, undefined, reader);
      assert.equal(listed.status, 200, listed.text);
      assert.ok(
        (listed.body as Body)[path.replaceAll('-', '_')].some((item: { id: string }) => item.id === id),
        `${path} lists ${id}`,
      );
      const shown = await cloud.call('GET', `/v2.0/${path}/${id}`, undefined, reader);
      assert.equal(shown.status, 200, shown.text);
      assert.equal((shown.body as Body)[singular].id, id);
    }
    assert.equal((await cloud.call('GET', `/v2.0/networks/${ids.network}/tags`, undefined, reader)).status, 200);
  });

  test('a reader gets 403 PolicyNotAuthorized on every write', async () => {
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/v2.0/networks', { network: { name: 'nope' } }],
      ['POST', '/v2.0/networks', { networks: [{ name: 'nope' }] }],
      ['PUT', `/v2.0/networks/${ids.network}`, { network: { name: 'nope' } }],
      ['DELETE', `/v2.0/networks/${ids.network}`],
      ['PUT', `/v2.0/networks/${ids.network}/tags/red`],
      ['PUT', `/v2.0/networks/${ids.network}/tags`, { tags: ['red'] }],
      ['DELETE', `/v2.0/networks/${ids.network}/tags`],
      ['POST', '/v2.0/subnets', { subnet: { network_id: ids.network, cidr: '10.78.0.0/24', ip_version: 4 } }],
      ['PUT', `/v2.0/subnets/${ids.subnet}`, { subnet: { name: 'nope' } }],
      ['DELETE', `/v2.0/subnets/${ids.subnet}`],
      ['POST', '/v2.0/ports', { port: { network_id: ids.network } }],
      ['POST', '/v2.0/ports', { ports: [{ network_id: ids.network }] }],
      ['PUT', `/v2.0/ports/${ids.port}`, { port: { name: 'nope' } }],
      ['DELETE', `/v2.0/ports/${ids.port}`],
      ['POST', '/v2.0/routers', { router: { name: 'nope' } }],
      ['PUT', `/v2.0/routers/${ids.router}`, { router: { name: 'nope' } }],
      ['PUT', `/v2.0/routers/${ids.router}/add_router_interface`, { subnet_id: ids.subnet }],
      ['PUT', `/v2.0/routers/${ids.router}/remove_router_interface`, { subnet_id: ids.subnet }],
      ['PUT', `/v2.0/routers/${ids.router}/add_extraroutes`, { router: { routes: [] } }],
      ['PUT', `/v2.0/routers/${ids.router}/remove_extraroutes`, { router: { routes: [] } }],
      ['DELETE', `/v2.0/routers/${ids.router}`],
      ['POST', '/v2.0/security-groups', { security_group: { name: 'nope' } }],
      ['PUT', `/v2.0/security-groups/${ids.group}`, { security_group: { name: 'nope' } }],
      ['DELETE', `/v2.0/security-groups/${ids.group}`],
      ['POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: ids.group, direction: 'ingress', protocol: 'udp' } }],
      ['DELETE', `/v2.0/security-group-rules/${ids.rule}`],
      ['POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ids.public } }],
      ['PUT', `/v2.0/floatingips/${ids.fip}`, { floatingip: { port_id: ids.port } }],
      ['PUT', `/v2.0/floatingips/${ids.fip}`, { floatingip: { port_id: null } }],
      ['DELETE', `/v2.0/floatingips/${ids.fip}`],
      [
        'POST',
        `/v2.0/floatingips/${ids.fip}/port_forwardings`,
        { port_forwarding: { protocol: 'tcp', internal_port_id: ids.port, internal_port: 22, external_port: 2222 } },
      ],
      [
        'POST',
        '/v2.0/rbac-policies',
        { rbac_policy: { object_type: 'network', object_id: ids.network, action: 'access_as_shared', target_tenant: 'someone' } },
      ],
      ['POST', '/v2.0/subnetpools', { subnetpool: { name: 'nope', prefixes: ['10.200.0.0/16'] } }],
      ['POST', '/v2.0/address-scopes', { address_scope: { name: 'nope', ip_version: 4 } }],
    ];
    for (const [method, path, body] of writes) {
      const response = await cloud.call(method, path, body, reader);
      assert.equal(response.status, 403, `${method} ${path}: ${response.text}`);
      expectError(response, 403, 'PolicyNotAuthorized');
    }
    // Nothing was changed or made.
    assert.equal(((await cloud.call('GET', `/v2.0/networks/${ids.network}`)).body as Body).network.name, 'reader-net');
    assert.equal(((await cloud.call('GET', '/v2.0/networks?name=nope')).body as Body).networks.length, 0);
  });

  test('a member of demo still writes (the persona change leaves members alone)', async () => {
    const renamed = await cloud.call('PUT', `/v2.0/networks/${ids.network}`, { network: { name: 'reader-net' } });
    assert.equal(renamed.status, 200, renamed.text);
    const shared = await cloud.call('POST', '/v2.0/rbac-policies', {
      rbac_policy: { object_type: 'network', object_id: ids.network, action: 'access_as_shared', target_tenant: '*' },
    });
    expectError(shared, 403, 'PolicyNotAuthorized');
  });

  test("an unscoped token sees no project's ports, routers, floating IPs, groups or private networks", async () => {
    for (const collection of ['ports', 'routers', 'floatingips', 'security-groups', 'security-group-rules', 'rbac-policies']) {
      const listed = await cloud.call('GET', `/v2.0/${collection}`, undefined, unscoped);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual((listed.body as Body)[collection.replaceAll('-', '_')], [], `${collection} as unscoped`);
    }
    const networks = ((await cloud.call('GET', '/v2.0/networks', undefined, unscoped)).body as Body).networks as Array<{
      id: string;
      shared: boolean;
      'router:external': boolean;
    }>;
    assert.ok(
      networks.every((n) => n.shared || n['router:external']),
      'only shared or external networks, as Neutron shows them to anyone',
    );
    assert.ok(!networks.some((n) => n.id === ids.network));
    const subnets = ((await cloud.call('GET', '/v2.0/subnets', undefined, unscoped)).body as Body).subnets as Array<{ id: string }>;
    assert.ok(!subnets.some((s) => s.id === ids.subnet));
    for (const path of [
      `/v2.0/ports/${ids.gatewayPort}`,
      `/v2.0/ports/${ids.port}`,
      `/v2.0/routers/${ids.router1}`,
      `/v2.0/floatingips/${ids.fip}`,
      `/v2.0/networks/${ids.network}`,
      `/v2.0/security-groups/${ids.group}`,
    ]) {
      assert.equal((await cloud.call('GET', path, undefined, unscoped)).status, 404, path);
    }
    expectError(await cloud.call('POST', '/v2.0/networks', { network: { name: 'nope' } }, unscoped), 403, 'PolicyNotAuthorized');
  });

  test('the gateway ports of routers stay hidden from a project-scoped member too', async () => {
    const ports = ((await cloud.call('GET', '/v2.0/ports')).body as Body).ports as Array<{ id: string; device_owner: string }>;
    assert.ok(!ports.some((p) => p.id === ids.gatewayPort || p.device_owner === 'network:router_gateway' || p.device_owner === 'network:floatingip'));
  });
});
