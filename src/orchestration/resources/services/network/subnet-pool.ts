/** OS::Neutron::SubnetPool: a block of prefixes subnets are allocated from. */
import { BadRequest } from '../../../../core/errors.js';
import { cidrContains, parseCidr, type Cidr } from '../../../../core/net/ip.js';
import type { SubnetPoolInfo, UpdateSubnetPoolRequest } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { boolean, custom, integer, list, range, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, flag, integer as integerValue, strings, text } from '../support.js';
import { neutron, neutronByName, neutronId } from './lookups.js';

const LENGTHS = ['default_prefixlen', 'min_prefixlen', 'max_prefixlen', 'default_quota'] as const;
const LENGTH_FIELDS = {
  default_prefixlen: 'defaultPrefixLength',
  min_prefixlen: 'minPrefixLength',
  max_prefixlen: 'maxPrefixLength',
  default_quota: 'defaultQuota',
} as const;

const boundsError = (key1: string, value1: number, key2: string, value2: number) =>
  new BadRequest(`Illegal prefix bounds: ${key1}=${value1}, ${key2}=${value2}.`, { type: 'StackValidationFailed' });

/** Heat's checks of the prefix lengths against each other (0 or absent is "not given", as Heat treats it). */
function validateBounds(p: JsonObject): void {
  const min = integerValue(p, 'min_prefixlen');
  const fallback = integerValue(p, 'default_prefixlen');
  const max = integerValue(p, 'max_prefixlen');
  if (min && max && min > max) throw boundsError('max_prefixlen', max, 'min_prefixlen', min);
  if (fallback && max && fallback > max) throw boundsError('max_prefixlen', max, 'default_prefixlen', fallback);
  if (fallback && min && min > fallback) throw boundsError('min_prefixlen', min, 'default_prefixlen', fallback);
}

/** Whether every address of `inner` is in `outer`. */
function covers(outer: Cidr, inner: Cidr): boolean {
  return outer.prefixLen <= inner.prefixLen && cidrContains(outer, inner.version, inner.network);
}

/** A pool's prefixes may only grow: each old prefix stays covered by a new one (Heat checks before Neutron does). */
function checkGrowing(old: string[], next: string[]): void {
  const nextCidrs = next.map((prefix) => parseCidr(prefix)).filter((cidr) => cidr !== null);
  const kept = old.every((prefix) => {
    const cidr = parseCidr(prefix);
    return cidr === null || nextCidrs.some((outer) => covers(outer, cidr));
  });
  if (kept) return;
  const shown = (prefixes: string[]) =>
    `[${[...prefixes]
      .sort()
      .map((prefix) => `'${prefix}'`)
      .join(', ')}]`;
  throw new BadRequest(`Property prefixes updated value ${shown(next)} should be superset of existing value ${shown(old)}.`, { type: 'StackValidationFailed' });
}

const scopeId = (ctx: ResourceContext, scope: string | undefined) => (scope === undefined ? undefined : neutronId(ctx, 'addressScopes', scope));

const plugin = serviceResource<SubnetPoolInfo>(
  {
    type: 'OS::Neutron::SubnetPool',
    description: 'A Neutron subnet pool.',
    nameProperty: 'name',
    properties: {
      name: string('Name of the subnet pool.', { updateAllowed: true }),
      prefixes: list('List of subnet prefixes to assign.', {
        required: true,
        updateAllowed: true,
        constraints: [{ length: { min: 1 } }],
        schema: { '*': string('') },
      }),
      address_scope: string('An address scope ID to assign to the subnet pool.', { updateAllowed: true, constraints: [custom('neutron.address_scope')] }),
      default_quota: integer('A per-tenant quota on the prefix space that can be allocated from the subnet pool for tenant subnets.', {
        updateAllowed: true,
        constraints: [range(0)],
      }),
      default_prefixlen: integer('The size of the prefix to allocate when the cidr or prefixlen attributes are not specified while creating a subnet.', {
        updateAllowed: true,
        constraints: [range(0)],
      }),
      min_prefixlen: integer('Smallest prefix size that can be allocated from the subnet pool.', { updateAllowed: true, constraints: [range(0)] }),
      max_prefixlen: integer('Maximum prefix size that can be allocated from the subnet pool.', { updateAllowed: true, constraints: [range(0)] }),
      is_default: boolean(
        'Whether this is default IPv4/IPv6 subnet pool. There can only be one default subnet pool for each IP family. ' +
          'Note that the default policy setting restricts administrative users to set this to True.',
        { default: false, updateAllowed: true },
      ),
      tenant_id: string('The ID of the tenant who owns the subnet pool. Only administrative users can specify a tenant ID other than their own.'),
      shared: boolean(
        'Whether the subnet pool will be shared across all tenants. Note that the default policy setting restricts usage of this attribute ' +
          'to administrative users only.',
        { default: false },
      ),
      tags: stringList('The tags to be added to the subnetpool.', { updateAllowed: true }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => neutron(ctx.services).subnetPools.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).subnetPools, name),
    async create(ctx, p, name) {
      const tenant = text(p, 'tenant_id');
      const scope = await scopeId(ctx, text(p, 'address_scope'));
      const lengths = Object.fromEntries(LENGTHS.filter((key) => integerValue(p, key) !== undefined).map((key) => [LENGTH_FIELDS[key], integerValue(p, key)]));
      return neutron(ctx.services).subnetPools.create(ctx.caller, {
        name,
        prefixes: strings(p, 'prefixes'),
        ...lengths,
        isDefault: flag(p, 'is_default') ?? false,
        shared: flag(p, 'shared') ?? false,
        ...(scope !== undefined && { addressScopeId: scope }),
        ...(tenant !== undefined && { projectId: tenant }),
      });
    },
    async awaitReady(ctx, pool, p) {
      const tags = strings(p, 'tags');
      if (tags.length > 0) await neutron(ctx.services).subnetPools.setTags(ctx.caller, pool.id, tags);
    },
    async update(ctx, id, change) {
      const p = change.properties;
      const changed = (key: string) => change.changed.includes(key);
      if (changed('prefixes')) checkGrowing(strings(change.previous, 'prefixes'), strings(p, 'prefixes'));
      const request: UpdateSubnetPoolRequest = {};
      if (changed('name')) request.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (changed('prefixes')) request.prefixes = strings(p, 'prefixes');
      if (changed('is_default')) request.isDefault = flag(p, 'is_default') ?? false;
      if (changed('address_scope')) request.addressScopeId = (await scopeId(ctx, text(p, 'address_scope'))) ?? null;
      for (const key of LENGTHS) if (changed(key) && integerValue(p, key) !== undefined) request[LENGTH_FIELDS[key]] = integerValue(p, key);
      const network = neutron(ctx.services);
      if (Object.keys(request).length > 0) await network.subnetPools.update(ctx.caller, id, request);
      if (changed('tags')) await network.subnetPools.setTags(ctx.caller, id, strings(p, 'tags'));
    },
    remove: (ctx, id) => neutron(ctx.services).subnetPools.delete(ctx.caller, id),
    idOf: (pool) => pool.id,
    view: (pool) =>
      asJson({
        id: pool.id,
        name: pool.name,
        prefixes: pool.prefixes,
        ip_version: pool.ipVersion,
        default_prefixlen: pool.defaultPrefixLength,
        min_prefixlen: pool.minPrefixLength,
        max_prefixlen: pool.maxPrefixLength,
        default_quota: pool.defaultQuota,
        is_default: pool.isDefault,
        shared: pool.shared,
        address_scope_id: pool.addressScopeId,
        tags: pool.tags,
        tenant_id: pool.projectId,
        project_id: pool.projectId,
      }),
  },
);

export const subnetPoolResource: ResourcePlugin = { ...plugin, validate: async (p) => validateBounds(p) };
