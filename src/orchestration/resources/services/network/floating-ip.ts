/** OS::Neutron::FloatingIP and OS::Neutron::FloatingIPAssociation. */
import { BadRequest } from '../../../../core/errors.js';
import type { FloatingIpInfo } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { attribute, custom, hidden, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { deleteUnlessGone, text } from '../support.js';
import { neutron, neutronId } from './lookups.js';
import { floatingIpView } from './views.js';

async function associate(ctx: ResourceContext, floatingIpId: string, p: JsonObject): Promise<void> {
  const port = text(p, 'port_id');
  const fixed = text(p, 'fixed_ip_address');
  const calls = neutron(ctx.services).floatingIps;
  if (port === undefined) await calls.disassociate(ctx.caller, floatingIpId);
  else await calls.associate(ctx.caller, floatingIpId, await neutronId(ctx, 'ports', port), fixed);
}

export const floatingIpResource = serviceResource<FloatingIpInfo>(
  {
    type: 'OS::Neutron::FloatingIP',
    description: 'A floating IP address from an external network, optionally associated with a port.',
    // Floating IPs have no name: the generated one is kept in the description, to find an earlier attempt's address.
    nameProperty: null,
    properties: {
      floating_network_id: hidden(
        string('ID of network to allocate floating IP from.', { constraints: [custom('neutron.network')] }),
        '5.0.0',
        'floating_network',
      ),
      floating_network: string('Network to allocate floating IP from.', { required: true, constraints: [custom('neutron.network')] }),
      floating_subnet: string('Subnet to allocate floating IP from.', { constraints: [custom('neutron.subnet')] }),
      port_id: string('ID of an existing port with at least one IP address to associate with this floating IP.', {
        updateAllowed: true,
        constraints: [custom('neutron.port')],
      }),
      fixed_ip_address: string('IP address to use if the port has multiple addresses.', { updateAllowed: true }),
      floating_ip_address: string('IP address of the floating IP (admin only by default policy).'),
    },
    attributes: {
      router_id: attribute('ID of the router used as gateway, set when associated with a port.', 'string'),
      tenant_id: attribute('The tenant owning this floating IP.', 'string'),
      floating_network_id: attribute('ID of the network in which this IP is allocated.', 'string'),
      fixed_ip_address: attribute('IP address of the associated port, if specified.', 'string'),
      floating_ip_address: attribute('The allocated address of this IP.', 'string'),
      port_id: attribute('ID of the port associated with this IP.', 'string'),
    },
  },
  {
    get: (ctx, id) => neutron(ctx.services).floatingIps.get(ctx.caller, id),
    findByName: async (ctx, name) => (await neutron(ctx.services).floatingIps.list(ctx.caller)).find((f) => f.description === name) ?? null,
    async create(ctx, p, name) {
      const network = text(p, 'floating_network') ?? text(p, 'floating_network_id') ?? '';
      const subnet = text(p, 'floating_subnet');
      const port = text(p, 'port_id');
      const fixed = text(p, 'fixed_ip_address');
      const address = text(p, 'floating_ip_address');
      return neutron(ctx.services).floatingIps.create(ctx.caller, {
        floatingNetworkId: await neutronId(ctx, 'networks', network),
        description: name,
        ...(subnet !== undefined && { subnetId: await neutronId(ctx, 'subnets', subnet) }),
        ...(port !== undefined && { portId: await neutronId(ctx, 'ports', port) }),
        ...(fixed !== undefined && { fixedIpAddress: fixed }),
        ...(address !== undefined && { floatingIpAddress: address }),
      });
    },
    update: (ctx, id, change) => associate(ctx, id, change.properties),
    remove: (ctx, id) => neutron(ctx.services).floatingIps.delete(ctx.caller, id),
    idOf: (f) => f.id,
    view: floatingIpView,
  },
);

const floatingIpOf = (p: JsonObject) => text(p, 'floatingip_id') ?? '';

export const floatingIpAssociationResource: ResourcePlugin = {
  type: 'OS::Neutron::FloatingIPAssociation',
  description: 'Associates a floating IP with a port.',
  properties: {
    floatingip_id: string('ID of the floating IP to associate.', { required: true, updateAllowed: true }),
    port_id: string('ID of an existing port with at least one IP address to associate with this floating IP.', {
      required: true,
      updateAllowed: true,
      constraints: [custom('neutron.port')],
    }),
    fixed_ip_address: string('IP address to use if the port has multiple addresses.', { updateAllowed: true }),
  },
  attributes: {},
  async create(ctx, p) {
    if (floatingIpOf(p) === '') throw new BadRequest('Property floatingip_id not assigned', { type: 'StackValidationFailed' });
    // Delete gets no properties: the floating IP to disassociate is kept in the resource's data.
    await ctx.setData('floatingip_id', floatingIpOf(p));
    await ctx.setPhysicalId(ctx.resource.uuid);
    await associate(ctx, floatingIpOf(p), p);
  },
  async update(ctx, change) {
    const previous = floatingIpOf(change.previous);
    if (previous !== floatingIpOf(change.properties)) await deleteUnlessGone(neutron(ctx.services).floatingIps.disassociate(ctx.caller, previous));
    await ctx.setData('floatingip_id', floatingIpOf(change.properties));
    await associate(ctx, floatingIpOf(change.properties), change.properties);
  },
  async delete(ctx) {
    const id = ctx.resource.data.floatingip_id;
    if (id !== undefined) await deleteUnlessGone(neutron(ctx.services).floatingIps.disassociate(ctx.caller, id));
  },
  resolveAttribute: async () => null,
};
