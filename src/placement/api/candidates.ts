/**
 * GET /allocation_candidates (1.10+). The unnamed group (`resources`,
 * `required`, `member_of`, `in_tree`) is satisfied by one provider, found and
 * limited in SQL. Numbered or suffixed groups (1.25, 1.33) are each satisfied
 * by one provider of the same tree, combined per tree with `group_policy`
 * (`isolate`: different providers) and `same_subtree` (1.36), the shared
 * capacity checked when groups land on one provider. Not done: an unnamed
 * group spread over several providers of a tree, and sharing providers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placementErrors } from '../errors.js';
import type { ResourceAmounts } from '../operations.js';
import type { ProviderFilter, ProviderRow } from '../store/index.js';
import {
  atLeast,
  cacheHeaders,
  guard,
  normalizeUuid,
  onlyParams,
  parseMemberOf,
  parseRequired,
  parseResources,
  queryOf,
  requireVersion,
  single,
  UUID,
  values,
  type Query,
} from './common.js';
import type { PlacementApi } from './index.js';
import { checkNames } from './providers.js';

interface Group {
  suffix: string;
  resources: ResourceAmounts;
  filter: ProviderFilter;
}

/** At most this many combinations are built per request before the limit applies. */
const MAX_COMBINATIONS = 10_000;

function parseGroups(request: FastifyRequest, query: Query): { groups: Group[]; traits: string[] } {
  const granular = atLeast(request, '1.25');
  const suffixPattern = atLeast(request, '1.33') ? '[a-zA-Z0-9_-]{1,64}' : '[1-9][0-9]*';
  const base = ['resources', 'required', 'member_of', 'in_tree'];
  const allowed: (string | RegExp)[] = ['resources'];
  if (atLeast(request, '1.16')) allowed.push('limit');
  if (atLeast(request, '1.17')) allowed.push('required');
  if (atLeast(request, '1.21')) allowed.push('member_of');
  if (atLeast(request, '1.31')) allowed.push('in_tree');
  if (granular) {
    allowed.push('group_policy', new RegExp(`^(resources|required|member_of${atLeast(request, '1.31') ? '|in_tree' : ''})${suffixPattern}$`));
  }
  if (atLeast(request, '1.35')) allowed.push('root_required');
  if (atLeast(request, '1.36')) allowed.push('same_subtree');
  onlyParams(query, allowed);

  const suffixes = new Set<string>();
  for (const key of Object.keys(query)) {
    for (const prefix of base) {
      if (key.startsWith(prefix) && key !== prefix && !(prefix === 'resources' && key === 'resources')) suffixes.add(key.slice(prefix.length));
    }
  }
  const traits: string[] = [];
  const groups: Group[] = [];
  for (const suffix of ['', ...[...suffixes].sort()]) {
    const resourcesText = single(query, `resources${suffix}`);
    const others = ['required', 'member_of', 'in_tree'].filter((p) => values(query, `${p}${suffix}`).length > 0);
    if (resourcesText === undefined) {
      if (suffix === '' && others.length === 0) continue;
      if (suffix === '' && (!granular || suffixes.size === 0)) throw placementErrors.invalidQuery("'resources' is a required property");
      if (suffix !== '') {
        throw placementErrors.missingQueryValue(`All request groups must specify resources. Group '${suffix}' does not.`);
      }
      continue;
    }
    const resources = parseResources(resourcesText, `resources${suffix}`);
    const filter: ProviderFilter = { resources };
    const required = values(query, `required${suffix}`);
    if (required.length > 0) {
      const parsed = parseRequired(request, required);
      filter.requiredTraits = parsed.required;
      filter.forbiddenTraits = parsed.forbidden;
      filter.anyOfTraits = parsed.anyOf;
      traits.push(...parsed.required, ...parsed.forbidden, ...parsed.anyOf.flat());
    }
    const memberOf = values(query, `member_of${suffix}`);
    if (memberOf.length > 0) {
      const parsed = parseMemberOf(request, memberOf);
      filter.memberOf = parsed.anyOf;
      filter.forbiddenAggregates = parsed.forbidden;
    }
    const inTree = single(query, `in_tree${suffix}`);
    if (inTree !== undefined) {
      if (!UUID.test(inTree))
        throw placementErrors.badQueryValue(`Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: ${inTree}`);
      filter.inTree = normalizeUuid(inTree);
    }
    groups.push({ suffix, resources, filter });
  }
  if (groups.length === 0) throw placementErrors.invalidQuery("'resources' is a required property");
  const rootRequired = values(query, 'root_required');
  if (rootRequired.length > 0) {
    const parsed = parseRequired(request, rootRequired);
    for (const group of groups) {
      group.filter.rootRequiredTraits = parsed.required;
      group.filter.rootForbiddenTraits = parsed.forbidden;
    }
    traits.push(...parsed.required, ...parsed.forbidden);
  }
  return { groups, traits };
}

interface Combination {
  /** suffix -> provider */
  choice: Map<string, ProviderRow>;
}

export function candidateRoutes(app: FastifyInstance, api: PlacementApi): void {
  app.get('/allocation_candidates', async (request, reply) => {
    requireVersion(request, '1.10');
    await guard(api, request, 'allocation_candidates:list');
    const query = queryOf(request);
    const { groups, traits } = parseGroups(request, query);
    let limit: number | undefined;
    const limitText = single(query, 'limit');
    if (limitText !== undefined) {
      if (!/^[1-9]\d*$/.test(limitText)) throw placementErrors.invalidQuery(`'${limitText}' does not match '^[1-9][0-9]*$'`);
      limit = Number(limitText);
    }
    const numbered = groups.filter((g) => g.suffix !== '');
    const groupPolicy = single(query, 'group_policy');
    if (groupPolicy !== undefined && groupPolicy !== 'none' && groupPolicy !== 'isolate') {
      throw placementErrors.invalidQuery(`'${groupPolicy}' is not one of ['none', 'isolate']`);
    }
    if (numbered.length > 1 && groupPolicy === undefined && !atLeast(request, '1.33')) {
      throw placementErrors.badRequest('The "group_policy" parameter is required when specifying more than one "resources{N}" parameter.');
    }
    const sameSubtree = values(query, 'same_subtree').map((v) => v.split(','));
    const known = new Set(groups.map((g) => g.suffix));
    for (const list of sameSubtree) {
      for (const suffix of list) {
        if (!known.has(suffix)) {
          throw placementErrors.badRequest(
            `Real suffixes should be specified in same_subtree: ${JSON.stringify(suffix)} is not found in [${[...known]
              .filter(Boolean)
              .map((s) => `'${s}'`)
              .join(', ')}].`,
          );
        }
      }
    }
    await checkNames(api, Object.assign({}, ...groups.map((g) => g.resources)), traits);

    let combos: Combination[];
    if (groups.length === 1) {
      const [group] = groups as [Group];
      const providers = await api.service.candidates.searchProviders(group.filter, limit);
      combos = providers.map((p) => ({ choice: new Map([[group.suffix, p]]) }));
    } else {
      combos = await combine(api, groups, groupPolicy === 'isolate', sameSubtree);
      if (limit !== undefined) combos = combos.slice(0, limit);
    }

    const used = new Set<string>();
    for (const combo of combos) for (const p of combo.choice.values()) used.add(p.uuid);
    const providerIds = [...used];
    const summaries = await api.service.candidates.providerSummaries(providerIds);
    const rows = new Map<string, ProviderRow>();
    for (const combo of combos) for (const p of combo.choice.values()) rows.set(p.uuid, p);
    const requested = new Set(groups.flatMap((g) => Object.keys(g.resources)));

    const allocationRequests = combos.map((combo) => {
      const merged: Record<string, ResourceAmounts> = {};
      const mappings: Record<string, string[]> = {};
      for (const group of groups) {
        const provider = combo.choice.get(group.suffix) as ProviderRow;
        const target = (merged[provider.uuid] ??= {});
        for (const [rc, amount] of Object.entries(group.resources)) target[rc] = (target[rc] ?? 0) + amount;
        mappings[group.suffix] = [provider.uuid];
      }
      if (!atLeast(request, '1.12')) {
        return { allocations: Object.entries(merged).map(([uuid, resources]) => ({ resource_provider: { uuid }, resources })) };
      }
      return {
        allocations: Object.fromEntries(Object.entries(merged).map(([uuid, resources]) => [uuid, { resources }])),
        ...(atLeast(request, '1.34') && { mappings }),
      };
    });
    const providerSummaries = Object.fromEntries(
      providerIds.map((uuid) => {
        const summary = summaries.get(uuid);
        const resources = Object.fromEntries(Object.entries(summary?.summary ?? {}).filter(([rc]) => atLeast(request, '1.27') || requested.has(rc)));
        const row = rows.get(uuid) as ProviderRow;
        return [
          uuid,
          {
            resources,
            ...(atLeast(request, '1.17') && { traits: summary?.traits ?? [] }),
            ...(atLeast(request, '1.29') && { parent_provider_uuid: row.parentProviderUuid, root_provider_uuid: row.rootProviderUuid }),
          },
        ];
      }),
    );
    cacheHeaders(request, reply);
    return { allocation_requests: allocationRequests, provider_summaries: providerSummaries };
  });
}

/** Several groups: one provider each, all in one tree, built tree by tree. */
async function combine(api: PlacementApi, groups: Group[], isolate: boolean, sameSubtree: string[][]): Promise<Combination[]> {
  const matches = await Promise.all(groups.map((g) => api.service.candidates.searchProviders(g.filter)));
  // Trees every group can be satisfied in.
  const byRoot = matches.map((list) => {
    const map = new Map<string, ProviderRow[]>();
    for (const p of list) map.set(p.rootProviderUuid, [...(map.get(p.rootProviderUuid) ?? []), p]);
    return map;
  });
  const roots = [...(byRoot[0]?.keys() ?? [])].filter((root) => byRoot.every((m) => m.has(root))).sort();
  const allIds = [...new Set(matches.flat().map((p) => p.uuid))];
  const summaries = await api.service.candidates.providerSummaries(allIds);
  const parents = new Map(matches.flat().map((p) => [p.uuid, p.parentProviderUuid]));
  const isAncestorOrSelf = async (ancestor: string, uuid: string): Promise<boolean> => {
    let cursor: string | null | undefined = uuid;
    for (let depth = 0; cursor && depth < 100; depth++) {
      if (cursor === ancestor) return true;
      if (!parents.has(cursor)) parents.set(cursor, (await api.service.providers.findProvider(cursor))?.parentProviderUuid ?? null);
      cursor = parents.get(cursor);
    }
    return false;
  };

  const out: Combination[] = [];
  for (const root of roots) {
    const options = byRoot.map((m) => m.get(root) as ProviderRow[]);
    const walk = async (index: number, chosen: ProviderRow[]): Promise<void> => {
      if (out.length >= MAX_COMBINATIONS) return;
      if (index === groups.length) {
        if (!fits(groups, chosen, summaries)) return;
        for (const list of sameSubtree) {
          const picked = list.map((suffix) => chosen[groups.findIndex((g) => g.suffix === suffix)] as ProviderRow);
          let ok = false;
          for (const top of picked) {
            let all = true;
            for (const p of picked) if (!(await isAncestorOrSelf(top.uuid, p.uuid))) all = false;
            if (all) ok = true;
          }
          if (!ok) return;
        }
        out.push({ choice: new Map(groups.map((g, i) => [g.suffix, chosen[i] as ProviderRow])) });
        return;
      }
      for (const p of options[index] as ProviderRow[]) {
        const group = groups[index] as Group;
        if (isolate && group.suffix !== '') {
          const clash = chosen.some((c, i) => (groups[i] as Group).suffix !== '' && c.uuid === p.uuid);
          if (clash) continue;
        }
        await walk(index + 1, [...chosen, p]);
      }
    };
    await walk(0, []);
  }
  return out;
}

/** Groups sharing a provider must fit in what it has left together. */
function fits(groups: Group[], chosen: ProviderRow[], summaries: Map<string, { summary: Record<string, { capacity: number; used: number }> }>): boolean {
  const totals = new Map<string, number>();
  groups.forEach((g, i) => {
    const uuid = (chosen[i] as ProviderRow).uuid;
    for (const [rc, amount] of Object.entries(g.resources)) totals.set(`${uuid} ${rc}`, (totals.get(`${uuid} ${rc}`) ?? 0) + amount);
  });
  for (const [key, amount] of totals) {
    const [uuid, rc] = key.split(' ') as [string, string];
    const entry = summaries.get(uuid)?.summary[rc];
    if (!entry || entry.used + amount > entry.capacity) return false;
  }
  return true;
}
