/**
 * The `agent`, `dhcp_agent_scheduler` and `l3_agent_scheduler` extensions:
 * the agents the driver stands for (agent-registry.ts), which DHCP agent
 * serves which network (dhcp-bindings.ts), and which L3 agent hosts which
 * router. Admin only, as Neutron's policy: others list no agents and find
 * none. Every router is realised on the network host, so the network host's
 * L3 agent hosts them all; moving a router off it is not offered (501).
 */
import type { CallerContext } from '../../core/context.js';
import { NotImplemented } from '../../core/errors.js';
import { badRequest, errors } from '../errors.js';
import * as store from '../store/index.js';
import { DHCP_AGENT, L3_AGENT, getAgent, isAlive, listAgents, networkHostAgent, type Agent } from './agent-registry.js';
import { toBoolean } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { DhcpOps } from './dhcp.js';
import { bindNetwork, deleteBindings, dhcpAgentIdsOf, networkIdsOfDhcpAgent, unbindNetwork } from './dhcp-bindings.js';
import type { NetworkOps } from './networks.js';
import type { NeutronObject } from './objects.js';
import type { RouterOps } from './routers.js';

const UPDATABLE = ['admin_state_up', 'description'];
const READ_ONLY = [
  'id',
  'agent_type',
  'binary',
  'topic',
  'host',
  'alive',
  'availability_zone',
  'configurations',
  'created_at',
  'started_at',
  'heartbeat_timestamp',
];
const DESCRIPTION_MAX = 255;

function view(agent: Agent): NeutronObject {
  const { attrs } = agent;
  return {
    id: agent.id,
    agent_type: attrs.agent_type,
    binary: attrs.binary,
    topic: attrs.topic,
    host: attrs.host,
    admin_state_up: attrs.admin_state_up,
    alive: isAlive(agent),
    description: attrs.description,
    availability_zone: attrs.availability_zone,
    configurations: attrs.configurations,
    created_at: attrs.started_at,
    started_at: attrs.started_at,
    heartbeat_timestamp: attrs.heartbeat_timestamp,
    resources_synced: null,
    resource_versions: {},
  };
}

export class AgentOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly dhcp: DhcpOps,
    private readonly networks: NetworkOps,
    private readonly routers: RouterOps,
  ) {}

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    if (!this.deps.access.isAdmin(auth)) return [];
    return (await listAgents(this.deps.db)).map(view);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return view(await this.#visible(auth, id));
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const agent = await this.#visible(auth, id);
    this.deps.access.authorize(auth, 'update_agent', {});
    const changes = this.#checkUpdate(body);
    const saved = await store.saveResource(this.deps.db, { ...agent, attrs: { ...agent.attrs, ...changes } });
    return view(saved);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    const agent = await this.#visible(auth, id);
    this.deps.access.authorize(auth, 'delete_agent', {});
    await this.deps.db.transaction().execute(async (trx) => {
      await deleteBindings(trx, { agentId: agent.id });
      await store.deleteResource(trx, agent.id);
    });
  }

  async networksOfDhcpAgent(auth: CallerContext, agentId: string): Promise<NeutronObject[]> {
    this.deps.access.authorize(auth, 'get_dhcp-networks', {});
    const agent = await this.#ofType(auth, agentId, DHCP_AGENT);
    const ids = await networkIdsOfDhcpAgent(this.deps.db, agent.id);
    return (await this.networks.list(auth)).filter((n) => ids.includes(n.id));
  }

  async dhcpAgentsOfNetwork(auth: CallerContext, networkId: string): Promise<NeutronObject[]> {
    this.deps.access.authorize(auth, 'get_dhcp-agents', {});
    await this.networks.getVisible(auth, networkId);
    const ids = await dhcpAgentIdsOf(this.deps.db, networkId);
    return (await listAgents(this.deps.db)).filter((a) => ids.includes(a.id)).map(view);
  }

  async addNetworkToDhcpAgent(auth: CallerContext, agentId: string, body: unknown): Promise<void> {
    this.deps.access.authorize(auth, 'create_dhcp-network', {});
    const networkId = idIn(body, 'network_id');
    const agent = await this.#ofType(auth, agentId, DHCP_AGENT);
    if (!agent.attrs.admin_state_up) throw errors.invalidDhcpAgent(agentId);
    await this.networks.getVisible(auth, networkId);
    if (!(await bindNetwork(this.deps.db, agent.id, networkId))) throw errors.networkHostedByDhcpAgent(networkId, agentId);
    await this.dhcp.networkHosted(networkId);
  }

  async removeNetworkFromDhcpAgent(auth: CallerContext, agentId: string, networkId: string): Promise<void> {
    this.deps.access.authorize(auth, 'delete_dhcp-network', {});
    const agent = await this.#ofType(auth, agentId, DHCP_AGENT);
    await this.networks.getVisible(auth, networkId);
    if (!(await dhcpAgentIdsOf(this.deps.db, networkId)).includes(agent.id)) throw errors.networkNotHostedByDhcpAgent(networkId, agentId);
    await unbindNetwork(this.deps.db, agent.id, networkId);
    if ((await dhcpAgentIdsOf(this.deps.db, networkId)).length === 0) await this.dhcp.networkUnhosted(networkId);
  }

  async routersOfL3Agent(auth: CallerContext, agentId: string): Promise<NeutronObject[]> {
    this.deps.access.authorize(auth, 'get_l3-routers', {});
    const agent = await this.#ofType(auth, agentId, L3_AGENT);
    return agent.attrs.host === this.deps.config.default_host ? this.routers.list(auth) : [];
  }

  async l3AgentsOfRouter(auth: CallerContext, routerId: string): Promise<NeutronObject[]> {
    this.deps.access.authorize(auth, 'get_l3-agents', {});
    await this.routers.getVisible(auth, routerId);
    const agent = await networkHostAgent(this.deps, L3_AGENT);
    return agent ? [view(agent)] : [];
  }

  async addRouterToL3Agent(auth: CallerContext, agentId: string, body: unknown): Promise<void> {
    this.deps.access.authorize(auth, 'create_l3-router', {});
    const routerId = idIn(body, 'router_id');
    const agent = await this.#ofType(auth, agentId, L3_AGENT);
    await this.routers.getVisible(auth, routerId);
    if (!agent.attrs.admin_state_up || agent.attrs.host !== this.deps.config.default_host) throw errors.invalidL3Agent(agentId);
    throw errors.routerHostedByL3Agent(routerId, agentId);
  }

  async removeRouterFromL3Agent(auth: CallerContext, agentId: string, routerId: string): Promise<never> {
    this.deps.access.authorize(auth, 'delete_l3-router', {});
    await this.#ofType(auth, agentId, L3_AGENT);
    await this.routers.getVisible(auth, routerId);
    throw new NotImplemented('Routers are realised on the network host only: unscheduling one from its L3 agent is not offered.', {
      type: 'HTTPNotImplemented',
    });
  }

  async #visible(auth: CallerContext, id: string): Promise<Agent> {
    const agent = this.deps.access.isAdmin(auth) ? await getAgent(this.deps.db, id) : null;
    if (!agent) throw errors.agentNotFound(id);
    return agent;
  }

  async #ofType(auth: CallerContext, id: string, agentType: string): Promise<Agent> {
    const agent = await this.#visible(auth, id);
    if (agent.attrs.agent_type !== agentType) throw agentType === DHCP_AGENT ? errors.invalidDhcpAgent(id) : errors.invalidL3Agent(id);
    return agent;
  }

  #checkUpdate(body: unknown): { admin_state_up?: boolean; description?: string | null } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.missingResource('agent');
    const given = body as Record<string, unknown>;
    const readOnly = Object.keys(given).find((k) => READ_ONLY.includes(k));
    if (readOnly) throw errors.readOnlyAttribute(readOnly);
    const unknown = Object.keys(given).filter((k) => !UPDATABLE.includes(k));
    if (unknown.length > 0) throw errors.unrecognizedAttributes(...unknown);
    const changes: { admin_state_up?: boolean; description?: string | null } = {};
    if ('admin_state_up' in given) changes.admin_state_up = toBoolean('admin_state_up', given.admin_state_up);
    if ('description' in given) {
      const description = given.description;
      if (description !== null && (typeof description !== 'string' || description.length > DESCRIPTION_MAX))
        throw errors.invalidAttribute('description', `'${String(description)}' is not a valid string`);
      changes.description = description;
    }
    return changes;
  }
}

/** The id a scheduler POST names (`{"network_id": ...}` or `{"router_id": ...}`). */
function idIn(body: unknown, key: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' || value === '') throw badRequest(`Failed to parse request. Required attribute '${key}' not specified`);
  return value;
}
