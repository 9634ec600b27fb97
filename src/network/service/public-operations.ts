/**
 * network/operations.ts made from the service layer: typed requests become
 * the Neutron bodies the API would pass, rendered objects become typed views.
 * Policy, visibility and quotas are the service layer's, as for the API.
 */
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import { errors, notFound } from '../errors.js';
import type { AgentInfo, NetworkOperations, ResourceCalls } from '../operations.js';
import type { AttrMap } from './attributes.js';
import { checkBody } from './body-schemas.js';
import { FIP_ATTRS } from './floating-ips.js';
import type { NetworkService } from './index.js';
import { NETWORK_ATTRS } from './networks.js';
import { PORT_ATTRS } from './ports.js';
import { ROUTER_ATTRS } from './routers.js';
import { GROUP_ATTRS, RULE_ATTRS } from './security-groups.js';
import { SCOPE_ATTRS } from './address-scopes.js';
import { POOL_ATTRS } from './subnet-pools.js';
import { SUBNET_ATTRS } from './subnets.js';
import type { NeutronObject } from './objects.js';
import * as body from './requests.js';
import * as view from './views.js';

/** The service layer's calls for one collection, on Neutron bodies and rendered objects. */
interface CollectionOps {
  create(auth: CallerContext, body: unknown): Promise<NeutronObject>;
  get(auth: CallerContext, id: string): Promise<NeutronObject>;
  list(auth: CallerContext): Promise<NeutronObject[]>;
  update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject>;
  delete(auth: CallerContext, id: string): Promise<void>;
}

const isNotFound = (error: unknown) => error instanceof NimbusError && error.status === 404;

/** The id's resource, else the one resource whose `key` is `value`: Neutron's NotFound when none, NoUniqueMatch when several. */
async function findOne<T extends { id: string }>(
  byId: () => Promise<T>,
  all: () => Promise<T[]>,
  matches: (item: T) => boolean,
  missing: () => Error,
  ambiguous: () => Error,
): Promise<T> {
  try {
    return await byId();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const found = (await all()).filter(matches);
  if (found.length > 1) throw ambiguous();
  const [only] = found;
  if (!only) throw missing();
  return only;
}

/** The Neutron body of a typed request, checked with the schema its REST route uses. */
function checked(resource: string, attributes: AttrMap, mode: 'create' | 'update', body: Record<string, unknown>): Record<string, unknown> {
  checkBody(resource, attributes, mode, body);
  return body;
}

function resourceCalls<Info extends { id: string; name: string }, Create, Update>(
  ops: CollectionOps,
  resource: keyof typeof notFound,
  attributes: AttrMap,
  toInfo: (object: NeutronObject) => Info,
  toBody: (request: Create | Update) => Record<string, unknown>,
): ResourceCalls<Info, Create, Update> {
  const list = async (auth: CallerContext) => (await ops.list(auth)).map(toInfo);
  const get = async (auth: CallerContext, id: string) => toInfo(await ops.get(auth, id));
  return {
    create: async (auth, request) => toInfo(await ops.create(auth, checked(resource, attributes, 'create', toBody(request)))),
    get,
    list,
    find: (auth, nameOrId) =>
      findOne(
        () => get(auth, nameOrId),
        () => list(auth),
        (item) => item.name === nameOrId,
        () => notFound[resource](nameOrId),
        () => errors.noUniqueMatch(resource, nameOrId),
      ),
    update: async (auth, id, request) => toInfo(await ops.update(auth, id, checked(resource, attributes, 'update', toBody(request)))),
    delete: (auth, id) => ops.delete(auth, id),
  };
}

export function publicOperations(service: NetworkService): NetworkOperations {
  const { ports, routers, securityGroups, floatingIps } = service;
  const portCalls = resourceCalls(ports, 'port', PORT_ATTRS, view.portInfo, body.portBody);
  const portChange = async (auth: CallerContext, id: string, change: Record<string, unknown>) =>
    view.portInfo(await ports.update(auth, id, checked('port', PORT_ATTRS, 'update', change)));
  const routerCalls = resourceCalls(routers, 'router', ROUTER_ATTRS, view.routerInfo, body.routerBody);
  const fipInfo = async (auth: CallerContext, id: string, change: Record<string, unknown>) =>
    view.floatingIpInfo(await floatingIps.update(auth, id, checked('floatingip', FIP_ATTRS, 'update', change)));
  const fipList = async (auth: CallerContext) => (await floatingIps.list(auth)).map(view.floatingIpInfo);
  const fipGet = async (auth: CallerContext, id: string) => view.floatingIpInfo(await floatingIps.get(auth, id));
  return {
    listAgents: async (auth) => (await service.agents.list(auth)).map(agentInfo),
    setQuotas: (auth, projectId, limits) => service.quotas.update(auth, projectId, limits),
    async quotaDetails(auth, projectId) {
      const details = await service.quotas.details(auth, projectId);
      return Object.fromEntries(Object.entries(details).map(([r, q]) => [r, { limit: q.limit, inUse: q.used, reserved: q.reserved }]));
    },
    networks: resourceCalls(service.networks, 'network', NETWORK_ATTRS, view.networkInfo, body.networkBody),
    subnets: {
      ...resourceCalls(service.subnets, 'subnet', SUBNET_ATTRS, view.subnetInfo, body.subnetBody),
      listOfNetwork: async (auth, networkId) => (await service.subnets.list(auth)).map(view.subnetInfo).filter((s) => s.networkId === networkId),
    },
    ports: {
      ...portCalls,
      listWhere: async (auth, filter) => (await ports.list(auth, filter)).map(view.portInfo),
      async claim(auth, portId, device) {
        const port = await ports.getVisible(auth, portId);
        await ports.attach(port, device.deviceOwner, device.deviceId);
        return portCalls.get(auth, portId);
      },
      bind: (auth, portId, host) => portChange(auth, portId, { 'binding:host_id': host ?? '' }),
      release: (auth, portId) => portChange(auth, portId, { device_id: '', device_owner: '', 'binding:host_id': '' }),
    },
    routers: {
      ...routerCalls,
      addInterface: async (auth, routerId, request) =>
        view.routerInterfaceInfo(await routers.addInterface(auth, routerId, { subnet_id: request.subnetId, port_id: request.portId })),
      removeInterface: async (auth, routerId, request) =>
        view.routerInterfaceInfo(await routers.removeInterface(auth, routerId, { subnet_id: request.subnetId, port_id: request.portId })),
      setGateway: async (auth, routerId, gateway) =>
        view.routerInfo(await routers.update(auth, routerId, checked('router', ROUTER_ATTRS, 'update', { external_gateway_info: body.gatewayBody(gateway) }))),
    },
    securityGroups: {
      ...resourceCalls(securityGroups, 'security_group', GROUP_ATTRS, view.securityGroupInfo, body.securityGroupBody),
      createRule: async (auth, request) =>
        view.ruleInfo(await securityGroups.createRule(auth, checked('security_group_rule', RULE_ATTRS, 'create', body.ruleBody(request)))),
      getRule: async (auth, ruleId) => view.ruleInfo(await securityGroups.getRule(auth, ruleId)),
      deleteRule: (auth, ruleId) => securityGroups.deleteRule(auth, ruleId),
    },
    subnetPools: {
      ...resourceCalls(service.subnetPools, 'subnetpool', POOL_ATTRS, view.subnetPoolInfo, body.subnetPoolBody),
      async setTags(auth, id, tags) {
        await service.tags.replace(auth, 'subnetpool', id, tags);
      },
    },
    addressScopes: resourceCalls(service.addressScopes, 'address_scope', SCOPE_ATTRS, view.addressScopeInfo, body.addressScopeBody),
    floatingIps: {
      create: async (auth, request) =>
        view.floatingIpInfo(await floatingIps.create(auth, checked('floatingip', FIP_ATTRS, 'create', body.floatingIpBody(request)))),
      get: fipGet,
      list: fipList,
      listWhere: async (auth, filter) =>
        (await fipList(auth)).filter((f) => filter.portIds === undefined || (f.portId !== null && filter.portIds.includes(f.portId))),
      find: (auth, addressOrId) =>
        findOne(
          () => fipGet(auth, addressOrId),
          () => fipList(auth),
          (f) => f.floatingIpAddress === addressOrId,
          () => notFound.floatingip(addressOrId),
          () => errors.noUniqueMatch('floatingip', addressOrId),
        ),
      associate: (auth, id, portId, fixedIpAddress) =>
        fipInfo(auth, id, fixedIpAddress === undefined ? { port_id: portId } : { port_id: portId, fixed_ip_address: fixedIpAddress }),
      disassociate: (auth, id) => fipInfo(auth, id, { port_id: null }),
      delete: (auth, id) => floatingIps.delete(auth, id),
    },
  };
}

/** The typed door form of an agent's API view. */
function agentInfo(agent: NeutronObject): AgentInfo {
  return {
    id: agent.id,
    binary: String(agent.binary),
    host: String(agent.host),
    adminStateUp: agent.admin_state_up === true,
    alive: agent.alive === true,
    availabilityZone: typeof agent.availability_zone === 'string' ? agent.availability_zone : null,
  };
}
