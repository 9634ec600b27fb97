/**
 * Which DHCP agent serves which network (Neutron's network-to-DHCP-agent
 * bindings). A network gets its DHCP port only once it is bound: the first
 * DHCP-enabled subnet schedules it on the network host's DHCP agent unless an
 * admin disabled that agent; an admin moves it with the dhcp_agent_scheduler
 * API. One row per (agent, network), keyed by both, so concurrent schedules
 * make one.
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import * as store from '../store/index.js';
import type { NetworkDb } from '../store/index.js';
import { DHCP_AGENT, networkHostAgent } from './agent-registry.js';
import type { NetworkDeps } from './deps.js';
import { derivedUuid } from './objects.js';

type BindingAttrs = { agent_id: string };

function bindingId(agentId: string, networkId: string): string {
  return derivedUuid(`nimbus-dhcp-binding:${agentId}:${networkId}`);
}

export async function dhcpAgentIdsOf(db: NetworkDb, networkId: string): Promise<string[]> {
  return (await store.listResources<BindingAttrs>(db, 'dhcp_binding', { parentId: networkId })).map((b) => b.attrs.agent_id);
}

export async function networkIdsOfDhcpAgent(db: NetworkDb, agentId: string): Promise<string[]> {
  const bindings = await store.listResources<BindingAttrs>(db, 'dhcp_binding');
  return bindings.filter((b) => b.attrs.agent_id === agentId).map((b) => b.parentId as string);
}

/** Binds; false when the binding was there already. */
export async function bindNetwork(db: NetworkDb, agentId: string, networkId: string): Promise<boolean> {
  try {
    await store.insertResource<BindingAttrs>(db, {
      id: bindingId(agentId, networkId),
      kind: 'dhcp_binding',
      projectId: '',
      parentId: networkId,
      name: '',
      attrs: { agent_id: agentId },
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function unbindNetwork(db: NetworkDb, agentId: string, networkId: string): Promise<void> {
  await store.deleteResource(db, bindingId(agentId, networkId));
}

/** Bindings of a deleted network or agent go with it. */
export async function deleteBindings(db: NetworkDb, match: { networkId?: string; agentId?: string }): Promise<void> {
  for (const binding of await store.listResources<BindingAttrs>(db, 'dhcp_binding', match.networkId ? { parentId: match.networkId } : {})) {
    if (!match.agentId || binding.attrs.agent_id === match.agentId) await store.deleteResource(db, binding.id);
  }
}

/** True when a DHCP agent serves the network, scheduling it on the network host's agent if it has none. */
export async function scheduleNetwork(deps: NetworkDeps, networkId: string): Promise<boolean> {
  if ((await dhcpAgentIdsOf(deps.db, networkId)).length > 0) return true;
  const agent = await networkHostAgent(deps, DHCP_AGENT);
  if (!agent?.attrs.admin_state_up) return false;
  await bindNetwork(deps.db, agent.id, networkId);
  return true;
}

/** Networks whose DHCP port predates the bindings (a database from before them) are bound to the network host's DHCP agent. */
export async function adoptDhcpPorts(deps: NetworkDeps): Promise<void> {
  const agent = await networkHostAgent(deps, DHCP_AGENT);
  if (!agent) return;
  for (const port of await store.listResources(deps.db, 'port')) {
    if (port.attrs.device_owner !== 'network:dhcp' || !port.parentId) continue;
    if ((await dhcpAgentIdsOf(deps.db, port.parentId)).length === 0) await bindNetwork(deps.db, agent.id, port.parentId);
  }
}
