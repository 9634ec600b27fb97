/**
 * Network IP availability (the network-ip-availability extension, admin
 * only): per network and per subnet, how many addresses the allocation pools
 * hold (the whole CIDR when a subnet has no pool) and how many are allocated.
 * Totals are bigints: an IPv6 /64 holds more than a JSON double can count.
 */
import type { CallerContext } from '../../core/context.js';
import { notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import { bits, parseCidr, parseIp } from '../../core/net/ip.js';
import type { SubnetAttrs } from './subnets.js';

export interface SubnetAvailability {
  subnet_id: string;
  subnet_name: string;
  ip_version: number;
  cidr: string;
  total_ips: bigint;
  used_ips: number;
}

export interface NetworkAvailability extends Record<string, unknown> {
  network_id: string;
  network_name: string;
  project_id: string;
  tenant_id: string;
  total_ips: bigint;
  used_ips: number;
  subnet_ip_availability: SubnetAvailability[];
}

function totalIps(subnet: Resource<SubnetAttrs>): bigint {
  const pools = subnet.attrs.allocation_pools;
  if (pools.length === 0) {
    const cidr = parseCidr(subnet.attrs.cidr);
    return cidr ? 1n << BigInt(bits(cidr.version) - cidr.prefixLen) : 0n;
  }
  return pools.reduce((sum, p) => sum + ((parseIp(p.end)?.value ?? 0n) - (parseIp(p.start)?.value ?? 0n) + 1n), 0n);
}

export class IpAvailabilityOps {
  constructor(private readonly deps: NetworkDeps) {}

  /** Every network's availability; a non-admin sees none (Neutron filters items it may not show). */
  async list(auth: CallerContext, ipVersions: number[] = []): Promise<NetworkAvailability[]> {
    if (!this.deps.access.allowed(auth, 'get_network_ip_availability', {})) return [];
    const networks = await store.listResources(this.deps.db, 'network');
    const all = await this.#availability(networks, ipVersions);
    // Filtering by IP version keeps only networks with a subnet of that version (Neutron's inner join).
    return ipVersions.length > 0 ? all.filter((n) => n.subnet_ip_availability.length > 0) : all;
  }

  async get(auth: CallerContext, networkId: string): Promise<NetworkAvailability> {
    if (!this.deps.access.allowed(auth, 'get_network_ip_availability', {})) throw notFound.resource();
    const network = await store.getResource(this.deps.db, 'network', networkId);
    if (!network) throw notFound.network(networkId);
    const [availability] = await this.#availability([network], []);
    if (!availability) throw notFound.network(networkId);
    return availability;
  }

  async #availability(networks: Resource[], ipVersions: number[]): Promise<NetworkAvailability[]> {
    const subnets = (await store.listResources<SubnetAttrs>(this.deps.db, 'subnet', { parentIds: networks.map((n) => n.id) })).filter(
      (s) => ipVersions.length === 0 || ipVersions.includes(s.attrs.ip_version),
    );
    const used = await store.allocationCounts(
      this.deps.db,
      subnets.map((s) => s.id),
    );
    return networks.map((network) => {
      const own: SubnetAvailability[] = subnets
        .filter((s) => s.parentId === network.id)
        .map((s) => ({
          subnet_id: s.id,
          subnet_name: s.name,
          ip_version: s.attrs.ip_version,
          cidr: s.attrs.cidr,
          total_ips: totalIps(s),
          used_ips: used.get(s.id) ?? 0,
        }));
      return {
        network_id: network.id,
        network_name: network.name,
        project_id: network.projectId,
        tenant_id: network.projectId,
        total_ips: own.reduce((sum, s) => sum + s.total_ips, 0n),
        used_ips: own.reduce((sum, s) => sum + s.used_ips, 0),
        subnet_ip_availability: own,
      };
    });
  }
}
