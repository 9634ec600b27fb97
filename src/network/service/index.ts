/**
 * The network service's operations: what its API calls, and what other
 * services (Nova creating ports, Heat) may call with the caller's context.
 */
import type { NetworkDeps } from './deps.js';
import { DhcpOps } from './dhcp.js';
import { NetworkOps } from './networks.js';
import { PortOps } from './ports.js';
import { FloatingIpOps } from './floating-ips.js';
import { QuotaOps } from './quotas.js';
import { RbacOps } from './rbac.js';
import { RouterOps } from './routers.js';
import { SecurityGroupOps } from './security-groups.js';
import { SubnetOps } from './subnets.js';
import { TagOps } from './tags.js';

export interface NetworkOperations {
  networks: NetworkOps;
  subnets: SubnetOps;
  ports: PortOps;
  securityGroups: SecurityGroupOps;
  quotas: QuotaOps;
  tags: TagOps;
  routers: RouterOps;
  floatingIps: FloatingIpOps;
  rbac: RbacOps;
}

export function networkOperations(deps: NetworkDeps): NetworkOperations {
  const networks = new NetworkOps(deps);
  const securityGroups = new SecurityGroupOps(deps);
  const subnets = new SubnetOps(deps, networks);
  const ports = new PortOps(deps, networks, securityGroups);
  subnets.dhcp = new DhcpOps(deps, ports);
  const routers = new RouterOps(deps, networks, subnets, ports);
  const floatingIps = new FloatingIpOps(deps, networks, ports, routers);
  const tags = new TagOps(deps, {
    router: (auth, id) => routers.getVisible(auth, id),
    floatingip: (auth, id) => floatingIps.getVisible(auth, id),
    network: (auth, id) => networks.getVisible(auth, id),
    subnet: (auth, id) => subnets.getVisible(auth, id),
    port: (auth, id) => ports.getVisible(auth, id),
    security_group: (auth, id) => securityGroups.getVisible(auth, id),
  });
  return { networks, subnets, ports, securityGroups, quotas: new QuotaOps(deps), tags, routers, floatingIps, rbac: new RbacOps(deps, networks) };
}

export type { NetworkDeps } from './deps.js';
