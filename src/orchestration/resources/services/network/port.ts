/** OS::Neutron::Port: a port on a network, for a server or a router. */
import { BadRequest } from '../../../../core/errors.js';
import type { FixedIpRequest, PortInfo, UpdatePortRequest } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { attribute, boolean, custom, hidden, listOf, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { flag, maps, strings, text } from '../support.js';
import { neutron, neutronByName, neutronId } from './lookups.js';
import { networkView as networkViewOf, portView, subnetView as subnetViewOf } from './views.js';

async function fixedIps(ctx: ResourceContext, p: JsonObject): Promise<FixedIpRequest[]> {
  return Promise.all(
    maps(p, 'fixed_ips').map(async (entry) => {
      const subnet = text(entry, 'subnet') ?? text(entry, 'subnet_id');
      const address = text(entry, 'ip_address');
      return { ...(subnet !== undefined && { subnetId: await neutronId(ctx, 'subnets', subnet) }), ...(address !== undefined && { ipAddress: address }) };
    }),
  );
}

const groupIds = (ctx: ResourceContext, p: JsonObject) => Promise.all(strings(p, 'security_groups').map((g) => neutronId(ctx, 'securityGroups', g)));

const pairs = (p: JsonObject) =>
  maps(p, 'allowed_address_pairs').map((pair) => {
    const mac = text(pair, 'mac_address');
    return { ipAddress: String(pair.ip_address), ...(mac !== undefined && { macAddress: mac }) };
  });

async function changes(ctx: ResourceContext, p: JsonObject, keys: readonly string[]): Promise<UpdatePortRequest> {
  const request: UpdatePortRequest = {};
  if (keys.includes('name')) request.name = text(p, 'name') ?? ctx.resource.physicalName;
  if (keys.includes('admin_state_up')) request.adminStateUp = flag(p, 'admin_state_up') ?? true;
  if (keys.includes('fixed_ips')) request.fixedIps = await fixedIps(ctx, p);
  // Heat puts the port back in the project's default group when the list is emptied.
  if (keys.includes('security_groups'))
    request.securityGroupIds = strings(p, 'security_groups').length > 0 ? await groupIds(ctx, p) : [await neutronId(ctx, 'securityGroups', 'default')];
  if (keys.includes('allowed_address_pairs')) request.allowedAddressPairs = pairs(p);
  if (keys.includes('device_id')) request.deviceId = text(p, 'device_id') ?? '';
  if (keys.includes('device_owner')) request.deviceOwner = text(p, 'device_owner') ?? '';
  if (keys.includes('port_security_enabled')) request.portSecurityEnabled = flag(p, 'port_security_enabled') ?? true;
  return request;
}

const fixedIpKeys = {
  subnet_id: hidden(string('Subnet in which to allocate the IP address for this port.', { constraints: [custom('neutron.subnet')] }), '5.0.0', 'subnet'),
  subnet: string('Subnet in which to allocate the IP address for this port.', { constraints: [custom('neutron.subnet')] }),
  ip_address: string('IP address desired in the subnet for this port.'),
};

export const portResource = serviceResource<PortInfo>(
  {
    type: 'OS::Neutron::Port',
    description: 'A port on a Neutron network.',
    nameProperty: 'name',
    properties: {
      network_id: hidden(string('ID of the network.', { constraints: [custom('neutron.network')] }), '5.0.0', 'network'),
      network: string('Network this port belongs to.', { constraints: [custom('neutron.network')] }),
      name: string('A symbolic name for this port.', { updateAllowed: true }),
      admin_state_up: boolean('The administrative state of this port.', { default: true, updateAllowed: true }),
      fixed_ips: listOf('Desired IPs for this port.', fixedIpKeys, { updateAllowed: true }),
      security_groups: stringList('Security group IDs or names to associate with this port.', { updateAllowed: true }),
      allowed_address_pairs: listOf(
        'Additional MAC/IP address pairs allowed to pass through the port.',
        { mac_address: string('MAC address to allow through this port.'), ip_address: string('IP address to allow through this port.', { required: true }) },
        { updateAllowed: true },
      ),
      mac_address: string('MAC address to give to this port.'),
      device_id: string('Device ID of this port.', { updateAllowed: true }),
      device_owner: string('Name of the network owning the port.', { updateAllowed: true }),
      port_security_enabled: boolean('Flag to enable/disable port security on the port.', { updateAllowed: true }),
    },
    attributes: {
      admin_state_up: attribute('The administrative state of this port.', 'string'),
      device_id: attribute('Unique identifier for the device.', 'string'),
      device_owner: attribute('Name of the network owning the port.', 'string'),
      fixed_ips: attribute('Fixed IP addresses.', 'list'),
      mac_address: attribute('MAC address of the port.', 'string'),
      name: attribute('Friendly name of the port.', 'string'),
      network_id: attribute('Unique identifier for the network owning the port.', 'string'),
      security_groups: attribute('A list of security groups for the port.', 'list'),
      status: attribute('The status of the port.', 'string'),
      tenant_id: attribute('Tenant owning the port.', 'string'),
      allowed_address_pairs: attribute('Additional MAC/IP address pairs allowed to pass through a port.', 'list'),
      subnets: attribute('A list of all subnet attributes for the port.', 'list'),
      network: attribute('The attributes of the network owning the port.', 'map'),
    },
  },
  {
    get: (ctx, id) => neutron(ctx.services).ports.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).ports, name),
    async create(ctx, p, name) {
      const network = text(p, 'network') ?? text(p, 'network_id');
      if (network === undefined)
        throw new BadRequest('Property error: : network: At least one of the following properties must be specified: network, network_id.', {
          type: 'StackValidationFailed',
        });
      const mac = text(p, 'mac_address');
      const deviceId = text(p, 'device_id');
      const deviceOwner = text(p, 'device_owner');
      const portSecurity = flag(p, 'port_security_enabled');
      return neutron(ctx.services).ports.create(ctx.caller, {
        networkId: await neutronId(ctx, 'networks', network),
        name,
        adminStateUp: flag(p, 'admin_state_up') ?? true,
        ...(maps(p, 'fixed_ips').length > 0 && { fixedIps: await fixedIps(ctx, p) }),
        ...(strings(p, 'security_groups').length > 0 && { securityGroupIds: await groupIds(ctx, p) }),
        ...(maps(p, 'allowed_address_pairs').length > 0 && { allowedAddressPairs: pairs(p) }),
        ...(mac !== undefined && { macAddress: mac }),
        ...(deviceId !== undefined && { deviceId }),
        ...(deviceOwner !== undefined && { deviceOwner }),
        ...(portSecurity !== undefined && { portSecurityEnabled: portSecurity }),
      });
    },
    update: async (ctx, id, change) => {
      await neutron(ctx.services).ports.update(ctx.caller, id, await changes(ctx, change.properties, change.changed));
    },
    remove: (ctx, id) => neutron(ctx.services).ports.delete(ctx.caller, id),
    idOf: (port) => port.id,
    view: portView,
    attributes: {
      subnets: async (port, ctx) => {
        const subnets = neutron(ctx.services).subnets;
        return Promise.all([...new Set(port.fixedIps.map((ip) => ip.subnetId))].map(async (id) => subnetViewOf(await subnets.get(ctx.caller, id))));
      },
      network: async (port, ctx) => networkViewOf(await neutron(ctx.services).networks.get(ctx.caller, port.networkId)),
    },
  },
);
