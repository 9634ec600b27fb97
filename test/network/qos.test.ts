/**
 * QoS through the API on the noop driver: policies, their rules of each type
 * (under the policy and by the rules alias), rule types with the driver's
 * parameters, attachment to networks and ports with the port's own policy
 * winning, Neutron's conflicts, and what the driver is told to enforce.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NoopNetworkDriver } from '../../src/network/drivers/noop.js';
import { expectError, useCloud } from './support.js';

describe('network: QoS', () => {
  const cloud = useCloud();
  const admin = (method: string, path: string, body?: unknown) => cloud.call(method, path, body, cloud.admin);
  const driver = () => (cloud.server.server.services.network?.internals as { driver: NoopNetworkDriver }).driver;
  const policy = async (body: Record<string, unknown>) => {
    const made = await admin('POST', '/v2.0/qos/policies', { policy: body });
    assert.equal(made.status, 201, made.text);
    return made.body.policy as Record<string, unknown> & { id: string };
  };

  test('the qos extensions are listed', async () => {
    const aliases = (await cloud.call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['qos', 'qos-bw-limit-direction', 'qos-default', 'qos-rule-type-details', 'qos-rules-alias']) assert.ok(aliases.includes(alias), alias);
  });

  test('admins make policies; members read their own and shared ones only, and may not write', async () => {
    const own = await policy({ name: 'gold', description: 'fast' });
    assert.deepEqual(Object.keys(own).sort(), [
      'created_at',
      'description',
      'id',
      'is_default',
      'name',
      'project_id',
      'revision_number',
      'rules',
      'shared',
      'tags',
      'tenant_id',
      'updated_at',
    ]);
    assert.equal(own.shared, false);
    assert.deepEqual(own.rules, []);
    expectError(await cloud.call('POST', '/v2.0/qos/policies', { policy: { name: 'mine' } }), 403, 'PolicyNotAuthorized');
    expectError(await cloud.call('GET', `/v2.0/qos/policies/${own.id}`), 404, 'QosPolicyNotFound');
    const shared = await policy({ name: 'shared-silver', shared: true });
    const listed = (await cloud.call('GET', '/v2.0/qos/policies')).body.policies.map((p: { id: string }) => p.id);
    assert.ok(listed.includes(shared.id) && !listed.includes(own.id));
    const renamed = await admin('PUT', `/v2.0/qos/policies/${own.id}`, { policy: { name: 'platinum' } });
    assert.equal(renamed.body.policy.name, 'platinum');
  });

  test('rules of each type, their checks and conflicts, under the policy and by alias', async () => {
    const p = await policy({ name: 'rules' });
    const base = `/v2.0/qos/policies/${p.id}`;
    const limit = await admin('POST', `${base}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 1000 } });
    assert.equal(limit.status, 201, limit.text);
    const rule = limit.body.bandwidth_limit_rule;
    assert.deepEqual(rule, { id: rule.id, max_kbps: 1000, max_burst_kbps: 0, direction: 'egress' });
    expectError(await admin('POST', `${base}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 5 } }), 409, 'QoSRulesConflict');
    const ingress = await admin('POST', `${base}/bandwidth_limit_rules`, {
      bandwidth_limit_rule: { max_kbps: 2000, max_burst_kbps: 300, direction: 'ingress' },
    });
    assert.equal(ingress.status, 201, ingress.text);
    expectError(await admin('POST', `${base}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_burst_kbps: 5 } }), 400, 'HTTPBadRequest');
    expectError(await admin('POST', `${base}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: -1, direction: 'up' } }), 400, 'HTTPBadRequest');
    expectError(await admin('POST', `${base}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 7 } }), 400, 'HTTPBadRequest');
    assert.equal((await admin('POST', `${base}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 26 } })).status, 201);
    const minimum = await admin('POST', `${base}/minimum_bandwidth_rules`, { minimum_bandwidth_rule: { min_kbps: 5000 } });
    expectError(minimum, 409, 'QoSRuleParameterConflict');
    assert.equal((await admin('POST', `${base}/minimum_bandwidth_rules`, { minimum_bandwidth_rule: { min_kbps: 500 } })).status, 201);

    const shown = (await admin('GET', `/v2.0/qos/policies/${p.id}`)).body.policy;
    assert.deepEqual(shown.rules.map((r: { type: string }) => r.type).sort(), ['bandwidth_limit', 'bandwidth_limit', 'dscp_marking', 'minimum_bandwidth']);
    assert.ok(shown.rules.every((r: { qos_policy_id: string }) => r.qos_policy_id === p.id));
    assert.equal((await admin('GET', `${base}/bandwidth_limit_rules?direction=ingress`)).body.bandwidth_limit_rules.length, 1);

    const alias = `/v2.0/qos/alias_bandwidth_limit_rules/${rule.id}`;
    assert.deepEqual((await admin('GET', alias)).body.bandwidth_limit_rule, rule);
    assert.equal((await admin('PUT', alias, { bandwidth_limit_rule: { max_kbps: 1500 } })).body.bandwidth_limit_rule.max_kbps, 1500);
    expectError(await admin('PUT', alias, { bandwidth_limit_rule: { direction: 'ingress' } }), 409, 'QoSRulesConflict');
    expectError(await admin('GET', `/v2.0/qos/alias_dscp_marking_rules/${rule.id}`), 404, 'QosRuleNotFound');
    assert.equal((await admin('DELETE', alias)).status, 204);
    expectError(await admin('GET', `${base}/bandwidth_limit_rules/${rule.id}`), 404, 'QosRuleNotFound');
    expectError(await cloud.call('GET', `${base}/bandwidth_limit_rules`), 404, 'QosPolicyNotFound');
  });

  test('rule types list what the driver enforces, with its parameters (admins only)', async () => {
    assert.deepEqual((await admin('GET', '/v2.0/qos/rule-types')).body.rule_types, [{ type: 'bandwidth_limit' }, { type: 'dscp_marking' }]);
    const details = (await admin('GET', '/v2.0/qos/rule-types/bandwidth_limit')).body.rule_type;
    assert.equal(details.type, 'bandwidth_limit');
    assert.equal(details.drivers[0].name, 'noop');
    assert.deepEqual(details.drivers[0].supported_parameters[2], {
      parameter_name: 'direction',
      parameter_type: 'choices',
      parameter_values: ['ingress', 'egress'],
    });
    assert.equal((await admin('GET', '/v2.0/qos/rule-types/minimum_bandwidth')).status, 404);
    assert.deepEqual((await cloud.call('GET', '/v2.0/qos/rule-types')).body.rule_types, []);
  });

  test("a bound port gets its network's policy, its own wins, changes follow, and a policy in use stays", async () => {
    const netPolicy = await policy({ name: 'net', shared: true });
    const portPolicy = await policy({ name: 'port', shared: true });
    await admin('POST', `/v2.0/qos/policies/${netPolicy.id}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 3000 } });
    const portRule = (
      await admin('POST', `/v2.0/qos/policies/${portPolicy.id}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 1000, direction: 'ingress' } })
    ).body.bandwidth_limit_rule;
    const network = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'qos-net', qos_policy_id: netPolicy.id } })).body.network;
    assert.equal(network.qos_policy_id, netPolicy.id);
    await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: network.id, ip_version: 4, cidr: '10.61.0.0/24' } });
    const made = await admin('POST', '/v2.0/ports', { port: { network_id: network.id, 'binding:host_id': 'compute-1' } });
    assert.equal(made.status, 201, made.text);
    const port = made.body.port;
    assert.equal(port.qos_policy_id, null);
    assert.deepEqual(driver().qos.get(port.id), { bandwidthLimits: [{ direction: 'egress', maxKbps: 3000, maxBurstKbps: 0 }], dscpMark: null });

    const set = await admin('PUT', `/v2.0/ports/${port.id}`, { port: { qos_policy_id: portPolicy.id } });
    assert.equal(set.body.port.qos_policy_id, portPolicy.id);
    assert.deepEqual(driver().qos.get(port.id)?.bandwidthLimits, [{ direction: 'ingress', maxKbps: 1000, maxBurstKbps: 0 }]);
    await admin('PUT', `/v2.0/qos/policies/${portPolicy.id}/bandwidth_limit_rules/${portRule.id}`, {
      bandwidth_limit_rule: { max_kbps: 800, max_burst_kbps: 100 },
    });
    assert.deepEqual(driver().qos.get(port.id)?.bandwidthLimits, [{ direction: 'ingress', maxKbps: 800, maxBurstKbps: 100 }]);

    expectError(await admin('DELETE', `/v2.0/qos/policies/${portPolicy.id}`), 409, 'QosPolicyInUse');
    expectError(
      await admin('POST', `/v2.0/qos/policies/${portPolicy.id}/minimum_bandwidth_rules`, { minimum_bandwidth_rule: { min_kbps: 10 } }),
      409,
      'QosRuleNotSupported',
    );
    await admin('PUT', `/v2.0/ports/${port.id}`, { port: { qos_policy_id: null } });
    await admin('DELETE', `/v2.0/qos/policies/${portPolicy.id}/bandwidth_limit_rules/${portRule.id}`);
    assert.equal(driver().qos.get(port.id)?.bandwidthLimits[0]?.maxKbps, 3000);
    await cloud.call('PUT', `/v2.0/networks/${network.id}`, { network: { qos_policy_id: null } });
    assert.equal(driver().qos.has(port.id), false);
    assert.equal((await admin('DELETE', `/v2.0/qos/policies/${portPolicy.id}`)).status, 204);
    expectError(await cloud.call('POST', '/v2.0/networks', { network: { qos_policy_id: portPolicy.id } }), 404, 'QosPolicyNotFound');
  });

  test("a project's default policy goes to its new networks; one default per project", async () => {
    const first = await policy({ name: 'default-1', is_default: true, project_id: await projectId('demo') });
    expectError(
      await admin('POST', '/v2.0/qos/policies', { policy: { name: 'default-2', is_default: true, project_id: first.project_id } }),
      409,
      'QoSPolicyDefaultAlreadyExists',
    );
    const network = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'defaulted' } })).body.network;
    assert.equal(network.qos_policy_id, first.id);
    await cloud.call('DELETE', `/v2.0/networks/${network.id}`);
    assert.equal((await admin('DELETE', `/v2.0/qos/policies/${first.id}`)).status, 204);
  });

  async function projectId(name: string): Promise<string> {
    const projects = await cloud.server.request('GET', `/identity/v3/projects?name=${name}`, { token: cloud.admin });
    return projects.body.projects[0].id as string;
  }
});
