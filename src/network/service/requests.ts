/**
 * The typed requests of operations.ts as the Neutron bodies the service layer
 * takes (the same bodies the REST API passes it), so an in-process caller is
 * checked, authorised and charged exactly as an API request is.
 */
import type {
  CreateAddressScopeRequest,
  CreateFloatingIpRequest,
  CreateNetworkRequest,
  CreatePortRequest,
  CreateRouterRequest,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRuleRequest,
  CreateSubnetPoolRequest,
  CreateSubnetRequest,
  FixedIpRequest,
  RouterGatewayRequest,
  UpdateNetworkRequest,
  UpdatePortRequest,
  UpdateRouterRequest,
  UpdateAddressScopeRequest,
  UpdateSecurityGroupRequest,
  UpdateSubnetPoolRequest,
  UpdateSubnetRequest,
} from '../operations.js';

type Body = Record<string, unknown>;

/** The body without the fields the request left out (absent means "not given", as in Neutron). */
function given(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

const fixedIps = (ips: FixedIpRequest[] | undefined) => ips?.map((ip) => given({ subnet_id: ip.subnetId, ip_address: ip.ipAddress }));

export function networkBody(request: CreateNetworkRequest | UpdateNetworkRequest): Body {
  const create = request as CreateNetworkRequest;
  return given({
    name: request.name,
    description: request.description,
    admin_state_up: request.adminStateUp,
    shared: request.shared,
    'router:external': request.external,
    mtu: request.mtu,
    port_security_enabled: request.portSecurityEnabled,
    'provider:network_type': create.networkType,
    'provider:physical_network': create.physicalNetwork,
    'provider:segmentation_id': create.segmentationId,
    project_id: create.projectId,
  });
}

export function subnetBody(request: CreateSubnetRequest | UpdateSubnetRequest): Body {
  const create = request as CreateSubnetRequest;
  return given({
    network_id: create.networkId,
    ip_version: create.ipVersion,
    cidr: create.cidr,
    name: request.name,
    description: request.description,
    gateway_ip: request.gatewayIp,
    enable_dhcp: request.enableDhcp,
    dns_nameservers: request.dnsNameservers,
    host_routes: request.hostRoutes,
    allocation_pools: request.allocationPools,
    ipv6_ra_mode: create.ipv6RaMode,
    ipv6_address_mode: create.ipv6AddressMode,
    subnetpool_id: create.subnetPoolId,
    prefixlen: create.prefixLength,
    project_id: create.projectId,
  });
}

export function portBody(request: CreatePortRequest | UpdatePortRequest): Body {
  const create = request as CreatePortRequest;
  return given({
    network_id: create.networkId,
    name: request.name,
    description: request.description,
    admin_state_up: request.adminStateUp,
    mac_address: request.macAddress,
    fixed_ips: fixedIps(request.fixedIps),
    security_groups: request.securityGroupIds,
    port_security_enabled: request.portSecurityEnabled,
    allowed_address_pairs: request.allowedAddressPairs?.map((p) => given({ ip_address: p.ipAddress, mac_address: p.macAddress })),
    device_id: request.deviceId,
    device_owner: request.deviceOwner,
    'binding:vnic_type': create.vnicType,
    project_id: create.projectId,
  });
}

export function gatewayBody(gateway: RouterGatewayRequest | null): Body | null {
  return gateway && given({ network_id: gateway.networkId, enable_snat: gateway.enableSnat, external_fixed_ips: fixedIps(gateway.externalFixedIps) });
}

export function routerBody(request: CreateRouterRequest | UpdateRouterRequest): Body {
  return given({
    name: request.name,
    description: request.description,
    admin_state_up: request.adminStateUp,
    external_gateway_info: request.externalGateway === undefined ? undefined : gatewayBody(request.externalGateway),
    routes: (request as UpdateRouterRequest).routes,
    project_id: (request as CreateRouterRequest).projectId,
  });
}

export function securityGroupBody(request: CreateSecurityGroupRequest | UpdateSecurityGroupRequest): Body {
  return given({
    name: request.name,
    description: request.description,
    stateful: request.stateful,
    project_id: (request as CreateSecurityGroupRequest).projectId,
  });
}

export function ruleBody(request: CreateSecurityGroupRuleRequest): Body {
  return given({
    security_group_id: request.securityGroupId,
    direction: request.direction,
    ethertype: request.ethertype,
    protocol: request.protocol,
    port_range_min: request.portRangeMin,
    port_range_max: request.portRangeMax,
    remote_ip_prefix: request.remoteIpPrefix,
    remote_group_id: request.remoteGroupId,
    description: request.description,
  });
}

export function floatingIpBody(request: CreateFloatingIpRequest): Body {
  return given({
    floating_network_id: request.floatingNetworkId,
    port_id: request.portId,
    fixed_ip_address: request.fixedIpAddress,
    floating_ip_address: request.floatingIpAddress,
    subnet_id: request.subnetId,
    description: request.description,
    project_id: request.projectId,
  });
}

export function subnetPoolBody(request: CreateSubnetPoolRequest | UpdateSubnetPoolRequest): Body {
  const create = request as CreateSubnetPoolRequest;
  return given({
    name: request.name,
    prefixes: request.prefixes,
    default_prefixlen: request.defaultPrefixLength,
    min_prefixlen: request.minPrefixLength,
    max_prefixlen: request.maxPrefixLength,
    default_quota: request.defaultQuota,
    is_default: request.isDefault,
    address_scope_id: request.addressScopeId,
    shared: create.shared,
    project_id: create.projectId,
  });
}

export function addressScopeBody(request: CreateAddressScopeRequest | UpdateAddressScopeRequest): Body {
  const create = request as CreateAddressScopeRequest;
  return given({ name: request.name, shared: request.shared, ip_version: create.ipVersion, project_id: create.projectId });
}
