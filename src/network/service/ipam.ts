/**
 * IPAM: picks addresses for a port and records them in
 * `neutron_ip_allocation`, whose primary key (subnet, address) makes a double
 * allocation impossible. The caller runs this inside its transaction and
 * retries the whole transaction when a concurrent one took the same address
 * first (a unique violation); addresses come back when the port's
 * allocations are deleted with it.
 */
import { errors, invalidInput } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb } from '../store/index.js';
import { cidrContains, formatIp, parseIp } from '../../core/net/ip.js';
import { isAutoAddressSubnet, subnetCidr, type Subnet } from './subnets.js';

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** A requested fixed IP: by subnet, by address, or both. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/** Neutron's `max_fixed_ips_per_port`. */
const MAX_FIXED_IPS_PER_PORT = 5;

export function parseFixedIps(raw: unknown): FixedIpRequest[] {
  if (!Array.isArray(raw)) throw errors.invalidAttribute('fixed_ips', 'Invalid data format for fixed IP: it must be a list');
  if (raw.length > MAX_FIXED_IPS_PER_PORT) throw invalidInput('Exceeded maximum amount of fixed ips per port');
  return raw.map((item) => {
    const entry = item as Record<string, unknown> | null;
    if (!entry || typeof entry !== 'object') throw errors.invalidAttribute('fixed_ips', `Invalid data format for fixed IP: '${JSON.stringify(item)}'`);
    for (const key of Object.keys(entry)) {
      if (key !== 'subnet_id' && key !== 'ip_address') throw errors.invalidAttribute('fixed_ips', `Unrecognized attribute '${key}'`);
    }
    if (entry.subnet_id !== undefined && typeof entry.subnet_id !== 'string') {
      throw errors.invalidAttribute('fixed_ips', `'${JSON.stringify(entry.subnet_id)}' is not a valid UUID`);
    }
    if (entry.ip_address !== undefined && (typeof entry.ip_address !== 'string' || !parseIp(entry.ip_address))) {
      throw errors.invalidAttribute('fixed_ips', `'${String(entry.ip_address)}' is not a valid IP address`);
    }
    return {
      ...(entry.subnet_id !== undefined && { subnet_id: String(entry.subnet_id) }),
      ...(entry.ip_address !== undefined && { ip_address: entry.ip_address as string }),
    };
  });
}

/** The EUI-64 address of `mac` in a /64 (SLAAC). */
export function eui64(prefix: bigint, mac: string): bigint {
  const bytes = mac.split(':').map((b) => Number.parseInt(b, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = bytes;
  const iid = [b0 ^ 0x02, b1, b2, 0xff, 0xfe, b3, b4, b5].reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  return prefix | iid;
}

export class Ipam {
  /**
   * Allocates the port's addresses on `subnets` (all subnets of its network).
   * No request: one address of the first IPv4 subnet with room, one of the
   * first stateful IPv6 subnet with room, and the SLAAC address of every
   * auto-address subnet.
   */
  async allocate(
    trx: NetworkDb,
    networkId: string,
    portId: string,
    mac: string,
    subnets: Subnet[],
    requests: FixedIpRequest[] | undefined,
  ): Promise<FixedIp[]> {
    const result: FixedIp[] = [];
    const take = async (subnet: Subnet, address: string, explicit: boolean) => {
      const used = await store.allocatedAddresses(trx, subnet.id);
      if (used.has(address)) {
        if (explicit) throw errors.ipAddressInUse(address, networkId);
        return false;
      }
      await store.insertAllocation(trx, { subnetId: subnet.id, ipAddress: address, networkId, portId });
      result.push({ subnet_id: subnet.id, ip_address: address });
      return true;
    };
    /**
     * Takes a free address of the subnet, picking again when a concurrent
     * port took the one picked between the two reads (each read sees it
     * taken, so this ends); false only when the pools are full.
     */
    const takeFree = async (subnet: Subnet) => {
      for (let address = await this.#freeAddress(trx, subnet); address !== null; address = await this.#freeAddress(trx, subnet)) {
        if (await take(subnet, address, false)) return true;
      }
      return false;
    };

    if (requests === undefined) {
      const autoV6 = subnets.filter(isAutoAddressSubnet);
      for (const version of [4, 6] as const) {
        const candidates = subnets.filter((s) => s.attrs.ip_version === version && !isAutoAddressSubnet(s));
        if (candidates.length === 0) continue;
        let taken = false;
        for (const subnet of candidates) {
          taken = await takeFree(subnet);
          if (taken) break;
        }
        if (!taken) throw errors.ipAddressGenerationFailure(networkId);
      }
      for (const subnet of autoV6) await take(subnet, formatIp(6, eui64(subnetCidr(subnet).network, mac)), true);
      return result;
    }

    for (const request of requests) {
      let subnet: Subnet | undefined;
      if (request.subnet_id !== undefined) {
        subnet = subnets.find((s) => s.id === request.subnet_id);
        if (!subnet) {
          throw invalidInput(`Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${request.subnet_id}`);
        }
      }
      if (request.ip_address !== undefined) {
        const ip = parseIp(request.ip_address);
        if (!ip) throw errors.invalidIpForNetwork(request.ip_address);
        const address = formatIp(ip.version, ip.value);
        if (subnet) {
          if (!cidrContains(subnetCidr(subnet), ip.version, ip.value)) throw errors.invalidIpForSubnet(request.ip_address);
        } else {
          subnet = subnets.find((s) => cidrContains(subnetCidr(s), ip.version, ip.value));
          if (!subnet) throw errors.invalidIpForNetwork(request.ip_address);
        }
        const cidr = subnetCidr(subnet);
        if (ip.value === cidr.network || (cidr.version === 4 && ip.value === cidr.network + (1n << BigInt(32 - cidr.prefixLen)) - 1n)) {
          throw errors.invalidIpForSubnet(request.ip_address);
        }
        await take(subnet, address, true);
      } else if (subnet && isAutoAddressSubnet(subnet)) {
        await take(subnet, formatIp(6, eui64(subnetCidr(subnet).network, mac)), true);
      } else if (subnet) {
        if (!(await takeFree(subnet))) throw errors.ipAddressGenerationFailure(networkId);
      } else {
        throw errors.invalidAttribute('fixed_ips', 'a fixed IP needs a subnet_id or an ip_address');
      }
    }
    return result;
  }

  /**
   * A free address of the subnet's pools, or null when they are full. It is
   * picked at random among the first free ones, so concurrent transactions
   * on PostgreSQL rarely collide (and retry when they do).
   */
  async #freeAddress(trx: NetworkDb, subnet: Subnet): Promise<string | null> {
    const used = await store.allocatedAddresses(trx, subnet.id);
    const version = subnet.attrs.ip_version;
    const free: string[] = [];
    for (const pool of subnet.attrs.allocation_pools) {
      const start = parseIp(pool.start)?.value ?? 0n;
      const end = parseIp(pool.end)?.value ?? -1n;
      for (let value = start; value <= end && free.length < 8; value++) {
        const address = formatIp(version, value);
        if (!used.has(address)) free.push(address);
      }
      if (free.length >= 8) break;
    }
    if (free.length === 0) return null;
    return free[Math.floor(Math.random() * free.length)] ?? null;
  }
}
