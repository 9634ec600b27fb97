/**
 * network/operations.ts made from the service layer: typed requests become
 * the Neutron bodies the API would pass, rendered objects become typed views.
 * Policy, visibility and quotas are the service layer's, as for the API.
 */
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import { errors, notFound } from '../errors.js';
import type { NetworkOperations, ResourceCalls } from '../operations.js';
import type { NetworkService } from './index.js';
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

function resourceCalls<Info extends { id: string; name: string }, Create, Update>(
  ops: CollectionOps,
  resource: keyof typeof notFound,
  toInfo: (object: NeutronObject) => Info,
  toBody: (request: Create | Update) => Record<string, unknown>,
): ResourceCalls<Info, Create, Update> {
  const list = async (auth: CallerContext) => (await ops.list(auth)).map(toInfo);
  const get = async (auth: CallerContext, id: string) => toInfo(await ops.get(auth, id));
  return {
    create: async (auth, request) => toInfo(await ops.create(auth, toBody(request))),
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
    update: async (auth, id, request) => toInfo(await ops.update(auth, id, toBody(request))),
    delete: (auth, id) => ops.delete(auth, id),
  };
}

export function publicOperations(service: NetworkService): NetworkOperations {
  const { ports, routers, securityGroups, floatingIps } = service;
  const portCalls = resourceCalls(ports, 'port', view.portInfo, body.portBody);
  const routerCalls = resourceCalls(routers, 'router', view.routerInfo, body.routerBody);
  const fipInfo = async (auth: CallerContext, id: string, change: Record<string, unknown>) => view.floatingIpInfo(await floatingIps.update(auth, id, change));
  const fipList = async (auth: CallerContext) => (await floatingIps.list(auth)).map(view.floatingIpInfo);
  const fipGet = async (auth: CallerContext, id: string) => view.floatingIpInfo(await floatingIps.get(auth, id));
  return {
    networks: resourceCalls(service.networks, 'network', view.networkInfo, body.networkBody),
    subnets: {
      ...resourceCalls(service.subnets, 'subnet', view.subnetInfo, body.subnetBody),
      listOfNetwork: async (auth, networkId) => (await service.subnets.list(auth)).map(view.subnetInfo).filter((s) => s.networkId === networkId),
    },
    ports: {
      ...portCalls,
      listWhere: async (auth, filter) =>
        (await portCalls.list(auth)).filter(
          (p) => (filter.deviceId === undefined || p.deviceId === filter.deviceId) && (filter.networkId === undefined || p.networkId === filter.networkId),
        ),
      async claim(auth, portId, device) {
        const port = await ports.getVisible(auth, portId);
        await ports.attach(port, device.deviceOwner, device.deviceId);
        return portCalls.get(auth, portId);
      },
      bind: async (auth, portId, host) => view.portInfo(await ports.update(auth, portId, { 'binding:host_id': host ?? '' })),
      release: async (auth, portId) => view.portInfo(await ports.update(auth, portId, { device_id: '', device_owner: '', 'binding:host_id': '' })),
    },
    routers: {
      ...routerCalls,
      addInterface: async (auth, routerId, request) => view.routerInterfaceInfo(await routers.addInterface(auth, routerId, { subnet_id: request.subnetId, port_id: request.portId })),
      removeInterface: async (auth, routerId, request) =>
        view.routerInterfaceInfo(await routers.removeInterface(auth, routerId, { subnet_id: request.subnetId, port_id: request.portId })),
      setGateway: async (auth, routerId, gateway) => view.routerInfo(await routers.update(auth, routerId, { external_gateway_info: body.gatewayBody(gateway) })),
    },
    securityGroups: {
      ...resourceCalls(securityGroups, 'security_group', view.securityGroupInfo, body.securityGroupBody),
      createRule: async (auth, request) => view.ruleInfo(await securityGroups.createRule(auth, body.ruleBody(request))),
      getRule: async (auth, ruleId) => view.ruleInfo(await securityGroups.getRule(auth, ruleId)),
      deleteRule: (auth, ruleId) => securityGroups.deleteRule(auth, ruleId),
    },
    floatingIps: {
      create: async (auth, request) => view.floatingIpInfo(await floatingIps.create(auth, body.floatingIpBody(request))),
      get: fipGet,
      list: fipList,
      listWhere: async (auth, filter) => (await fipList(auth)).filter((f) => filter.portIds === undefined || (f.portId !== null && filter.portIds.includes(f.portId))),
      find: (auth, addressOrId) =>
        findOne(
          () => fipGet(auth, addressOrId),
          () => fipList(auth),
          (f) => f.floatingIpAddress === addressOrId,
          () => notFound.floatingip(addressOrId),
          () => errors.noUniqueMatch('floatingip', addressOrId),
        ),
      associate: (auth, id, portId, fixedIpAddress) => fipInfo(auth, id, fixedIpAddress === undefined ? { port_id: portId } : { port_id: portId, fixed_ip_address: fixedIpAddress }),
      disassociate: (auth, id) => fipInfo(auth, id, { port_id: null }),
      delete: (auth, id) => floatingIps.delete(auth, id),
    },
  };
}
