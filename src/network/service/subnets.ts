/**
 * Subnets: CIDR, gateway (auto, explicit, none), allocation pools checked
 * against the CIDR, the gateway and each other, host routes, DNS servers,
 * IPv6 address modes, and Neutron's rule that subnets of one network never
 * overlap.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, invalidInput, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { owningProject, readable, reserve, targetOf, type PolicyTarget } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { cidrContains, cidrsOverlap, formatCidr, formatIp, lastAddress, parseCidr, parseIp, type Cidr, type IpVersion } from '../../core/net/ip.js';
import type { Network, NetworkOps } from './networks.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import type { SubnetPool, SubnetPoolOps } from './subnet-pools.js';

export interface Pool {
  start: string;
  end: string;
}

export interface SubnetAttrs extends Record<string, unknown> {
  description: string;
  network_id: string;
  ip_version: IpVersion;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: Pool[];
  host_routes: Array<{ destination: string; nexthop: string }>;
  dns_nameservers: string[];
  enable_dhcp: boolean;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  service_types: string[];
  segment_id: string | null;
}

export type Subnet = Resource<SubnetAttrs>;

export const SUBNET_ATTRS: AttrMap = {
  network_id: { type: 'string', create: true },
  ip_version: { type: 'integer', create: true },
  cidr: { type: 'string', create: true },
  gateway_ip: { type: 'nullable-string', create: true, update: true },
  allocation_pools: { type: 'list', create: true, update: true },
  host_routes: { type: 'list', create: true, update: true },
  dns_nameservers: { type: 'list', create: true, update: true },
  enable_dhcp: { type: 'boolean', create: true, update: true },
  ipv6_ra_mode: { type: 'nullable-string', create: true },
  ipv6_address_mode: { type: 'nullable-string', create: true },
  subnetpool_id: { type: 'nullable-string', create: true },
  prefixlen: { type: 'integer', create: true },
  service_types: { type: 'string-list', create: true, update: true },
  segment_id: { type: 'nullable-string', create: true },
  use_default_subnetpool: { type: 'boolean', create: true },
};

const IPV6_MODES = ['slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'];

/** neutron-lib's BadRequest(resource='subnets'): "Bad subnets request: <msg>." */
const badSubnets = (message: string) => errors.badResourceRequest('subnets', message);

export function subnetCidr(subnet: Subnet): Cidr {
  return parseCidr(subnet.attrs.cidr) as Cidr;
}

/** True for IPv6 subnets whose addresses come from the MAC (EUI-64), not from the pools. */
export function isAutoAddressSubnet(subnet: Subnet): boolean {
  return subnet.attrs.ip_version === 6 && (subnet.attrs.ipv6_address_mode === 'slaac' || subnet.attrs.ipv6_address_mode === 'dhcpv6-stateless');
}

/** What subnet changes tell the DHCP ports (set once the port operations exist). */
export interface DhcpHooks {
  subnetEnabled(subnet: Subnet): Promise<void>;
  subnetDisabled(networkId: string, subnetId: string): Promise<void>;
  subnetChanged(networkId: string): Promise<void>;
}

export class SubnetOps {
  dhcp: DhcpHooks | null = null;

  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
    private readonly pools: SubnetPoolOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(SUBNET_ATTRS, body);
    if (typeof input.network_id !== 'string') throw errors.invalidAttribute('network_id', "'None' is not a valid UUID");
    const network = await this.networks.getVisible(auth, input.network_id);
    const projectId = owningProject(this.deps, auth, input, 'create_subnet', {
      'network:project_id': network.projectId,
      'network:tenant_id': network.projectId,
    });
    if (input.service_types !== undefined) this.deps.access.authorize(auth, 'create_subnet:service_types', { project_id: projectId });
    const segmentId = (input.segment_id as string | null | undefined) ?? null;
    if (segmentId !== null) this.deps.access.authorize(auth, 'create_subnet:segment_id', { project_id: projectId });
    const version = input.ip_version;
    if (version !== 4 && version !== 6) throw errors.invalidAttribute('ip_version', `${String(version)} is not in [4, 6]`);
    if (input.cidr !== undefined && input.prefixlen !== undefined) throw badSubnets('cidr and prefixlen must not be supplied together');
    const requested = input.cidr !== undefined ? this.#checkCidr(input.cidr as string, version) : null;
    const pool = await this.#pool(auth, input, version);
    if (!pool && !requested) throw badSubnets('a subnetpool must be specified in the absence of a cidr');
    if (pool && !requested && input.allocation_pools !== undefined) throw badSubnets('allocation_pools allowed only for specific subnet requests.');
    if (pool && pool.attrs.ip_version !== version) throw badSubnets(`Cannot allocate IPv${version} subnet from IPv${pool.attrs.ip_version} subnet pool`);
    const prefixLen = (input.prefixlen as number | undefined) ?? pool?.attrs.default_prefixlen;
    if (!requested && version === 4 && (prefixLen ?? 0) > 30)
      throw invalidInput(`Invalid prefix length /${String(prefixLen)} for IPv4 subnet: prefix too long`);

    const subnet = await this.deps.db.transaction().execute(async (trx) => {
      await reserve(this.deps, trx, projectId, { subnet: 1 });
      const others = await store.listResources<SubnetAttrs>(trx, 'subnet', { parentId: network.id });
      if (others.some((o) => o.attrs.ip_version === version && o.attrs.subnetpool_id !== (pool?.id ?? null))) throw errors.networkSubnetPoolAffinity();
      await checkSegment(trx, network.id, segmentId, others);
      let cidr = requested;
      if (pool)
        cidr = await this.pools.allocate(trx, pool.id, projectId, requested ? { cidr: requested } : { prefixLen: prefixLen ?? pool.attrs.default_prefixlen });
      if (!cidr) throw badSubnets('a subnetpool must be specified in the absence of a cidr');
      for (const other of others) {
        if (cidrsOverlap(subnetCidr(other), cidr)) {
          throw invalidInput(`Requested subnet with cidr: ${formatCidr(cidr)} for network: ${network.id} overlaps with another subnet`);
        }
      }
      const attrs = { ...this.#newAttrs(input, network.id, cidr, pool?.id ?? null), segment_id: segmentId };
      return store.insertResource<SubnetAttrs>(trx, {
        id: uuid(),
        kind: 'subnet',
        projectId,
        parentId: network.id,
        name: (input.name as string | undefined) ?? '',
        attrs,
      });
    });
    if (subnet.attrs.enable_dhcp) await this.dhcp?.subnetEnabled(subnet);
    await this.dhcp?.subnetChanged(network.id);
    return this.#view(auth, subnet);
  }

  /** Neutron shows a subnet's segment to admins only (`get_subnet:segment_id`). */
  #view(auth: CallerContext, subnet: Subnet): NeutronObject {
    const object = toObject(subnet, { segment_id: subnet.attrs.segment_id ?? null });
    if (!this.deps.access.allowed(auth, 'get_subnet:segment_id', object)) delete object.segment_id;
    return object;
  }

  /**
   * The CIDR as given, checked as Neutron's validate_subnet does: it must have
   * a prefix and, for IPv4, be written canonically (`010.0.0.0/24` is not).
   * Host bits are allowed (`10.99.99.0/16`): the subnet keeps the network
   * address, `10.99.0.0/16`, as Neutron stores it.
   */
  #checkCidr(cidrText: string, version: IpVersion): Cidr {
    const cidr = parseCidr(cidrText);
    if (!cidr) throw errors.invalidAttribute('cidr', `'${cidrText}' is not a valid IP subnet`);
    const slash = cidrText.indexOf('/');
    const address = slash < 0 ? null : parseIp(cidrText.slice(0, slash));
    const canonical = address ? `${formatIp(address.version, address.value)}/${cidr.prefixLen}` : null;
    if (canonical === null || (cidr.version === 4 && canonical !== cidrText)) {
      throw errors.invalidAttribute('cidr', `'${cidrText}' isn't a recognized IP subnet cidr, '${formatCidr(cidr)}' is recommended`);
    }
    if (cidr.version !== version) throw invalidInput('Cidr and IP version do not match (ip_version mismatch)');
    if (version === 4 && cidr.prefixLen > 30) throw invalidInput(`Invalid CIDR ${cidrText} for IPv4 subnet: prefix too long`);
    return cidr;
  }

  /** The pool named by subnetpool_id, or the default one (use_default_subnetpool), or null. */
  async #pool(auth: CallerContext, input: Record<string, unknown>, version: IpVersion): Promise<SubnetPool | null> {
    const poolId = (input.subnetpool_id as string | null | undefined) ?? null;
    if (input.use_default_subnetpool === true && poolId) throw badSubnets('subnetpool_id and use_default_subnetpool cannot both be specified');
    if (poolId) return this.pools.getVisible(auth, poolId);
    if (input.use_default_subnetpool !== true) return null;
    const pool = await this.pools.defaultPool(this.deps.db, version);
    if (!pool) throw badSubnets(`No default subnetpool found for IPv${version}`);
    return pool;
  }

  #newAttrs(input: Record<string, unknown>, networkId: string, cidr: Cidr, subnetpoolId: string | null): SubnetAttrs {
    const version = cidr.version;
    const raMode = (input.ipv6_ra_mode as string | null | undefined) ?? null;
    const addressMode = (input.ipv6_address_mode as string | null | undefined) ?? null;
    this.#checkIpv6Modes(version, cidr, raMode, addressMode);
    const gateway = this.#gateway(input, cidr);
    const pools = input.allocation_pools !== undefined ? this.#checkPools(input.allocation_pools as unknown[], cidr, gateway) : defaultPools(cidr, gateway);
    return {
      description: (input.description as string | undefined) ?? '',
      network_id: networkId,
      ip_version: version,
      cidr: formatCidr(cidr),
      gateway_ip: gateway,
      allocation_pools: pools,
      host_routes: this.#checkRoutes((input.host_routes as unknown[] | undefined) ?? [], version),
      dns_nameservers: this.#checkNameservers((input.dns_nameservers as unknown[] | undefined) ?? [], version),
      enable_dhcp: (input.enable_dhcp as boolean | undefined) ?? true,
      ipv6_ra_mode: raMode,
      ipv6_address_mode: addressMode,
      subnetpool_id: subnetpoolId,
      service_types: (input.service_types as string[] | undefined) ?? [],
      segment_id: null,
    };
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return this.#view(auth, await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    // External networks are visible to all, their subnets only where shared (Neutron's rule).
    const targets = new Map<string, PolicyTarget>();
    for (const network of await this.networks.listVisible(auth)) {
      if (await this.networks.isSharedWith(auth, network)) targets.set(network.id, await this.networks.policyTarget(auth, network));
    }
    const subnets = await store.listResources<SubnetAttrs>(this.deps.db, 'subnet', { parentIds: [...targets.keys()] });
    return subnets.filter((s) => readable(this.deps, auth, 'subnet', subnetTarget(s, targets.get(s.parentId ?? '') ?? {}))).map((s) => this.#view(auth, s));
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(SUBNET_ATTRS, body);
    const subnet = await this.getVisible(auth, id);
    await this.#authorize(auth, subnet, 'update_subnet');
    if (input.service_types !== undefined) await this.#authorize(auth, subnet, 'update_subnet:service_types');
    checkRevision(subnet, ifMatch, errors.revisionMismatch);
    const cidr = subnetCidr(subnet);
    const attrs = { ...subnet.attrs };
    if (input.description !== undefined) attrs.description = input.description as string;
    if (input.gateway_ip !== undefined) attrs.gateway_ip = this.#gateway(input, cidr);
    if (input.allocation_pools !== undefined) attrs.allocation_pools = this.#checkPools(input.allocation_pools as unknown[], cidr, attrs.gateway_ip);
    else if (input.gateway_ip !== undefined) this.#checkGatewayOutsidePools(attrs.gateway_ip, attrs.allocation_pools, cidr);
    if (input.host_routes !== undefined) attrs.host_routes = this.#checkRoutes(input.host_routes as unknown[], attrs.ip_version);
    if (input.dns_nameservers !== undefined) attrs.dns_nameservers = this.#checkNameservers(input.dns_nameservers as unknown[], attrs.ip_version);
    if (input.enable_dhcp !== undefined) attrs.enable_dhcp = input.enable_dhcp as boolean;
    if (input.service_types !== undefined) attrs.service_types = input.service_types as string[];
    const updated = await store.saveResource(this.deps.db, { ...subnet, name: (input.name as string | undefined) ?? subnet.name, attrs });
    if (updated.attrs.enable_dhcp && !subnet.attrs.enable_dhcp) await this.dhcp?.subnetEnabled(updated);
    if (!updated.attrs.enable_dhcp && subnet.attrs.enable_dhcp) await this.dhcp?.subnetDisabled(updated.attrs.network_id, updated.id);
    await this.dhcp?.subnetChanged(updated.attrs.network_id);
    return this.#view(auth, updated);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const subnet = await this.getVisible(auth, id);
    await this.#authorize(auth, subnet, 'delete_subnet');
    checkRevision(subnet, ifMatch, errors.revisionMismatch);
    // A SLAAC or DHCPv6-stateless subnet's addresses are derived, not handed out: Neutron takes them off the ports and deletes it anyway.
    const autoAddress = isAutoAddressSubnet(subnet);
    const blockingOf = (ports: Resource[]) => {
      const blocking = ports.filter((p) => p.attrs.device_owner !== 'network:dhcp');
      if (blocking.some((p) => String(p.attrs.device_owner).startsWith('network:router_interface'))) {
        throw errors.subnetInUse(id, 'One or more ports have an IP allocation from this subnet.');
      }
      if (blocking.length > 0 && !autoAddress) throw errors.subnetInUse(id);
      return blocking;
    };
    blockingOf(await this.#portsOnSubnet(this.deps.db, id));
    await this.dhcp?.subnetDisabled(subnet.attrs.network_id, id);
    await this.deps.db.transaction().execute(async (trx) => {
      for (const port of blockingOf(await this.#portsOnSubnet(trx, id))) {
        const fixedIps = port.attrs.fixed_ips as Array<{ subnet_id: string; ip_address: string }>;
        for (const ip of fixedIps.filter((f) => f.subnet_id === id)) await store.deleteAllocation(trx, id, ip.ip_address);
        await store.saveResource(trx, { ...port, attrs: { ...port.attrs, fixed_ips: fixedIps.filter((f) => f.subnet_id !== id) } });
      }
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, subnet.projectId, { subnet: 1 });
    });
    await this.dhcp?.subnetChanged(subnet.attrs.network_id);
  }

  async #portsOnSubnet(db: NetworkDb, subnetId: string): Promise<Resource[]> {
    const allocations = await store.allocationsOfSubnet(db, subnetId);
    return store.listResources(db, 'port', { ids: [...new Set(allocations.map((a) => a.portId))] });
  }

  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<Subnet> {
    const subnet = await store.getResource<SubnetAttrs>(db, 'subnet', id);
    if (!subnet) throw notFound.subnet(id);
    const network = await store.getResource(db, 'network', subnet.parentId ?? '');
    if (!network || !(await this.networks.isSharedWith(auth, network as Network))) throw notFound.subnet(id);
    if (!readable(this.deps, auth, 'subnet', subnetTarget(subnet, await this.networks.policyTarget(auth, network as Network)))) throw notFound.subnet(id);
    return subnet;
  }

  async #authorize(auth: CallerContext, subnet: Subnet, action: string): Promise<void> {
    const network = await this.networks.getVisible(auth, subnet.attrs.network_id);
    this.deps.access.authorize(auth, action, subnetTarget(subnet, await this.networks.policyTarget(auth, network)));
  }

  #gateway(input: Record<string, unknown>, cidr: Cidr): string | null {
    if (input.gateway_ip === null) return null;
    if (input.gateway_ip === undefined) return formatIp(cidr.version, cidr.network + 1n);
    const ip = parseIp(input.gateway_ip as string);
    if (!ip || ip.version !== cidr.version) throw errors.invalidAttribute('gateway_ip', `'${String(input.gateway_ip)}' is not a valid IP address`);
    if (cidrContains(cidr, ip.version, ip.value) && (ip.value === cidr.network || (cidr.version === 4 && ip.value === lastAddress(cidr)))) {
      throw invalidInput(`Gateway is not valid on subnet`);
    }
    return formatIp(ip.version, ip.value);
  }

  #checkIpv6Modes(version: number, cidr: Cidr, raMode: string | null, addressMode: string | null): void {
    for (const [name, mode] of [
      ['ipv6_ra_mode', raMode],
      ['ipv6_address_mode', addressMode],
    ] as const) {
      if (mode === null) continue;
      if (!IPV6_MODES.includes(mode)) throw errors.invalidAttribute(name, `'${mode}' is not in ${JSON.stringify(IPV6_MODES)}`);
      if (version !== 6) throw invalidInput(`${name} set to '${mode}' with ip_version set to '4' is not valid. Modes can only be set for IPv6 subnets`);
    }
    if (raMode !== null && addressMode !== null && raMode !== addressMode) {
      throw invalidInput(
        `ipv6_ra_mode set to '${raMode}' with ipv6_address_mode set to '${addressMode}' is not valid. If both attributes are set, they must be the same value`,
      );
    }
    const mode = addressMode ?? raMode;
    if ((mode === 'slaac' || mode === 'dhcpv6-stateless') && cidr.prefixLen !== 64) {
      throw invalidInput(
        `Invalid CIDR ${formatCidr(cidr)} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`,
      );
    }
  }

  #checkPools(raw: unknown[], cidr: Cidr, gateway: string | null): Pool[] {
    const pools = raw.map((p) => {
      const pool = p as { start?: unknown; end?: unknown };
      const start = typeof pool?.start === 'string' ? parseIp(pool.start) : null;
      const end = typeof pool?.end === 'string' ? parseIp(pool.end) : null;
      const text = `${String(pool?.start)}-${String(pool?.end)}`;
      if (!start || !end || start.version !== cidr.version || end.version !== cidr.version || start.value > end.value) throw errors.invalidAllocationPool(text);
      if (
        !cidrContains(cidr, start.version, start.value) ||
        !cidrContains(cidr, end.version, end.value) ||
        start.value === cidr.network ||
        (cidr.version === 4 && end.value === lastAddress(cidr))
      ) {
        throw errors.outOfBoundsAllocationPool(text, formatCidr(cidr));
      }
      return { start: start.value, end: end.value, text, pool: { start: formatIp(cidr.version, start.value), end: formatIp(cidr.version, end.value) } };
    });
    const sorted = [...pools].sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (previous && current && current.start <= previous.end) throw errors.overlappingAllocationPools(previous.text, current.text, formatCidr(cidr));
    }
    const result = pools.map((p) => p.pool);
    this.#checkGatewayOutsidePools(gateway, result, cidr);
    return result;
  }

  #checkGatewayOutsidePools(gateway: string | null, pools: Pool[], cidr: Cidr): void {
    if (gateway === null) return;
    const gw = parseIp(gateway);
    if (!gw) return;
    for (const pool of pools) {
      const start = parseIp(pool.start)?.value ?? 0n;
      const end = parseIp(pool.end)?.value ?? 0n;
      if (gw.value >= start && gw.value <= end) throw errors.gatewayConflictWithAllocationPools(gateway, `${pool.start}-${pool.end}`);
    }
    void cidr;
  }

  #checkRoutes(raw: unknown[], version: number): Array<{ destination: string; nexthop: string }> {
    if (raw.length > MAX_HOST_ROUTES) throw errors.hostRoutesExhausted(MAX_HOST_ROUTES);
    const seen = new Set<string>();
    return raw.map((r) => {
      const route = r as { destination?: unknown; nexthop?: unknown };
      const destination = typeof route?.destination === 'string' ? parseCidr(route.destination) : null;
      const nexthop = typeof route?.nexthop === 'string' ? parseIp(route.nexthop) : null;
      if (!destination || !nexthop || destination.version !== version || nexthop.version !== version) {
        throw errors.invalidAttribute('host_routes', `Invalid data format for hostroute: '${JSON.stringify(r)}'`);
      }
      const key = `${formatCidr(destination)} ${formatIp(nexthop.version, nexthop.value)}`;
      if (seen.has(key)) throw errors.invalidAttribute('host_routes', `Duplicate hostroute '${JSON.stringify(r)}'`);
      seen.add(key);
      return { destination: formatCidr(destination), nexthop: formatIp(nexthop.version, nexthop.value) };
    });
  }

  #checkNameservers(raw: unknown[], version: number): string[] {
    if (raw.length > MAX_DNS_NAMESERVERS) throw errors.dnsNameServersExhausted(MAX_DNS_NAMESERVERS);
    const seen = new Set<string>();
    return raw.map((n) => {
      const ip = typeof n === 'string' ? parseIp(n) : null;
      if (!ip || ip.version !== version) throw errors.invalidAttribute('dns_nameservers', `'${String(n)}' is not a valid nameserver`);
      const text = formatIp(ip.version, ip.value);
      if (seen.has(text)) throw errors.invalidAttribute('dns_nameservers', `Duplicate nameserver '${String(n)}'`);
      seen.add(text);
      return text;
    });
  }
}

/** Neutron's default pools: the whole CIDR minus the network address, the IPv4 broadcast and the gateway. */
export function defaultPools(cidr: Cidr, gateway: string | null): Pool[] {
  const first = cidr.network + 1n;
  const last = cidr.version === 4 ? lastAddress(cidr) - 1n : lastAddress(cidr);
  const gw = gateway ? parseIp(gateway)?.value : undefined;
  const ranges: Array<[bigint, bigint]> = [];
  if (gw !== undefined && gw >= first && gw <= last) {
    if (gw > first) ranges.push([first, gw - 1n]);
    if (gw < last) ranges.push([gw + 1n, last]);
  } else if (first <= last) {
    ranges.push([first, last]);
  }
  return ranges.map(([s, e]) => ({ start: formatIp(cidr.version, s), end: formatIp(cidr.version, e) }));
}

/** A subnet's policy target: its network's owner and sharing (Neutron's `network:project_id`, `shared`, `router:external`). */
function subnetTarget(subnet: Resource, network: PolicyTarget): PolicyTarget {
  return targetOf(subnet, {
    'network:project_id': network.project_id,
    'network:tenant_id': network.project_id,
    shared: network.shared === true,
    'router:external': network['router:external'] === true,
  });
}

/** Neutron's `max_subnet_host_routes` and `max_dns_nameservers`. */
const MAX_HOST_ROUTES = 20;
const MAX_DNS_NAMESERVERS = 5;

/**
 * A subnet's segment (routed networks): one of its network's, and either
 * every subnet of the network is on a segment or none is.
 */
async function checkSegment(db: NetworkDb, networkId: string, segmentId: string | null, others: Resource[]): Promise<void> {
  if (segmentId !== null) {
    const segment = await store.getResource(db, 'segment', segmentId);
    if (!segment) throw notFound.segment(segmentId);
    if (segment.parentId !== networkId) throw errors.networkIdsDontMatch(networkId, segmentId);
  }
  const onSegment = (subnet: Resource) => ((subnet.attrs.segment_id as string | null | undefined) ?? null) !== null;
  if (others.some((o) => onSegment(o) !== (segmentId !== null))) throw errors.subnetsNotAllAssociatedWithSegments(networkId);
}
