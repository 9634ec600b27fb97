/**
 * Networks: ML2 semantics with provider segments allocated from the
 * configured ranges, visibility through ownership, `shared`,
 * `router:external` and RBAC policies.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { deleteBindings } from './dhcp-bindings.js';
import { deleteFloatingIpsOnPorts } from './floating-ips.js';
import { owningProject, readable, reserve, targetOf, type PolicyTarget } from './access.js';
import { checkAvailabilityZoneHints, convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { QosPolicyOps } from './qos-policies.js';
import type { Realisation } from './realisation.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import { allocateSegment, type SegmentRequest } from './segment-allocation.js';
import { recordSegment } from './segments.js';

export interface NetworkAttrs extends Record<string, unknown> {
  description: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  'provider:network_type': string;
  'provider:physical_network': string | null;
  'provider:segmentation_id': number | null;
  mtu: number;
  port_security_enabled: boolean;
  availability_zone_hints: string[];
  dns_domain: string;
  is_default: boolean;
  /** Absent on networks made before QoS existed: none. */
  qos_policy_id?: string | null;
}

export type Network = Resource<NetworkAttrs>;

export const NETWORK_ATTRS: AttrMap = {
  admin_state_up: { type: 'boolean', create: true, update: true },
  shared: { type: 'boolean', create: true, update: true },
  'router:external': { type: 'boolean', create: true, update: true },
  'provider:network_type': { type: 'string', create: true },
  'provider:physical_network': { type: 'nullable-string', create: true },
  'provider:segmentation_id': { type: 'nullable-integer', create: true },
  mtu: { type: 'integer', create: true, update: true },
  port_security_enabled: { type: 'boolean', create: true, update: true },
  availability_zone_hints: { type: 'string-list', create: true },
  dns_domain: { type: 'string', create: true, update: true },
  is_default: { type: 'boolean', create: true, update: true },
  qos_policy_id: { type: 'nullable-string', create: true, update: true },
};

/** Attributes only an admin may set (Neutron's default policy). */
const ADMIN_ONLY = ['shared', 'router:external', 'provider:network_type', 'provider:physical_network', 'provider:segmentation_id', 'is_default'];
const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];

const FLOATING_IP_OWNER = 'network:floatingip';
const AUTO_DELETED_OWNERS = ['network:dhcp', FLOATING_IP_OWNER];

export class NetworkOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly realisation: Realisation,
    private readonly qos: QosPolicyOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(NETWORK_ATTRS, body);
    for (const attr of ADMIN_ONLY) {
      if (input[attr] !== undefined && !(attr === 'shared' && input[attr] === false)) this.deps.access.authorize(auth, `create_network:${attr}`, {});
    }
    const projectId = owningProject(this.deps, auth, input, 'create_network');
    const qosPolicyId = input.qos_policy_id === undefined ? await this.qos.defaultFor(projectId) : (input.qos_policy_id as string | null);
    await this.qos.checkAttachable(auth, qosPolicyId);
    const id = uuid();
    const network = await this.deps.db.transaction().execute(async (trx) => {
      await reserve(this.deps, trx, projectId, { network: 1 });
      if (input.is_default === true) await this.#checkSingleDefault(trx, id);
      const segment = await allocateSegment(this.deps, trx, providerRequest(this.deps, input), id);
      await recordSegment(trx, { id, projectId }, segment, 0);
      const attrs: NetworkAttrs = {
        description: (input.description as string | undefined) ?? '',
        admin_state_up: (input.admin_state_up as boolean | undefined) ?? true,
        shared: (input.shared as boolean | undefined) ?? false,
        'router:external': (input['router:external'] as boolean | undefined) ?? false,
        'provider:network_type': segment.networkType,
        'provider:physical_network': segment.physicalNetwork,
        'provider:segmentation_id': segment.segmentationId,
        mtu: this.#mtu(input.mtu as number | undefined, segment.networkType),
        port_security_enabled: (input.port_security_enabled as boolean | undefined) ?? true,
        availability_zone_hints: checkAvailabilityZoneHints(input.availability_zone_hints),
        dns_domain: (input.dns_domain as string | undefined) ?? '',
        is_default: (input.is_default as boolean | undefined) ?? false,
        qos_policy_id: qosPolicyId,
      };
      const created = await store.insertResource<NetworkAttrs>(trx, { id, kind: 'network', projectId, name: (input.name as string | undefined) ?? '', attrs });
      return created;
    });
    return this.#object(auth, network, []);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    const network = await this.getVisible(auth, id);
    const subnets = await store.listResources(this.deps.db, 'subnet', { parentId: id });
    return this.#object(auth, network, subnets, await this.#rbacShared([id]), await this.#poolScopes(subnets));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const networks = await this.listVisible(auth);
    const subnets = await store.listResources(this.deps.db, 'subnet', { parentIds: networks.map((n) => n.id) });
    const byNetwork = new Map<string, Resource[]>();
    for (const s of subnets) byNetwork.set(s.parentId ?? '', [...(byNetwork.get(s.parentId ?? '') ?? []), s]);
    const shared = await this.#rbacShared(networks.map((n) => n.id));
    const scopes = await this.#poolScopes(subnets);
    return networks.map((n) => this.#object(auth, n, byNetwork.get(n.id) ?? [], shared, scopes));
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(NETWORK_ATTRS, body);
    const network = await this.getVisible(auth, id);
    const target = await this.policyTarget(auth, network);
    this.deps.access.authorize(auth, 'update_network', target);
    for (const attr of ADMIN_ONLY) if (input[attr] !== undefined) this.deps.access.authorize(auth, `update_network:${attr}`, target);
    checkRevision(network, ifMatch, errors.revisionMismatch);
    if (input.is_default === true) await this.#checkSingleDefault(this.deps.db, id);
    if (input.qos_policy_id !== undefined) await this.qos.checkAttachable(auth, input.qos_policy_id as string | null);
    if (input.shared === false && network.attrs.shared) {
      const foreign = (await store.listResources(this.deps.db, 'port', { parentId: id })).some(
        (p) => p.projectId !== network.projectId && !String(p.attrs.device_owner ?? '').startsWith('network:'),
      );
      if (foreign) throw errors.invalidSharedSetting(id);
    }
    const { name, description, ...rest } = input;
    const updated = await store.saveResource<NetworkAttrs>(this.deps.db, {
      ...network,
      name: (name as string | undefined) ?? network.name,
      attrs: { ...network.attrs, ...(rest as Partial<NetworkAttrs>), ...(description !== undefined && { description: description as string }) },
    });
    // MTU and admin state reach the host (bridge, DHCP MTU option) where the network is realised.
    await this.realisation
      .syncDhcp(updated.id)
      .catch((error: unknown) => this.deps.log.warn({ err: error, network: id }, 'could not update the network on the host'));
    if (input.qos_policy_id !== undefined) await this.realisation.qos.reapply({ networkIds: [id] });
    return this.get(auth, updated.id);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const network = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_network', await this.policyTarget(auth, network));
    checkRevision(network, ifMatch, errors.revisionMismatch);
    let hostCleanup: Awaited<ReturnType<typeof deleteFloatingIpsOnPorts>> = { forwardings: [], routerIds: [] };
    await this.deps.db.transaction().execute(async (trx) => {
      const ports = await store.listResources(trx, 'port', { parentId: id });
      // DHCP ports and floating IPs go with the network, as Neutron's; any other port keeps it.
      const inUse = ports.filter((p) => !AUTO_DELETED_OWNERS.includes(p.attrs.device_owner as string));
      if (inUse.length > 0) throw errors.networkInUse(id);
      const floating = ports.filter((p) => p.attrs.device_owner === FLOATING_IP_OWNER).map((p) => p.id);
      hostCleanup = await deleteFloatingIpsOnPorts(this.deps, trx, floating);
      for (const port of ports) {
        await store.deleteMacsOfPort(trx, port.id);
        await store.deleteResource(trx, port.id);
        await this.deps.quota.release(trx, port.projectId, { port: 1 });
      }
      for (const subnet of await store.listResources(trx, 'subnet', { parentId: id })) {
        await store.deleteResource(trx, subnet.id);
        await this.deps.quota.release(trx, subnet.projectId, { subnet: 1 });
      }
      for (const rbac of await store.listResources(trx, 'rbac_policy', { parentId: id })) {
        await store.deleteResource(trx, rbac.id);
        await this.deps.quota.release(trx, rbac.projectId, { rbac_policy: 1 });
      }
      await deleteBindings(trx, { networkId: id });
      for (const segment of await store.listResources(trx, 'segment', { parentId: id })) await store.deleteResource(trx, segment.id);
      await store.deleteSegmentsOfNetwork(trx, id);
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, network.projectId, { network: 1 });
    });
    for (const pf of hostCleanup.forwardings) await this.deps.driver.removePortForwarding(pf.id, this.deps.config.default_host);
    for (const routerId of new Set(hostCleanup.routerIds)) await this.realisation.realiseRouter(routerId);
    for (const host of [this.deps.config.default_host]) await this.deps.driver.unrealiseNetwork(id, host);
  }

  /** The network if the caller may see it; NetworkNotFound otherwise (never 403, as Neutron). */
  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<Network> {
    const network = await store.getResource<NetworkAttrs>(db, 'network', id);
    if (!network || !(await this.canSee(auth, network))) throw notFound.network(id);
    return network;
  }

  /** Neutron's query filter (owner, shared, external, RBAC grant to the caller's project) and then its `get_network` policy. */
  async canSee(auth: CallerContext, network: Network): Promise<boolean> {
    const grants = await store.listResources(this.deps.db, 'rbac_policy', { parentId: network.id });
    return this.#visible(auth, network, grants);
  }

  /** True when the caller may attach its own ports to the network (owner, shared, RBAC access_as_shared). */
  async isSharedWith(auth: CallerContext, network: Network): Promise<boolean> {
    if (this.deps.access.isAdmin(auth) || network.projectId === auth.project?.id || network.attrs.shared) return true;
    const grants = await store.listResources(this.deps.db, 'rbac_policy', { parentId: network.id });
    return grants.some((g) => g.attrs.action === 'access_as_shared' && grantedTo(auth, g));
  }

  async listVisible(auth: CallerContext): Promise<Network[]> {
    const all = await store.listResources<NetworkAttrs>(this.deps.db, 'network');
    const grants = await store.listResources(this.deps.db, 'rbac_policy');
    const byNetwork = new Map<string, Resource[]>();
    for (const g of grants) byNetwork.set(g.parentId ?? '', [...(byNetwork.get(g.parentId ?? '') ?? []), g]);
    return all.filter((n) => this.#visible(auth, n, byNetwork.get(n.id) ?? []));
  }

  /**
   * The policy target of a network as the caller sees it: `shared` and
   * `router:external` are true also where an RBAC policy grants them to the
   * caller's project, as Neutron's network dict says.
   */
  async policyTarget(auth: CallerContext, network: Network): Promise<PolicyTarget> {
    return this.#target(auth, network, await store.listResources(this.deps.db, 'rbac_policy', { parentId: network.id }));
  }

  #target(auth: CallerContext, network: Network, grants: Resource[]): PolicyTarget {
    const granted = (action: string) => grants.some((g) => g.attrs.action === action && grantedTo(auth, g));
    return targetOf(network, {
      shared: network.attrs.shared || granted('access_as_shared'),
      'router:external': network.attrs['router:external'] || granted('access_as_external'),
    });
  }

  #visible(auth: CallerContext, network: Network, grants: Resource[]): boolean {
    const target = this.#target(auth, network, grants);
    const inQuery =
      this.deps.access.isAdmin(auth) ||
      network.projectId === auth.project?.id ||
      target.shared === true ||
      target['router:external'] === true ||
      grants.some((g) => grantedTo(auth, g));
    return inQuery && readable(this.deps, auth, 'network', target);
  }

  /** Networks shared with everyone through an RBAC wildcard show `shared: true`. */
  async #rbacShared(ids: string[]): Promise<Set<string>> {
    const grants = await store.listResources(this.deps.db, 'rbac_policy', { parentIds: ids });
    return new Set(grants.filter((g) => g.attrs.action === 'access_as_shared' && g.attrs.target_tenant === '*').map((g) => g.parentId ?? ''));
  }

  /** The address scope of each subnet pool the subnets come from. */
  async #poolScopes(subnets: Resource[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(subnets.map((s) => s.attrs.subnetpool_id).filter((id): id is string => typeof id === 'string'))];
    const pools = await store.listResources(this.deps.db, 'subnetpool', { ids });
    return new Map(pools.map((p) => [p.id, (p.attrs.address_scope_id as string | null) ?? null]));
  }

  /** A network takes the address scope of its subnets' pool, per IP version (address-scope extension). */
  #object(auth: CallerContext, network: Network, subnets: Resource[], shared = new Set<string>(), scopes = new Map<string, string | null>()): NeutronObject {
    const scopeOf = (version: number) => {
      const pooled = subnets.find((s) => s.attrs.ip_version === version && typeof s.attrs.subnetpool_id === 'string');
      return pooled ? (scopes.get(pooled.attrs.subnetpool_id as string) ?? null) : null;
    };
    const object = toObject(network, {
      status: network.attrs.admin_state_up ? 'ACTIVE' : 'DOWN',
      subnets: subnets.map((s) => s.id),
      shared: network.attrs.shared || shared.has(network.id),
      availability_zones: ['nova'],
      ipv4_address_scope: scopeOf(4),
      ipv6_address_scope: scopeOf(6),
      // A routed network (subnets on segments) is not one L2 domain, as Neutron's segments plugin says from its first subnet.
      l2_adjacency: (subnets[0]?.attrs.segment_id ?? null) === null,
      qos_policy_id: network.attrs.qos_policy_id ?? null,
    });
    for (const attr of PROVIDER) if (!this.deps.access.allowed(auth, `get_network:${attr}`, object)) delete object[attr];
    return object;
  }

  /** One default external network at a time (auto-allocated-topology); only external networks count as Neutron keeps the flag with them. */
  async #checkSingleDefault(db: NetworkDb, id: string): Promise<void> {
    const other = (await store.listResources<NetworkAttrs>(db, 'network')).find((n) => n.id !== id && n.attrs.is_default && n.attrs['router:external']);
    if (other) throw errors.defaultExternalNetworkExists(other.id);
  }

  #mtu(requested: number | undefined, networkType: string): number {
    const max = this.deps.config.global_physnet_mtu - (networkType === 'vxlan' ? 50 : 0);
    if (requested === undefined) return max;
    if (requested < 68 || requested > max) {
      throw errors.mtuTooBig(max);
    }
    return requested;
  }
}

/** The provider segment a network create asks for; without provider attributes, the tenant type from the configured ranges. */
function providerRequest(deps: NetworkDeps, input: Record<string, unknown>): SegmentRequest {
  return {
    networkType: (input['provider:network_type'] as string | undefined) ?? deps.config.tenant_network_type,
    physicalNetwork: (input['provider:physical_network'] as string | null | undefined) ?? null,
    segmentationId: (input['provider:segmentation_id'] as number | null | undefined) ?? null,
  };
}

/** An RBAC policy naming every project, or the caller's (a token without a project has none). */
function grantedTo(auth: CallerContext, grant: Resource): boolean {
  return grant.attrs.target_tenant === '*' || (auth.project !== null && grant.attrs.target_tenant === auth.project.id);
}
