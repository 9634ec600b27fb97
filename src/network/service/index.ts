/**
 * The network service layer: what its API calls. Other services reach it only
 * through network/operations.ts, made from it by public-operations.ts.
 */
import { AddressScopeOps } from './address-scopes.js';
import { AgentOps } from './agents.js';
import { AutoAllocationOps } from './auto-allocation.js';
import type { NetworkDeps } from './deps.js';
import { DhcpOps } from './dhcp.js';
import { FlavorOps } from './flavors.js';
import { MeteringOps } from './metering.js';
import { NetworkOps } from './networks.js';
import { PortForwardingOps } from './port-forwardings.js';
import { PortOps } from './ports.js';
import { FloatingIpOps } from './floating-ips.js';
import { IpAvailabilityOps } from './ip-availability.js';
import { QosPolicyOps } from './qos-policies.js';
import { QosRuleOps } from './qos-rules.js';
import { QuotaOps } from './quotas.js';
import { Realisation } from './realisation.js';
import { RbacOps } from './rbac.js';
import { RouterOps } from './routers.js';
import { SecurityGroupOps } from './security-groups.js';
import { SegmentOps } from './segments.js';
import { ServiceProfileOps } from './service-profiles.js';
import { ServiceProviderOps } from './service-providers.js';
import { SubnetPoolOps } from './subnet-pools.js';
import { SubnetOps } from './subnets.js';
import { TagOps } from './tags.js';

export interface NetworkService {
  networks: NetworkOps;
  subnets: SubnetOps;
  ports: PortOps;
  securityGroups: SecurityGroupOps;
  quotas: QuotaOps;
  tags: TagOps;
  routers: RouterOps;
  floatingIps: FloatingIpOps;
  rbac: RbacOps;
  subnetPools: SubnetPoolOps;
  addressScopes: AddressScopeOps;
  ipAvailability: IpAvailabilityOps;
  portForwardings: PortForwardingOps;
  autoAllocation: AutoAllocationOps;
  serviceProviders: ServiceProviderOps;
  flavors: FlavorOps;
  serviceProfiles: ServiceProfileOps;
  agents: AgentOps;
  metering: MeteringOps;
  qosPolicies: QosPolicyOps;
  qosRules: QosRuleOps;
  segments: SegmentOps;
  realisation: Realisation;
}

export function networkService(deps: NetworkDeps): NetworkService {
  const realisation = new Realisation(deps);
  const qosPolicies = new QosPolicyOps(deps, realisation.qos);
  const networks = new NetworkOps(deps, realisation, qosPolicies);
  const securityGroups = new SecurityGroupOps(deps, realisation);
  const addressScopes = new AddressScopeOps(deps);
  const subnetPools = new SubnetPoolOps(deps, addressScopes);
  const subnets = new SubnetOps(deps, networks, subnetPools);
  const ports = new PortOps(deps, networks, securityGroups, realisation, qosPolicies);
  const dhcp = new DhcpOps(deps, ports, realisation);
  subnets.dhcp = dhcp;
  const serviceProviders = new ServiceProviderOps(deps);
  const flavors = new FlavorOps(deps, serviceProviders);
  const routers = new RouterOps(deps, networks, subnets, ports, realisation, flavors);
  const floatingIps = new FloatingIpOps(deps, networks, ports, routers, realisation);
  const tags = new TagOps(deps, {
    router: (auth, id) => routers.getVisible(auth, id),
    floatingip: (auth, id) => floatingIps.getVisible(auth, id),
    network: (auth, id) => networks.getVisible(auth, id),
    subnet: (auth, id) => subnets.getVisible(auth, id),
    port: (auth, id) => ports.getVisible(auth, id),
    security_group: (auth, id) => securityGroups.getVisible(auth, id),
    subnetpool: (auth, id) => subnetPools.getVisible(auth, id),
  });
  return {
    networks,
    subnets,
    ports,
    securityGroups,
    quotas: new QuotaOps(deps),
    tags,
    routers,
    floatingIps,
    rbac: new RbacOps(deps, networks),
    subnetPools,
    addressScopes,
    ipAvailability: new IpAvailabilityOps(deps),
    portForwardings: new PortForwardingOps(deps, floatingIps, ports, routers),
    autoAllocation: new AutoAllocationOps(deps, networks, subnets, subnetPools, routers),
    serviceProviders,
    flavors,
    serviceProfiles: new ServiceProfileOps(deps, serviceProviders, flavors),
    agents: new AgentOps(deps, dhcp, networks, routers),
    metering: new MeteringOps(deps),
    qosPolicies,
    qosRules: new QosRuleOps(deps, qosPolicies, realisation.qos),
    segments: new SegmentOps(deps),
    realisation,
  };
}

export type { NetworkDeps } from './deps.js';
