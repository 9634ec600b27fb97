/**
 * The legacy cross-metric API, `/v1/aggregation/metric` and
 * `/v1/aggregation/resource/{type}/metric/{name}` (Aodh's older evaluators and
 * `gnocchi measures aggregation`): one method across metrics, answered as a
 * plain list of points (or groups of them).
 */
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import type { MetricRecord } from '../types.js';
import type { AggregatedPoint } from '../timeseries/types.js';
import { crossAggregate, type Fill, type SeriesInput } from './cross-series.js';
import { aggregationAtGranularityNotFound, invalidInput, noSuchAggregationMethod, unaggregable } from './errors.js';
import { groupResources } from './aggregates.js';
import type { Sampling } from './calendar.js';
import type { OperationNode } from './operations-parse.js';
import { acrossReducer, splitRate } from './reducers.js';
import { policyOf, readGranularity, readMetricMeasures, readResampled, refreshMetrics, type ReadQuery, type SeriesSources } from './series-read.js';
import { renderPoints } from './time.js';

export interface LegacyQuery {
  aggregation: string;
  reaggregation?: string;
  granularity?: number;
  start?: number;
  stop?: number;
  neededOverlap: number;
  fill: Fill | null;
  refresh: boolean;
  resample?: Sampling;
}

/** The points of `query.aggregation` across `metrics`, re-aggregated with `reaggregation` (default: the same method). */
export async function crossMetricMeasures(sources: SeriesSources, metrics: MetricRecord[], query: LegacyQuery): Promise<Json[]> {
  if (metrics.length === 0) return [];
  const policies = await Promise.all(metrics.map((m) => policyOf(sources, m)));
  let granularities: number[];
  if (query.granularity !== undefined) granularities = [query.granularity];
  else {
    const sets = policies.map((p) => p.definition.map((d) => d.granularity));
    granularities = sets[0]!.filter((g) => sets.every((set) => set.includes(g)));
    if (granularities.length === 0)
      throw unaggregable(
        metrics.map((m) => [m.id, query.aggregation]),
        'No granularity match',
      );
  }
  metrics.forEach((metric, i) => {
    for (const g of granularities)
      if (!policies[i]!.aggregationMethods.includes(query.aggregation) || !policies[i]!.definition.some((d) => d.granularity === g))
        throw aggregationAtGranularityNotFound(metric.id, query.aggregation, g);
  });
  if (query.refresh)
    await refreshMetrics(
      sources,
      metrics.map((m) => m.id),
    );
  if (metrics.length === 1) {
    const single: ReadQuery = { aggregation: query.aggregation };
    if (query.start !== undefined) single.start = query.start;
    if (query.stop !== undefined) single.stop = query.stop;
    if (!policies[0]!.aggregationMethods.includes(query.aggregation)) throw noSuchAggregationMethod(metrics[0]!.id, query.aggregation);
    if (query.granularity === undefined) return renderPoints(await readMetricMeasures(sources, metrics[0]!, single));
    const one = { ...single, granularity: query.granularity };
    if (query.resample === undefined) return renderPoints(await readMetricMeasures(sources, metrics[0]!, one));
    return renderPoints(await readResampled(sources, metrics[0]!, one, query.resample));
  }
  const reaggregation = query.reaggregation ?? query.aggregation;
  if (!acrossReducer(splitRate(reaggregation).base)) throw invalidInput(`'${reaggregation}' can not aggregate several metrics`, ['reaggregation']);
  const metricNode: OperationNode = { kind: 'metric', references: metrics.map((m) => [m.id, query.aggregation]) };
  const operand: OperationNode =
    query.resample === undefined ? metricNode : { kind: 'resample', method: query.aggregation, sampling: query.resample, operand: metricNode };
  const tree: OperationNode = { kind: 'aggregate', method: reaggregation, operand };
  const inputs: SeriesInput[] = await Promise.all(
    metrics.map(async (metric, i) => {
      const points = new Map<number, AggregatedPoint[]>();
      for (const g of granularities) points.set(g, await readGranularity(sources, metric.id, policies[i]!, query.aggregation, g, query.start, query.stop));
      return {
        lookup: [metric.id, query.aggregation] as [string, string],
        metricId: metric.id,
        metricName: metric.name,
        resourceId: null,
        aggregation: query.aggregation,
        points,
      };
    }),
  );
  const options = {
    neededOverlap: query.neededOverlap,
    fill: query.fill,
    ...(query.start === undefined ? {} : { start: query.start }),
    ...(query.stop === undefined ? {} : { stop: query.stop }),
  };
  return (crossAggregate(tree, inputs, granularities, options).aggregated as Json[] | undefined) ?? [];
}

/** `/v1/aggregation/resource/{type}/metric/{name}`: the metric of that name of every resource the filter finds, optionally per group. */
export async function resourceAggregation(
  sources: SeriesSources,
  caller: CallerContext,
  resourceType: string,
  metricName: string,
  filter: Json | null,
  groupby: string[],
  query: LegacyQuery,
): Promise<Json> {
  const resources = await sources.index.searchResources(caller, resourceType, filter);
  const metricsOf = async (list: typeof resources) => {
    const found = await Promise.all(list.filter((r) => metricName in r.metrics).map((r) => sources.index.metric(caller, r.metrics[metricName]!)));
    return found.filter((m): m is MetricRecord => m !== null);
  };
  const sorted = [...new Set(groupby)].sort();
  if (sorted.length === 0) return crossMetricMeasures(sources, await metricsOf(resources), query);
  const groups: Json[] = [];
  for (const { group, resources: members } of groupResources(resources, sorted))
    groups.push({ group, measures: await crossMetricMeasures(sources, await metricsOf(members), query) });
  return groups;
}
