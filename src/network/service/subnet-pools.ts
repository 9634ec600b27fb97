/**
 * Subnet pools: prefixes that subnets are carved from (Neutron's
 * subnet_allocation), with prefix-length bounds, a per-project prefix quota,
 * one default pool per IP version, membership of an address scope, and the
 * add_prefixes / remove_prefixes actions.
 *
 * Uniqueness: a prefix is "allocated" when a subnet with this subnetpool_id
 * holds it. Every allocation first takes the pool row's write lock
 * (store.lockResource) in the subnet's transaction and only then reads what
 * is taken, so two concurrent creates can never pick the same prefix; the
 * prefix is free again when the subnet row goes. Joining an address scope
 * locks the scope row the same way, so two pools cannot race into one scope
 * with overlapping prefixes.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, invalidInput, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { owningProject, ownedOrShared, requireOwner, reserve } from './access.js';
import type { AddressScopeOps } from './address-scopes.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { formatCidr, parseCidr, type Cidr, type IpVersion } from '../../core/net/ip.js';
import { IpSet } from './ip-set.js';
import { toObject, type NeutronObject } from './objects.js';

export interface SubnetPoolAttrs extends Record<string, unknown> {
  description: string;
  prefixes: string[];
  ip_version: IpVersion;
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  default_quota: number | null;
  is_default: boolean;
  shared: boolean;
  address_scope_id: string | null;
}

export type SubnetPool = Resource<SubnetPoolAttrs>;

export const POOL_ATTRS: AttrMap = {
  prefixes: { type: 'list', create: true, update: true },
  default_quota: { type: 'integer', create: true, update: true },
  default_prefixlen: { type: 'integer', create: true, update: true },
  min_prefixlen: { type: 'integer', create: true, update: true },
  max_prefixlen: { type: 'integer', create: true, update: true },
  is_default: { type: 'boolean', create: true, update: true },
  shared: { type: 'boolean', create: true },
  address_scope_id: { type: 'nullable-string', create: true, update: true },
};

/** Neutron's per-version defaults (SubnetPoolHelper); quota is counted in /32s and /64s. */
const VERSION_INFO = { 4: { bits: 32, defaultMin: 8, quotaUnit: 32 }, 6: { bits: 128, defaultMin: 64, quotaUnit: 64 } } as const;

/** What a subnet create asks of a pool: a given CIDR, or any free prefix of a length. */
export type PrefixRequest = { cidr: Cidr } | { prefixLen: number };

function parsePrefix(value: unknown): Cidr {
  const text = String(value);
  const cidr = typeof value === 'string' && value.includes('/') ? parseCidr(value, true) : null;
  if (cidr) return cidr;
  const loose = typeof value === 'string' ? parseCidr(value) : null;
  if (loose) throw errors.invalidAttribute('prefixes', `'${text}' isn't a recognized IP subnet cidr, '${formatCidr(loose)}' is recommended`);
  throw errors.invalidAttribute('prefixes', `'${text}' is not a valid IP subnet`);
}

function nonNegative(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || value < 0) throw errors.invalidAttribute(name, `'${String(value)}' should be non-negative`);
  return value;
}

/** Prefixes and bounds checked and defaulted as Neutron's SubnetPoolReader does. */
function readPool(
  input: Record<string, unknown>,
  base?: SubnetPoolAttrs,
): Pick<SubnetPoolAttrs, 'prefixes' | 'ip_version' | 'default_prefixlen' | 'min_prefixlen' | 'max_prefixlen'> {
  const raw = (input.prefixes as unknown[] | undefined) ?? base?.prefixes ?? [];
  if (raw.length === 0) throw errors.emptySubnetPoolPrefixList();
  const cidrs = raw.map(parsePrefix);
  const version = cidrs[0]?.version ?? 4;
  if (cidrs.some((c) => c.version !== version)) throw errors.prefixVersionMismatch();
  const info = VERSION_INFO[version];
  const min = nonNegative('min_prefixlen', input.min_prefixlen) ?? base?.min_prefixlen ?? info.defaultMin;
  const max = nonNegative('max_prefixlen', input.max_prefixlen) ?? base?.max_prefixlen ?? info.bits;
  const preferred = nonNegative('default_prefixlen', input.default_prefixlen) ?? base?.default_prefixlen ?? min;
  if (min > max) throw errors.illegalPrefixBounds('min_prefixlen', min, 'max_prefixlen', max);
  if (max > info.bits) throw errors.illegalPrefixBounds('max_prefixlen', max, 'ip_version_max', info.bits);
  if (preferred < min) throw errors.illegalPrefixBounds('default_prefixlen', preferred, 'min_prefixlen', min);
  if (preferred > max) throw errors.illegalPrefixBounds('default_prefixlen', preferred, 'max_prefixlen', max);
  return { prefixes: IpSet.of(version, cidrs).cidrTexts(), ip_version: version, default_prefixlen: preferred, min_prefixlen: min, max_prefixlen: max };
}

export class SubnetPoolOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly scopes: AddressScopeOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(POOL_ATTRS, body);
    if (input.prefixes === undefined) throw errors.emptySubnetPoolPrefixList();
    const projectId = owningProject(this.deps, auth, input, 'create_subnetpool');
    for (const attr of ['shared', 'is_default'] as const)
      if (input[attr] === true) this.deps.access.authorize(auth, `create_subnetpool:${attr}`, { project_id: projectId });
    const attrs: SubnetPoolAttrs = {
      description: (input.description as string | undefined) ?? '',
      ...readPool(input),
      default_quota: nonNegative('default_quota', input.default_quota) ?? null,
      is_default: (input.is_default as boolean | undefined) ?? false,
      shared: (input.shared as boolean | undefined) ?? false,
      address_scope_id: (input.address_scope_id as string | null | undefined) ?? null,
    };
    const id = uuid();
    const pool = await this.deps.db.transaction().execute(async (trx) => {
      await reserve(this.deps, trx, projectId, { subnetpool: 1 });
      if (attrs.is_default) await this.#checkNoOtherDefault(trx, id, attrs.ip_version);
      await this.#checkScope(auth, trx, id, attrs);
      return store.insertResource<SubnetPoolAttrs>(trx, { id, kind: 'subnetpool', projectId, name: (input.name as string | undefined) ?? '', attrs });
    });
    return toObject(pool);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return toObject(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const all = await store.listResources<SubnetPoolAttrs>(this.deps.db, 'subnetpool');
    return all.filter((p) => this.#visible(auth, p)).map((p) => toObject(p));
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const input = convertBody(POOL_ATTRS, body);
    const visible = await this.#owned(auth, id, 'update_subnetpool');
    if (input.is_default !== undefined) this.deps.access.authorize(auth, 'update_subnetpool:is_default', { project_id: visible.projectId });
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const pool = await this.#locked(trx, id);
      if (input.prefixes !== undefined) {
        const version = pool.attrs.ip_version;
        const requested = (input.prefixes as unknown[]).map(parsePrefix);
        if (requested.length > 0 && !IpSet.parse(version, pool.attrs.prefixes).isSubsetOf(IpSet.of(version, requested))) {
          throw errors.illegalPrefixUpdate('Existing prefixes must be a subset of the new prefixes');
        }
      }
      return this.#save(auth, trx, pool, input);
    });
    return toObject(updated);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    await this.#owned(auth, id, 'delete_subnetpool');
    await this.deps.db.transaction().execute(async (trx) => {
      const pool = await this.#locked(trx, id);
      if ((await this.allocatedSubnets(trx, id)).length > 0) throw errors.subnetPoolDeleteError('Subnet pool has existing allocations');
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, pool.projectId, { subnetpool: 1 });
    });
  }

  /** `PUT /subnetpools/{id}/add_prefixes`: the pool's prefixes after adding. */
  async addPrefixes(auth: CallerContext, id: string, body: unknown): Promise<{ prefixes: string[] }> {
    const prefixes = operationPrefixes(body);
    await this.#owned(auth, id, 'add_prefixes');
    const pool = await this.deps.db.transaction().execute(async (trx) => {
      const locked = await this.#locked(trx, id);
      return this.#save(auth, trx, locked, { prefixes: [...locked.attrs.prefixes, ...prefixes] });
    });
    return { prefixes: pool.attrs.prefixes };
  }

  /** `PUT /subnetpools/{id}/remove_prefixes`: refused while a subnet holds any of them. */
  async removePrefixes(auth: CallerContext, id: string, body: unknown): Promise<{ prefixes: string[] }> {
    const prefixes = operationPrefixes(body).map(parsePrefix);
    await this.#owned(auth, id, 'remove_prefixes');
    const pool = await this.deps.db.transaction().execute(async (trx) => {
      const locked = await this.#locked(trx, id);
      const version = locked.attrs.ip_version;
      const all = IpSet.parse(version, locked.attrs.prefixes);
      const removal = IpSet.of(version, prefixes);
      if (!all.intersects(removal)) return locked;
      const allocated = IpSet.parse(
        version,
        (await this.allocatedSubnets(trx, id)).map((s) => String(s.attrs.cidr)),
      );
      if (allocated.intersects(removal)) throw errors.illegalPrefixUpdate('One or more the prefixes to be removed is in use by a subnet');
      return store.saveResource(trx, { ...locked, attrs: { ...locked.attrs, prefixes: all.difference(removal).cidrTexts() } });
    });
    return { prefixes: pool.attrs.prefixes };
  }

  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<SubnetPool> {
    const pool = await store.getResource<SubnetPoolAttrs>(db, 'subnetpool', id);
    if (!pool || !this.#visible(auth, pool)) throw notFound.subnetpool(id);
    return pool;
  }

  /** The default pool of `version` (default-subnetpools), or null. */
  async defaultPool(db: NetworkDb, version: IpVersion): Promise<SubnetPool | null> {
    const pools = await store.listResources<SubnetPoolAttrs>(db, 'subnetpool');
    return pools.find((p) => p.attrs.is_default && p.attrs.ip_version === version) ?? null;
  }

  /** Subnets holding a prefix of the pool. */
  async allocatedSubnets(db: NetworkDb, poolId: string): Promise<Resource[]> {
    return (await store.listResources(db, 'subnet')).filter((s) => s.attrs.subnetpool_id === poolId);
  }

  /**
   * Takes a prefix for a new subnet of `projectId`, inside the subnet's
   * transaction `trx` (the pool stays locked until it commits), as Neutron's
   * SubnetAllocator: bounds, then the pool's per-project quota, then the
   * given CIDR if it is free, or the first free prefix of the length.
   */
  async allocate(trx: NetworkDb, poolId: string, projectId: string, request: PrefixRequest): Promise<Cidr> {
    const pool = await this.#locked(trx, poolId);
    const { min_prefixlen: min, max_prefixlen: max, ip_version: version } = pool.attrs;
    const prefixLen = 'cidr' in request ? request.cidr.prefixLen : request.prefixLen;
    if (prefixLen > max) throw errors.maxPrefixAllocation(prefixLen, max);
    if (prefixLen < min) throw errors.minPrefixAllocation(prefixLen, min);
    const taken = await this.allocatedSubnets(trx, poolId);
    if (pool.attrs.default_quota) {
      const unit = VERSION_INFO[version].quotaUnit;
      const units = (length: number) => 2 ** (unit - length);
      const used = taken.filter((s) => s.projectId === projectId).reduce((sum, s) => sum + units(parseCidr(String(s.attrs.cidr))?.prefixLen ?? unit), 0);
      if (used + units(prefixLen) > pool.attrs.default_quota) throw errors.subnetPoolQuotaExceeded();
    }
    const free = IpSet.parse(version, pool.attrs.prefixes).difference(
      IpSet.parse(
        version,
        taken.map((s) => String(s.attrs.cidr)),
      ),
    );
    if ('cidr' in request) {
      if (!free.contains(request.cidr)) throw errors.subnetAllocation('Cannot allocate requested subnet from the available set of prefixes');
      return request.cidr;
    }
    const picked = free.firstFree(prefixLen);
    if (!picked) throw errors.subnetAllocation(`Insufficient prefix space to allocate subnet size /${prefixLen}`);
    return picked;
  }

  /** Applies an update to a locked pool: bounds re-read, default and scope re-checked. */
  async #save(auth: CallerContext, trx: NetworkDb, pool: SubnetPool, input: Record<string, unknown>): Promise<SubnetPool> {
    const attrs: SubnetPoolAttrs = {
      ...pool.attrs,
      ...readPool(input, pool.attrs),
      ...(input.description !== undefined && { description: input.description as string }),
      ...(input.default_quota !== undefined && { default_quota: nonNegative('default_quota', input.default_quota) ?? null }),
      ...(input.is_default !== undefined && { is_default: input.is_default as boolean }),
      ...(input.address_scope_id !== undefined && { address_scope_id: input.address_scope_id as string | null }),
    };
    if (attrs.is_default && !pool.attrs.is_default) await this.#checkNoOtherDefault(trx, pool.id, attrs.ip_version);
    const current = pool.attrs.address_scope_id;
    if (current && !this.deps.access.isAdmin(auth)) {
      const scope = await store.getResource(trx, 'address_scope', current);
      if (scope && scope.projectId !== auth.project?.id) {
        throw errors.illegalSubnetPoolUpdate(`subnetpool ${pool.id} cannot be updated when associated with shared address scope ${current}`);
      }
    }
    await this.#checkScope(auth, trx, pool.id, attrs);
    return store.saveResource(trx, { ...pool, name: (input.name as string | undefined) ?? pool.name, attrs });
  }

  /**
   * A pool may join a scope it can see, of its IP version, if no other pool
   * of the scope shares an address with it and its subnets' networks would
   * not end up with subnets of one family in two scopes.
   */
  async #checkScope(auth: CallerContext, trx: NetworkDb, poolId: string, attrs: SubnetPoolAttrs): Promise<void> {
    const scopeId = attrs.address_scope_id;
    if (scopeId === null) return;
    const scope = await this.scopes.getVisible(auth, scopeId, trx);
    if (scope.attrs.ip_version !== attrs.ip_version) throw errors.illegalAddressScopeVersion(poolId, scopeId, scope.attrs.ip_version);
    await store.lockResource(trx, 'address_scope', scopeId);
    const rescoped = await this.allocatedSubnets(trx, poolId);
    const networkIds = [...new Set(rescoped.map((s) => s.parentId ?? ''))];
    const neighbours = await store.listResources(trx, 'subnet', { parentIds: networkIds });
    if (neighbours.some((s) => s.attrs.ip_version === attrs.ip_version && s.attrs.subnetpool_id !== poolId)) throw errors.networkAddressScopeAffinity();
    const mine = IpSet.parse(attrs.ip_version, attrs.prefixes);
    const others = (await store.listResources<SubnetPoolAttrs>(trx, 'subnetpool')).filter((p) => p.id !== poolId && p.attrs.address_scope_id === scopeId);
    if (others.some((p) => IpSet.parse(p.attrs.ip_version, p.attrs.prefixes).intersects(mine))) throw errors.addressScopePrefixConflict();
  }

  async #checkNoOtherDefault(trx: NetworkDb, poolId: string, version: IpVersion): Promise<void> {
    const existing = await this.defaultPool(trx, version);
    if (existing && existing.id !== poolId)
      throw invalidInput('A default subnetpool for this IP family has already been set. Only one default may exist per IP family');
  }

  /** The pool re-read under its row lock, or 404 when it went meanwhile. */
  async #locked(trx: NetworkDb, id: string): Promise<SubnetPool> {
    const pool = (await store.lockResource(trx, 'subnetpool', id)) ? await store.getResource<SubnetPoolAttrs>(trx, 'subnetpool', id) : null;
    if (!pool) throw notFound.subnetpool(id);
    return pool;
  }

  #visible(auth: CallerContext, pool: SubnetPool): boolean {
    return ownedOrShared(this.deps, auth, 'subnetpool', pool);
  }

  async #owned(auth: CallerContext, id: string, action: string): Promise<SubnetPool> {
    const pool = await this.getVisible(auth, id);
    requireOwner(this.deps, auth, pool, action);
    return pool;
  }
}

/** The `{"prefixes": [...]}` body of add_prefixes / remove_prefixes. */
function operationPrefixes(body: unknown): string[] {
  const prefixes = (body as { prefixes?: unknown } | null)?.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw errors.invalidData();
  return prefixes.map(String);
}
