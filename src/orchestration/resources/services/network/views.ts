/**
 * Neutron's API representation of the network service's typed views: what
 * Heat's `show` attribute holds and where its other attributes come from
 * (Heat reads them from the same dict).
 */
import type {
  FloatingIpInfo,
  NetworkInfo,
  PortInfo,
  ResourceInfo,
  RouterInfo,
  SecurityGroupInfo,
  SecurityGroupRuleInfo,
  SubnetInfo,
} from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import { asJson } from '../support.js';

function standard(info: Omit<ResourceInfo, 'name'>): JsonObject {
  return { id: info.id, description: info.description, tenant_id: info.projectId, project_id: info.projectId, tags: info.tags };
}

export function networkView(n: NetworkInfo): JsonObject {
  return asJson({
    ...standard(n),
    name: n.name,
    status: n.status,
    admin_state_up: n.adminStateUp,
    shared: n.shared,
    'router:external': n.external,
    mtu: n.mtu,
    port_security_enabled: n.portSecurityEnabled,
    subnets: n.subnetIds,
  });
}

export function subnetView(s: SubnetInfo): JsonObject {
  return asJson({
    ...standard(s),
    name: s.name,
    network_id: s.networkId,
    ip_version: s.ipVersion,
    cidr: s.cidr,
    gateway_ip: s.gatewayIp,
    enable_dhcp: s.enableDhcp,
    dns_nameservers: s.dnsNameservers,
    host_routes: s.hostRoutes,
    allocation_pools: s.allocationPools,
    ipv6_ra_mode: s.ipv6RaMode,
    ipv6_address_mode: s.ipv6AddressMode,
    subnetpool_id: s.subnetPoolId,
  });
}

export function portView(p: PortInfo): JsonObject {
  return asJson({
    ...standard(p),
    name: p.name,
    network_id: p.networkId,
    mac_address: p.macAddress,
    fixed_ips: p.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    status: p.status,
    admin_state_up: p.adminStateUp,
    security_groups: p.securityGroupIds,
    port_security_enabled: p.portSecurityEnabled,
    allowed_address_pairs: p.allowedAddressPairs.map((pair) => ({ ip_address: pair.ipAddress, mac_address: pair.macAddress })),
    'binding:host_id': p.hostId,
    'binding:vif_type': p.vifType,
    'binding:vnic_type': p.vnicType,
  });
}

export function routerView(r: RouterInfo): JsonObject {
  const gateway = r.externalGateway;
  return asJson({
    ...standard(r),
    name: r.name,
    status: r.status,
    admin_state_up: r.adminStateUp,
    external_gateway_info: gateway && {
      network_id: gateway.networkId,
      enable_snat: gateway.enableSnat,
      external_fixed_ips: gateway.externalFixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    },
    routes: r.routes,
  });
}

export function ruleView(rule: SecurityGroupRuleInfo): JsonObject {
  return asJson({
    id: rule.id,
    security_group_id: rule.securityGroupId,
    tenant_id: rule.projectId,
    project_id: rule.projectId,
    description: rule.description,
    direction: rule.direction,
    ethertype: rule.ethertype,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    remote_group_id: rule.remoteGroupId,
  });
}

export function securityGroupView(g: SecurityGroupInfo): JsonObject {
  return asJson({ ...standard(g), name: g.name, stateful: g.stateful, security_group_rules: g.rules.map(ruleView) });
}

export function floatingIpView(f: FloatingIpInfo): JsonObject {
  return asJson({
    ...standard(f),
    floating_ip_address: f.floatingIpAddress,
    floating_network_id: f.floatingNetworkId,
    port_id: f.portId,
    fixed_ip_address: f.fixedIpAddress,
    router_id: f.routerId,
    status: f.status,
  });
}
