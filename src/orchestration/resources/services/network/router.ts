/** OS::Neutron::Router (with its external gateway) and OS::Neutron::RouterInterface. */
import { BadRequest } from '../../../../core/errors.js';
import type { RouterGatewayRequest, RouterInfo, RouterInterfaceRequest, UpdateRouterRequest } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { attribute, boolean, custom, hidden, listOf, map, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { deleteUnlessGone, flag, map as mapOf, maps, text } from '../support.js';
import { neutron, neutronByName, neutronId } from './lookups.js';
import { routerView } from './views.js';

async function gatewayOf(ctx: ResourceContext, p: JsonObject): Promise<RouterGatewayRequest | null> {
  const info = mapOf(p, 'external_gateway_info');
  const network = info && text(info, 'network');
  if (info === undefined || network === undefined) return null;
  const snat = flag(info, 'enable_snat');
  const fixed = await Promise.all(
    maps(info, 'external_fixed_ips').map(async (ip) => {
      const subnet = text(ip, 'subnet');
      const address = text(ip, 'ip_address');
      return { ...(subnet !== undefined && { subnetId: await neutronId(ctx, 'subnets', subnet) }), ...(address !== undefined && { ipAddress: address }) };
    }),
  );
  return {
    networkId: await neutronId(ctx, 'networks', network),
    ...(snat !== undefined && { enableSnat: snat }),
    ...(fixed.length > 0 && { externalFixedIps: fixed }),
  };
}

async function changes(ctx: ResourceContext, p: JsonObject, keys: readonly string[]): Promise<UpdateRouterRequest> {
  const request: UpdateRouterRequest = {};
  if (keys.includes('name')) request.name = text(p, 'name') ?? ctx.resource.physicalName;
  if (keys.includes('admin_state_up')) request.adminStateUp = flag(p, 'admin_state_up') ?? true;
  if (keys.includes('external_gateway_info')) request.externalGateway = await gatewayOf(ctx, p);
  return request;
}

export const routerResource = serviceResource<RouterInfo>(
  {
    type: 'OS::Neutron::Router',
    description: 'A Neutron router, optionally with a gateway on an external network.',
    nameProperty: 'name',
    properties: {
      name: string('The name of the router.', { updateAllowed: true }),
      external_gateway_info: map('External network gateway configuration for a router.', {
        updateAllowed: true,
        schema: {
          network: string('ID or name of the external network for the gateway.', {
            required: true,
            updateAllowed: true,
            constraints: [custom('neutron.network')],
          }),
          enable_snat: boolean('Enables Source NAT on the router gateway.', { updateAllowed: true }),
          external_fixed_ips: listOf(
            'External fixed IP addresses for the gateway.',
            {
              ip_address: string('External fixed IP address.'),
              subnet: string('Subnet of external fixed IP address.', { constraints: [custom('neutron.subnet')] }),
            },
            { updateAllowed: true },
          ),
        },
      }),
      admin_state_up: boolean('The administrative state of the router.', { default: true, updateAllowed: true }),
    },
    attributes: {
      status: attribute('The status of the router.', 'string'),
      external_gateway_info: attribute('Gateway network for the router.', 'map'),
      name: attribute('Friendly name of the router.', 'string'),
      admin_state_up: attribute('Administrative state of the router.', 'string'),
      tenant_id: attribute('Tenant owning the router.', 'string'),
    },
  },
  {
    get: (ctx, id) => neutron(ctx.services).routers.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).routers, name),
    create: async (ctx, p, name) =>
      neutron(ctx.services).routers.create(ctx.caller, { name, adminStateUp: flag(p, 'admin_state_up') ?? true, externalGateway: await gatewayOf(ctx, p) }),
    update: async (ctx, id, change) => {
      await neutron(ctx.services).routers.update(ctx.caller, id, await changes(ctx, change.properties, change.changed));
    },
    remove: (ctx, id) => neutron(ctx.services).routers.delete(ctx.caller, id),
    idOf: (r) => r.id,
    view: routerView,
  },
);

/** Heat's id for an interface: `<router>:subnet_id=<subnet>` or `<router>:port_id=<port>`. */
function interfaceOf(physicalId: string): { routerId: string; request: RouterInterfaceRequest } {
  const [routerId = '', key, value = ''] = physicalId.replace('=', ':').split(':');
  return { routerId, request: key === 'port_id' ? { portId: value } : { subnetId: value } };
}

const refProperty = (kind: string, constraint: string) => string(`The ${kind}, either name or ID.`, { constraints: [custom(constraint)] });

export const routerInterfaceResource: ResourcePlugin = {
  type: 'OS::Neutron::RouterInterface',
  description: 'Connects a router to a subnet (a new port on its gateway address) or to an existing port.',
  properties: {
    router: string('The router.', { required: true, constraints: [custom('neutron.router')] }),
    router_id: hidden(refProperty('router', 'neutron.router'), '2015.1', 'router'),
    subnet_id: hidden(refProperty('subnet', 'neutron.subnet'), '2014.2', 'subnet'),
    subnet: string('The subnet, either subnet or port should be specified.', { constraints: [custom('neutron.subnet')] }),
    port_id: hidden(refProperty('port', 'neutron.port'), '2015.1', 'port'),
    port: string('The port, either subnet or port should be specified.', { constraints: [custom('neutron.port')] }),
  },
  attributes: {},
  async validate(p) {
    const subnet = text(p, 'subnet') ?? text(p, 'subnet_id');
    const port = text(p, 'port') ?? text(p, 'port_id');
    if (subnet !== undefined && port !== undefined)
      throw new BadRequest('Cannot define the following properties at the same time: subnet, port', { type: 'ResourcePropertyConflict' });
    if (subnet === undefined && port === undefined)
      throw new BadRequest('At least one of the following properties must be specified: subnet, port.', { type: 'PropertyUnspecifiedError' });
  },
  async create(ctx, p) {
    const network = neutron(ctx.services);
    const routerId = await neutronId(ctx, 'routers', text(p, 'router') ?? text(p, 'router_id') ?? '');
    const subnet = text(p, 'subnet') ?? text(p, 'subnet_id');
    const request: RouterInterfaceRequest =
      subnet !== undefined
        ? { subnetId: await neutronId(ctx, 'subnets', subnet) }
        : { portId: await neutronId(ctx, 'ports', text(p, 'port') ?? text(p, 'port_id') ?? '') };
    const id = request.subnetId !== undefined ? `${routerId}:subnet_id=${request.subnetId}` : `${routerId}:port_id=${request.portId}`;
    // An earlier attempt that added the interface: adding it again is Neutron's 409 for the same subnet.
    const existing = await network.ports.listWhere(ctx.caller, { deviceId: routerId });
    const done = existing.some((port) =>
      request.portId !== undefined ? port.id === request.portId : port.fixedIps.some((ip) => ip.subnetId === request.subnetId),
    );
    if (!done) await network.routers.addInterface(ctx.caller, routerId, request);
    await ctx.setPhysicalId(id);
  },
  async delete(ctx) {
    if (ctx.resource.physicalId === null) return;
    const { routerId, request } = interfaceOf(ctx.resource.physicalId);
    await deleteUnlessGone(neutron(ctx.services).routers.removeInterface(ctx.caller, routerId, request));
  },
  resolveAttribute: async () => null,
  referenceId: (resource) => resource.physicalId ?? resource.name,
};
