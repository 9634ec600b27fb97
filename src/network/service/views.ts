/**
 * The typed views of operations.ts, read from the objects the service layer
 * renders for the API. Reading the rendered object (not the stored row) keeps
 * what policy hides hidden: an attribute the caller may not read is absent
 * there and null here.
 */
import type {
  AddressScopeInfo,
  FixedIp,
  FloatingIpInfo,
  HostRoute,
  NetworkInfo,
  PortInfo,
  RouterInfo,
  RouterInterfaceInfo,
  SecurityGroupInfo,
  SecurityGroupRuleInfo,
  SubnetInfo,
  SubnetPoolInfo,
} from '../operations.js';
import type { NeutronObject } from './objects.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const records = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
const fixedIps = (value: unknown): FixedIp[] => records(value).map((ip) => ({ subnetId: text(ip.subnet_id), ipAddress: text(ip.ip_address) }));
const routes = (value: unknown): HostRoute[] => records(value).map((r) => ({ destination: text(r.destination), nexthop: text(r.nexthop) }));

/** The standard attributes every resource has. */
function standard(o: NeutronObject) {
  return { id: o.id, name: text(o.name), description: text(o.description), projectId: text(o.project_id), tags: texts(o.tags) };
}

export function networkInfo(o: NeutronObject): NetworkInfo {
  return {
    ...standard(o),
    status: text(o.status),
    adminStateUp: o.admin_state_up === true,
    shared: o.shared === true,
    external: o['router:external'] === true,
    mtu: numberOrNull(o.mtu) ?? 0,
    portSecurityEnabled: o.port_security_enabled === true,
    subnetIds: texts(o.subnets),
    networkType: textOrNull(o['provider:network_type']),
    physicalNetwork: textOrNull(o['provider:physical_network']),
    segmentationId: numberOrNull(o['provider:segmentation_id']),
  };
}

export function subnetInfo(o: NeutronObject): SubnetInfo {
  return {
    ...standard(o),
    networkId: text(o.network_id),
    ipVersion: o.ip_version === 6 ? 6 : 4,
    cidr: text(o.cidr),
    gatewayIp: textOrNull(o.gateway_ip),
    enableDhcp: o.enable_dhcp === true,
    dnsNameservers: texts(o.dns_nameservers),
    hostRoutes: routes(o.host_routes),
    allocationPools: records(o.allocation_pools).map((p) => ({ start: text(p.start), end: text(p.end) })),
    ipv6RaMode: textOrNull(o.ipv6_ra_mode),
    ipv6AddressMode: textOrNull(o.ipv6_address_mode),
    subnetPoolId: textOrNull(o.subnetpool_id),
  };
}

export function portInfo(o: NeutronObject): PortInfo {
  return {
    ...standard(o),
    networkId: text(o.network_id),
    macAddress: text(o.mac_address),
    fixedIps: fixedIps(o.fixed_ips),
    deviceId: text(o.device_id),
    deviceOwner: text(o.device_owner),
    status: text(o.status),
    adminStateUp: o.admin_state_up === true,
    securityGroupIds: texts(o.security_groups),
    portSecurityEnabled: o.port_security_enabled === true,
    allowedAddressPairs: records(o.allowed_address_pairs).map((p) => ({ ipAddress: text(p.ip_address), macAddress: text(p.mac_address) })),
    hostId: textOrNull(o['binding:host_id']),
    vifType: textOrNull(o['binding:vif_type']),
    vnicType: text(o['binding:vnic_type']),
  };
}

export function routerInfo(o: NeutronObject): RouterInfo {
  const gateway = o.external_gateway_info as Record<string, unknown> | null | undefined;
  return {
    ...standard(o),
    status: text(o.status),
    adminStateUp: o.admin_state_up === true,
    externalGateway: gateway
      ? { networkId: text(gateway.network_id), enableSnat: gateway.enable_snat !== false, externalFixedIps: fixedIps(gateway.external_fixed_ips) }
      : null,
    routes: routes(o.routes),
  };
}

export function routerInterfaceInfo(o: NeutronObject): RouterInterfaceInfo {
  return {
    routerId: o.id,
    portId: text(o.port_id),
    subnetId: text(o.subnet_id),
    subnetIds: texts(o.subnet_ids),
    networkId: text(o.network_id),
    projectId: text(o.project_id),
  };
}

export function ruleInfo(o: NeutronObject): SecurityGroupRuleInfo {
  return {
    id: o.id,
    securityGroupId: text(o.security_group_id),
    projectId: text(o.project_id),
    description: text(o.description),
    direction: o.direction === 'egress' ? 'egress' : 'ingress',
    ethertype: o.ethertype === 'IPv6' ? 'IPv6' : 'IPv4',
    protocol: textOrNull(o.protocol),
    portRangeMin: numberOrNull(o.port_range_min),
    portRangeMax: numberOrNull(o.port_range_max),
    remoteIpPrefix: textOrNull(o.remote_ip_prefix),
    remoteGroupId: textOrNull(o.remote_group_id),
  };
}

export function securityGroupInfo(o: NeutronObject): SecurityGroupInfo {
  return {
    ...standard(o),
    stateful: o.stateful !== false,
    rules: records(o.security_group_rules).map((r) => ruleInfo({ ...r, id: text(r.id) })),
  };
}

export function floatingIpInfo(o: NeutronObject): FloatingIpInfo {
  const { name: _name, ...common } = standard(o);
  return {
    ...common,
    floatingIpAddress: text(o.floating_ip_address),
    floatingNetworkId: text(o.floating_network_id),
    portId: textOrNull(o.port_id),
    fixedIpAddress: textOrNull(o.fixed_ip_address),
    routerId: textOrNull(o.router_id),
    status: text(o.status),
  };
}

export function subnetPoolInfo(o: NeutronObject): SubnetPoolInfo {
  return {
    ...standard(o),
    prefixes: texts(o.prefixes),
    ipVersion: o.ip_version === 6 ? 6 : 4,
    defaultPrefixLength: numberOrNull(o.default_prefixlen) ?? 0,
    minPrefixLength: numberOrNull(o.min_prefixlen) ?? 0,
    maxPrefixLength: numberOrNull(o.max_prefixlen) ?? 0,
    defaultQuota: numberOrNull(o.default_quota),
    isDefault: o.is_default === true,
    shared: o.shared === true,
    addressScopeId: textOrNull(o.address_scope_id),
  };
}

export function addressScopeInfo(o: NeutronObject): AddressScopeInfo {
  return { ...standard(o), shared: o.shared === true, ipVersion: o.ip_version === 6 ? 6 : 4 };
}
