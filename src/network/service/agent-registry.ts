/**
 * The agents table: one row per (agent type, host) the driver stands for,
 * written as Neutron's agents write theirs by reporting state every
 * `report_interval`. A row's id is derived from its type and host, so API
 * processes reporting at once make one row, and an agent an admin deleted
 * comes back with its id at the next report, as a live Neutron agent
 * re-registers. `alive` is a heartbeat younger than `agent_down_time`; the
 * heartbeat moves only while the driver's health check passes.
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import type { JsonObject } from '../../core/json.js';
import type { DriverAgent } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import { derivedUuid } from './objects.js';
import type { PortAttrs } from './ports.js';

/** Neutron's `report_interval` and `agent_down_time` defaults. */
export const REPORT_INTERVAL_MS = 30_000;
const AGENT_DOWN_SECONDS = 75;

export interface AgentAttrs {
  [key: string]: unknown;
  agent_type: string;
  binary: string;
  topic: string;
  host: string;
  admin_state_up: boolean;
  description: string | null;
  availability_zone: string | null;
  configurations: JsonObject;
  started_at: string;
  heartbeat_timestamp: string;
}

export type Agent = Resource<AgentAttrs>;

export const DHCP_AGENT = 'DHCP agent';
export const L3_AGENT = 'L3 agent';

export function agentId(agentType: string, host: string): string {
  return derivedUuid(`nimbus-agent:${agentType}:${host}`);
}

/** Neutron shows agent times as Python's str(datetime): `2026-12-06 23:10:00`. */
function agentTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function isAlive(agent: Agent, now = Date.now()): boolean {
  return now - Date.parse(`${agent.attrs.heartbeat_timestamp.replace(' ', 'T')}Z`) <= AGENT_DOWN_SECONDS * 1000;
}

export async function listAgents(db: NetworkDb): Promise<Agent[]> {
  return store.listResources<AgentAttrs>(db, 'agent');
}

export async function getAgent(db: NetworkDb, id: string): Promise<Agent | null> {
  return store.getResource<AgentAttrs>(db, 'agent', id);
}

/** The agent of `agentType` on the network host, when it is registered. */
export async function networkHostAgent(deps: NetworkDeps, agentType: string): Promise<Agent | null> {
  return getAgent(deps.db, agentId(agentType, deps.config.default_host));
}

/**
 * One report of every agent: registers the missing ones, and when the driver
 * is healthy moves their heartbeats (a driver that is down reports nothing,
 * so its agents turn dead after `agent_down_time`).
 */
export async function reportState(deps: NetworkDeps): Promise<void> {
  const healthy = (await deps.driver.healthCheck()) === null;
  const portHosts = new Set([deps.config.default_host]);
  for (const port of await store.listResources<PortAttrs>(deps.db, 'port')) {
    const host = port.attrs['binding:host_id'];
    if (typeof host === 'string' && host) portHosts.add(host);
  }
  const now = agentTime(new Date());
  for (const kind of deps.driver.agents()) {
    for (const host of kind.runsOn === 'network-host' ? [deps.config.default_host] : [...portHosts]) {
      await reportOne(deps.db, kind, host, now, healthy);
    }
  }
}

async function reportOne(db: NetworkDb, kind: DriverAgent, host: string, now: string, healthy: boolean): Promise<void> {
  const id = agentId(kind.agentType, host);
  const existing = await getAgent(db, id);
  if (existing) {
    if (healthy) await store.saveResource(db, { ...existing, attrs: { ...existing.attrs, configurations: kind.configurations, heartbeat_timestamp: now } });
    return;
  }
  const attrs: AgentAttrs = {
    agent_type: kind.agentType,
    binary: kind.binary,
    topic: kind.topic,
    host,
    admin_state_up: true,
    description: null,
    availability_zone: kind.availabilityZone,
    configurations: kind.configurations,
    started_at: now,
    // A first report from a driver that is down leaves the agent dead from the start.
    heartbeat_timestamp: healthy ? now : agentTime(new Date(0)),
  };
  try {
    await store.insertResource<AgentAttrs>(db, { id, kind: 'agent', projectId: '', name: '', attrs });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
