/**
 * `POST /v1/aggregates`: the operations tree over metrics named by id, or by
 * name across the resources a search finds (optionally grouped by resource
 * attributes), as gnocchi/rest/aggregates/api.py answers it.
 */
import type { CallerContext } from '../../core/context.js';
import { NotImplemented } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import type { AggregatesRequest, MetricRecord, ResourceRecord } from '../types.js';
import type { AggregatedPoint, ArchivePolicy } from '../timeseries/types.js';
import { crossAggregate, type CrossOptions, type Fill, type SeriesInput } from './cross-series.js';
import { GnocchiBadRequest, GnocchiNotFound, unaggregable } from './errors.js';
import { parseOperations, referencesOf, type OperationNode, type Reference } from './operations-parse.js';
import { isUuid } from './push.js';
import { policyOf, readGranularity, type SeriesSources } from './series-read.js';

/** A series to read: its metric, policy and how the tree and the answer name it. */
interface Target {
  metric: MetricRecord;
  policy: ArchivePolicy;
  lookup: Reference;
  resourceId: string | null;
}

/** Python's repr of a list of strings, as Gnocchi's messages print them. */
const pyList = (items: string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;

function commonGranularities(targets: Target[], requested: number | undefined): number[] {
  if (requested !== undefined) return [requested];
  const counts = new Map<number, number>();
  for (const t of targets) for (const item of t.policy.definition) counts.set(item.granularity, (counts.get(item.granularity) ?? 0) + 1);
  const common = [...counts].filter(([, n]) => n === targets.length).map(([g]) => g);
  if (common.length === 0)
    throw unaggregable(
      targets.map((t) => t.lookup),
      'No granularity match',
    );
  return common;
}

/** Reads every target at every granularity and evaluates the tree (processor.get_measures). */
async function measuresOf(
  sources: SeriesSources,
  tree: OperationNode,
  targets: Target[],
  request: AggregatesRequest,
  options: CrossOptions,
): Promise<JsonObject> {
  const granularities = commonGranularities(targets, request.granularity);
  const missing: Json[] = [];
  for (const t of targets) {
    if (!t.policy.aggregationMethods.includes(t.lookup[1]))
      throw new GnocchiNotFound({ cause: 'Metrics with unknown aggregation', detail: [[t.metric.id, t.lookup[1]]] });
    const lacking = granularities.find((g) => !t.policy.definition.some((item) => item.granularity === g));
    if (lacking !== undefined) missing.push([t.lookup[0], t.lookup[1], lacking]);
  }
  if (missing.length > 0) throw unaggregable(missing, 'Granularities are missing');
  const inputs: SeriesInput[] = await Promise.all(
    targets.map(async (t) => {
      const points = new Map<number, AggregatedPoint[]>();
      for (const g of granularities) points.set(g, await readGranularity(sources, t.metric.id, t.policy, t.lookup[1], g, request.start, request.stop));
      return { lookup: t.lookup, metricId: t.metric.id, metricName: t.metric.name, resourceId: t.resourceId, aggregation: t.lookup[1], points };
    }),
  );
  return crossAggregate(tree, inputs, granularities, options);
}

/** Gnocchi's fnmatch: `*`, `?` and `[...]` over the whole name. */
function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.')
    .replace(/\[!/g, '[^');
  return new RegExp(`^${source}$`, 's').test(name);
}

/** The archive policies of many metrics, each policy read once. */
function policiesByName(sources: SeriesSources): (metric: MetricRecord) => Promise<ArchivePolicy> {
  const read = new Map<string, Promise<ArchivePolicy>>();
  return (metric) => {
    let policy = read.get(metric.archivePolicyName);
    if (!policy) read.set(metric.archivePolicyName, (policy = policyOf(sources, metric)));
    return policy;
  };
}

async function resourceTargets(sources: SeriesSources, caller: CallerContext, resources: ResourceRecord[], references: Reference[]): Promise<Target[]> {
  const matches: Array<{ metricId: string; lookup: Reference; resourceId: string }> = [];
  for (const resource of resources)
    for (const [pattern, aggregation] of references)
      for (const [name, metricId] of Object.entries(resource.metrics))
        if (globMatches(pattern, name)) matches.push({ metricId, lookup: [pattern, aggregation], resourceId: resource.id });
  const metrics = await sources.index.metricsByIds(
    caller,
    matches.map((match) => match.metricId),
  );
  const policy = policiesByName(sources);
  const targets: Target[] = [];
  for (const { metricId, lookup, resourceId } of matches) {
    const metric = metrics.get(metricId);
    if (metric) targets.push({ metric, policy: await policy(metric), lookup, resourceId });
  }
  return targets;
}

/** A resource's value of a groupby attribute (its own columns, then its type's attributes). */
function resourceAttribute(resource: ResourceRecord, name: string): Json {
  const columns: JsonObject = {
    id: resource.id,
    original_resource_id: resource.originalResourceId,
    type: resource.type,
    project_id: resource.projectId,
    user_id: resource.userId,
    creator: resource.creator,
    created_by_user_id: resource.createdByUserId,
    created_by_project_id: resource.createdByProjectId,
    started_at: resource.startedAt,
    ended_at: resource.endedAt,
    revision_start: resource.revisionStart,
    revision_end: resource.revisionEnd,
  };
  return name in columns ? columns[name]! : (resource.attributes[name] ?? null);
}

/** Resources grouped by the values of `groupby` (sorted attribute names), groups in sorted key order. */
export function groupResources(resources: ResourceRecord[], groupby: string[]): Array<{ group: JsonObject; resources: ResourceRecord[] }> {
  const groups = new Map<string, { group: JsonObject; resources: ResourceRecord[] }>();
  for (const resource of resources) {
    const group: JsonObject = Object.fromEntries(groupby.map((attr) => [attr, resourceAttribute(resource, attr)]));
    const key = JSON.stringify(groupby.map((attr) => String(group[attr] ?? '')));
    const entry = groups.get(key) ?? { group, resources: [] };
    entry.resources.push(resource);
    groups.set(key, entry);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}

function crossOptions(request: AggregatesRequest, defaultFill: Fill | null): CrossOptions {
  const options: CrossOptions = { neededOverlap: request.neededOverlap ?? 100, fill: request.fill ?? defaultFill };
  if (request.start !== undefined) options.start = request.start;
  if (request.stop !== undefined) options.stop = request.stop;
  return options;
}

/** `POST /v1/aggregates`; Gnocchi fills with `dropna` when neither fill nor needed_overlap is given. */
/** How the index renders what `details=true` lists under `references` (its metric and resource views). */
export interface ReferenceViews {
  metric(metric: MetricRecord): Json | Promise<Json>;
  resource(resource: ResourceRecord): Json | Promise<Json>;
}

/** `{measures}` plus, with `details`, the metrics (or, found by search, the resources) the answer used. */
async function answer(measures: JsonObject, targets: Target[], resources: ResourceRecord[], details: ReferenceViews | undefined): Promise<JsonObject> {
  if (!details) return { measures };
  if (resources.length === 0) {
    const metrics = [...new Map(targets.map((t) => [t.metric.id, t.metric])).values()];
    return { measures, references: await Promise.all(metrics.map((m) => details.metric(m))) };
  }
  const used = resources.filter((r) => targets.some((t) => t.resourceId === r.id));
  return { measures, references: await Promise.all(used.map((r) => details.resource(r))) };
}

export async function aggregates(sources: SeriesSources, caller: CallerContext, request: AggregatesRequest, details?: ReferenceViews): Promise<Json> {
  const tree = parseOperations(request.operations);
  const references = referencesOf(tree);
  if (references.length === 0)
    throw new GnocchiBadRequest({ cause: 'Operations is invalid', reason: "At least one 'metric' is required", detail: request.operations });
  const options = crossOptions(request, request.fill === undefined && request.neededOverlap === undefined ? 'dropna' : null);
  if (request.resourceType === undefined) {
    const bad = references.find(([id]) => !isUuid(id));
    if (bad) throw new GnocchiBadRequest({ cause: 'Invalid metric references', reason: 'badly formed hexadecimal UUID string', detail: references });
    const found = await sources.index.metricsByIds(
      caller,
      references.map(([id]) => id),
    );
    const missing = references.filter(([id]) => !found.has(id.toLowerCase())).map(([id]) => id);
    if (missing.length > 0) throw new GnocchiNotFound({ cause: 'Unknown metrics', reason: "Provided metrics don't exists", detail: [...new Set(missing)] });
    const policy = policiesByName(sources);
    const targets = await Promise.all(
      references.map(async (lookup) => {
        const metric = found.get(lookup[0].toLowerCase())!;
        return { metric, policy: await policy(metric), lookup, resourceId: null };
      }),
    );
    return answer(await measuresOf(sources, tree, targets, request, options), targets, [], details);
  }
  const resources = await sources.index.searchResources(caller, request.resourceType, request.search ?? null);
  const notFound = () => new GnocchiNotFound(`Metric ${pyList([...new Set(references.map(([name]) => name))].sort())} does not exist`);
  const groupby = [...new Set(request.groupby ?? [])].sort();
  if (groupby.length === 0) {
    const targets = await resourceTargets(sources, caller, resources, references);
    if (targets.length === 0) throw notFound();
    return answer(await measuresOf(sources, tree, targets, request, options), targets, resources, details);
  }
  const results: Json[] = [];
  for (const { group, resources: members } of groupResources(resources, groupby)) {
    const targets = await resourceTargets(sources, caller, members, references);
    if (targets.length > 0)
      results.push({ group, measures: await answer(await measuresOf(sources, tree, targets, request, options), targets, members, details) });
  }
  if (results.length === 0) throw notFound();
  return results;
}

/** Features of the aggregates API this room does not serve yet answer 501 rather than a partial answer. */
export function unsupported(feature: string): NotImplemented {
  return new NotImplemented(`Sorry, this Gnocchi server does not implement this feature 😞 (${feature})`);
}
