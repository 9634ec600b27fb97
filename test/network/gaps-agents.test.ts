/**
 * The agent extension and the DHCP and L3 agent schedulers: the noop driver's
 * simulated agents (DHCP and L3 on the network host, a Linux bridge agent per
 * host ports are bound to), admin only, with Neutron's errors.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

describe('network: agents and their schedulers', () => {
  const cloud = useCloud();
  let agents: Body[] = [];
  const agentOf = (type: string) => agents.find((a) => a.agent_type === type) as Body;

  before(async () => {
    const listed = await cloud.call('GET', '/v2.0/agents', undefined, cloud.admin);
    assert.equal(listed.status, 200, listed.text);
    agents = listed.body.agents as Body[];
  });

  test('admins list the DHCP, L3 and Linux bridge agents, alive, in Neutron shape', async () => {
    assert.deepEqual([...new Set(agents.map((a) => a.agent_type))].sort(), ['DHCP agent', 'L3 agent', 'Linux bridge agent']);
    const dhcp = agentOf('DHCP agent');
    assert.equal(dhcp.binary, 'neutron-dhcp-agent');
    assert.equal(dhcp.topic, 'dhcp_agent');
    assert.equal(dhcp.alive, true);
    assert.equal(dhcp.admin_state_up, true);
    assert.equal(dhcp.availability_zone, 'nova');
    assert.match(dhcp.heartbeat_timestamp as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal((dhcp.configurations as Body).simulated, true);
    const filtered = await cloud.call('GET', '/v2.0/agents?agent_type=L3%20agent&fields=id&fields=host', undefined, cloud.admin);
    assert.deepEqual(filtered.body.agents, [{ id: agentOf('L3 agent').id, host: agentOf('L3 agent').host }]);
  });

  test('others list none and find none; creating one is 501', async () => {
    assert.deepEqual((await cloud.call('GET', '/v2.0/agents')).body, { agents: [] });
    expectError(await cloud.call('GET', `/v2.0/agents/${agentOf('DHCP agent').id}`), 404, 'AgentNotFound');
    expectError(await cloud.call('PUT', `/v2.0/agents/${agentOf('DHCP agent').id}`, { agent: { description: 'x' } }), 404, 'AgentNotFound');
    expectError(await cloud.call('POST', '/v2.0/agents', { agent: {} }, cloud.admin), 501, 'HTTPNotImplemented');
  });

  test('admins update admin_state_up and description only', async () => {
    const id = agentOf('Linux bridge agent').id as string;
    const updated = await cloud.call('PUT', `/v2.0/agents/${id}`, { agent: { description: 'bridges', admin_state_up: 'false' } }, cloud.admin);
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.agent.description, 'bridges');
    assert.equal(updated.body.agent.admin_state_up, false);
    expectError(await cloud.call('PUT', `/v2.0/agents/${id}`, { agent: { host: 'elsewhere' } }, cloud.admin), 400, 'HTTPBadRequest');
    expectError(await cloud.call('PUT', `/v2.0/agents/${id}`, { agent: { colour: 'red' } }, cloud.admin), 400, 'HTTPBadRequest');
    expectError(await cloud.call('PUT', `/v2.0/agents/${id}`, { agent: { admin_state_up: 'maybe' } }, cloud.admin), 400, 'HTTPBadRequest');
    await cloud.call('PUT', `/v2.0/agents/${id}`, { agent: { admin_state_up: true } }, cloud.admin);
  });

  test('a network with a DHCP subnet is hosted by the DHCP agent; admins move it off and back', async () => {
    const dhcp = agentOf('DHCP agent').id as string;
    const network = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'hosted' } })).body.network.id as string;
    const hosting = async () =>
      ((await cloud.call('GET', `/v2.0/networks/${network}/dhcp-agents`, undefined, cloud.admin)).body.agents as Body[]).map((a) => a.id);
    const dhcpPorts = async () =>
      (await cloud.call('GET', `/v2.0/ports?network_id=${network}&device_owner=network:dhcp`, undefined, cloud.admin)).body.ports as Body[];
    assert.deepEqual(await hosting(), [], 'no subnet: not scheduled');
    await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: network, cidr: '10.66.0.0/24', ip_version: 4 } });
    assert.deepEqual(await hosting(), [dhcp]);
    const onAgent = await cloud.call('GET', `/v2.0/agents/${dhcp}/dhcp-networks`, undefined, cloud.admin);
    assert.ok((onAgent.body.networks as Body[]).some((n) => n.id === network));
    assert.equal((await dhcpPorts()).length, 1);

    expectError(await cloud.call('POST', `/v2.0/agents/${dhcp}/dhcp-networks`, { network_id: network }, cloud.admin), 409, 'NetworkHostedByDHCPAgent');
    assert.equal((await cloud.call('DELETE', `/v2.0/agents/${dhcp}/dhcp-networks/${network}`, undefined, cloud.admin)).status, 204);
    assert.deepEqual(await hosting(), []);
    assert.equal((await dhcpPorts()).length, 0, 'the DHCP port goes with the binding');
    expectError(await cloud.call('DELETE', `/v2.0/agents/${dhcp}/dhcp-networks/${network}`, undefined, cloud.admin), 409, 'NetworkNotHostedByDhcpAgent');
    const added = await cloud.call('POST', `/v2.0/agents/${dhcp}/dhcp-networks`, { network_id: network }, cloud.admin);
    assert.equal(added.status, 201, added.text);
    assert.equal(added.text, 'null');
    assert.deepEqual(await hosting(), [dhcp]);
    assert.equal((await dhcpPorts()).length, 1, 'the DHCP port is back');

    const l3 = agentOf('L3 agent').id as string;
    expectError(await cloud.call('POST', `/v2.0/agents/${l3}/dhcp-networks`, { network_id: network }, cloud.admin), 404, 'InvalidDHCPAgent');
    expectError(await cloud.call('GET', `/v2.0/agents/${dhcp}/dhcp-networks`), 403, 'PolicyNotAuthorized');
    assert.equal((await cloud.call('DELETE', `/v2.0/networks/${network}`)).status, 204);
    expectError(await cloud.call('GET', `/v2.0/networks/${network}/dhcp-agents`, undefined, cloud.admin), 404, 'NetworkNotFound');
  });

  test("the network host's L3 agent hosts every router", async () => {
    const l3 = agentOf('L3 agent').id as string;
    const router = (await cloud.call('POST', '/v2.0/routers', { router: { name: 'scheduled' } })).body.router.id as string;
    const agentsOf = await cloud.call('GET', `/v2.0/routers/${router}/l3-agents`, undefined, cloud.admin);
    assert.deepEqual(
      (agentsOf.body.agents as Body[]).map((a) => a.id),
      [l3],
    );
    const routers = await cloud.call('GET', `/v2.0/agents/${l3}/l3-routers`, undefined, cloud.admin);
    assert.ok((routers.body.routers as Body[]).some((r) => r.id === router));
    expectError(await cloud.call('POST', `/v2.0/agents/${l3}/l3-routers`, { router_id: router }, cloud.admin), 409, 'RouterHostedByL3Agent');
    expectError(await cloud.call('DELETE', `/v2.0/agents/${l3}/l3-routers/${router}`, undefined, cloud.admin), 501, 'HTTPNotImplemented');
    expectError(await cloud.call('GET', `/v2.0/agents/${agentOf('DHCP agent').id}/l3-routers`, undefined, cloud.admin), 404, 'InvalidL3Agent');
  });

  test('a deleted agent is gone with its bindings until it reports again', async () => {
    const dhcp = agentOf('DHCP agent').id as string;
    assert.equal((await cloud.call('DELETE', `/v2.0/agents/${dhcp}`, undefined, cloud.admin)).status, 204);
    expectError(await cloud.call('GET', `/v2.0/agents/${dhcp}`, undefined, cloud.admin), 404, 'AgentNotFound');
    expectError(await cloud.call('DELETE', `/v2.0/agents/${dhcp}`, undefined, cloud.admin), 404, 'AgentNotFound');
  });
});
