/** OS::Neutron::Subnet: an address range on a network, from a CIDR or a subnet pool. */
import type { HostRoute, SubnetInfo, UpdateSubnetRequest } from '../../../../network/operations.js';
import { BadRequest } from '../../../../core/errors.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { allowed, attribute, boolean, custom, hidden, integer, listOf, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { flag, integer as integerOf, maps, strings, text } from '../support.js';
import { neutron, neutronByName, neutronId } from './lookups.js';
import { subnetView } from './views.js';

/**
 * Heat's gateway_ip: '' (what a template's null or `~` becomes in Heat's
 * string properties) means no gateway; absent (or null, as the engine
 * hands an absent property) lets Neutron take the first address.
 */
function gateway(p: JsonObject): { gatewayIp?: string | null } {
  const value = p.gateway_ip;
  if (value === undefined || value === null || value === 'auto') return {};
  return value === '' || value === '~' ? { gatewayIp: null } : { gatewayIp: String(value) };
}

const pools = (p: JsonObject) => maps(p, 'allocation_pools').map((pool) => ({ start: String(pool.start), end: String(pool.end) }));
const routes = (p: JsonObject): HostRoute[] => maps(p, 'host_routes').map((r) => ({ destination: String(r.destination), nexthop: String(r.nexthop) }));

async function networkOf(ctx: ResourceContext, p: JsonObject): Promise<string> {
  const network = text(p, 'network') ?? text(p, 'network_id');
  if (network === undefined)
    throw new BadRequest('Property error: : network: At least one of the following properties must be specified: network, network_id.', {
      type: 'StackValidationFailed',
    });
  return neutronId(ctx, 'networks', network);
}

function changes(p: JsonObject, keys: readonly string[], fallbackName: string): UpdateSubnetRequest {
  const request: UpdateSubnetRequest = {};
  if (keys.includes('name')) request.name = text(p, 'name') ?? fallbackName;
  if (keys.includes('gateway_ip')) request.gatewayIp = gateway(p).gatewayIp ?? null;
  if (keys.includes('enable_dhcp')) request.enableDhcp = flag(p, 'enable_dhcp') ?? true;
  if (keys.includes('dns_nameservers')) request.dnsNameservers = strings(p, 'dns_nameservers');
  if (keys.includes('host_routes')) request.hostRoutes = routes(p);
  if (keys.includes('allocation_pools')) request.allocationPools = pools(p);
  return request;
}

export const subnetResource = serviceResource<SubnetInfo>(
  {
    type: 'OS::Neutron::Subnet',
    description: 'A subnet of a Neutron network.',
    nameProperty: 'name',
    properties: {
      network_id: hidden(string('ID of the network.', { constraints: [custom('neutron.network')] }), '5.0.0', 'network'),
      network: string('The ID or name of the network to associate this subnet with.', { constraints: [custom('neutron.network')] }),
      subnetpool: string('The name or ID of the subnet pool.'),
      prefixlen: integer('Prefix length for subnet allocation from a subnet pool.', { constraints: [{ range: { min: 0 } }] }),
      cidr: string('The CIDR.'),
      name: string('The name of the subnet.', { updateAllowed: true }),
      ip_version: integer('The IP version, which is 4 or 6.', { default: 4, constraints: [allowed(4, 6)] }),
      dns_nameservers: stringList('A specified set of DNS name servers to be used.', { default: [], updateAllowed: true }),
      gateway_ip: string('The gateway IP address. Set to any of [ null | ~ | "" ] to create or update a subnet without a gateway.', { updateAllowed: true }),
      enable_dhcp: boolean('Set to true if DHCP is enabled and false if DHCP is disabled.', { default: true, updateAllowed: true }),
      allocation_pools: listOf(
        'The start and end addresses for the allocation pools.',
        {
          start: string('Start address for the allocation pool.', { required: true }),
          end: string('End address for the allocation pool.', { required: true }),
        },
        { updateAllowed: true },
      ),
      tenant_id: string('The ID of the tenant who owns the network. Only administrative users can specify a tenant ID other than their own.'),
      host_routes: listOf(
        'A list of host route dictionaries for the subnet.',
        {
          destination: string('The destination for static route.', { required: true }),
          nexthop: string('The next hop for the destination.', { required: true }),
        },
        { updateAllowed: true },
      ),
      ipv6_ra_mode: string('IPv6 RA (Router Advertisement) mode.', { constraints: [allowed('dhcpv6-stateful', 'dhcpv6-stateless', 'slaac')] }),
      ipv6_address_mode: string('IPv6 address mode.', { constraints: [allowed('dhcpv6-stateful', 'dhcpv6-stateless', 'slaac')] }),
    },
    attributes: {
      name: attribute('Friendly name of the subnet.', 'string'),
      network_id: attribute('Parent network of the subnet.', 'string'),
      tenant_id: attribute('Tenant owning the subnet.', 'string'),
      allocation_pools: attribute('Ip allocation pools and their ranges.', 'list'),
      gateway_ip: attribute("Ip of the subnet's gateway.", 'string'),
      host_routes: attribute('Additional routes for this subnet.', 'list'),
      ip_version: attribute('Ip version for the subnet.', 'string'),
      cidr: attribute('CIDR block notation for this subnet.', 'string'),
      dns_nameservers: attribute('List of dns nameservers.', 'list'),
      enable_dhcp: attribute("'true' if DHCP is enabled for this subnet; 'false' otherwise.", 'boolean'),
    },
  },
  {
    get: (ctx, id) => neutron(ctx.services).subnets.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).subnets, name),
    async create(ctx, p, name) {
      const cidr = text(p, 'cidr');
      const pool = text(p, 'subnetpool');
      const prefixLength = integerOf(p, 'prefixlen');
      const tenant = text(p, 'tenant_id');
      const raMode = text(p, 'ipv6_ra_mode');
      const addressMode = text(p, 'ipv6_address_mode');
      if (cidr === undefined && pool === undefined)
        throw new BadRequest('Property error: : cidr: At least one of the following properties must be specified: cidr, subnetpool.', {
          type: 'StackValidationFailed',
        });
      return neutron(ctx.services).subnets.create(ctx.caller, {
        networkId: await networkOf(ctx, p),
        ipVersion: integerOf(p, 'ip_version') === 6 ? 6 : 4,
        name,
        ...(cidr !== undefined && { cidr }),
        ...(pool !== undefined && { subnetPoolId: pool }),
        ...(prefixLength !== undefined && { prefixLength }),
        ...gateway(p),
        enableDhcp: flag(p, 'enable_dhcp') ?? true,
        dnsNameservers: strings(p, 'dns_nameservers'),
        ...(maps(p, 'host_routes').length > 0 && { hostRoutes: routes(p) }),
        ...(maps(p, 'allocation_pools').length > 0 && { allocationPools: pools(p) }),
        ...(raMode !== undefined && { ipv6RaMode: raMode }),
        ...(addressMode !== undefined && { ipv6AddressMode: addressMode }),
        ...(tenant !== undefined && { projectId: tenant }),
      });
    },
    update: async (ctx, id, change) => {
      await neutron(ctx.services).subnets.update(ctx.caller, id, changes(change.properties, change.changed, ctx.resource.physicalName));
    },
    remove: (ctx, id) => neutron(ctx.services).subnets.delete(ctx.caller, id),
    idOf: (s) => s.id,
    view: subnetView,
  },
);
