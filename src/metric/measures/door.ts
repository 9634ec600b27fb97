/**
 * The measure half of the metric service's door (MetricOperations): what
 * Ceilometer's publisher, Aodh's evaluator and Heat call, the same logic the
 * REST routes use.
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import type { MetricOperations, MetricRecord } from '../types.js';
import { aggregates } from './aggregates.js';
import { metricNotFound } from './errors.js';
import { pushResourceBatch } from './push.js';
import { readMetricMeasures, visibleMetric, type MeasureRule, type SeriesSources } from './series-read.js';

export type MeasureOperations = Pick<MetricOperations, 'pushResourceMeasures' | 'metricMeasures' | 'resourceMetricMeasures' | 'aggregates'>;

export type MeasureDeps = SeriesSources;

/** A resource's metric by name; Gnocchi's 404 for the resource, then for the metric; 403 when `rule` forbids. */
export async function namedMetric(sources: SeriesSources, caller: CallerContext, path: NamedMetricPath, rule: MeasureRule): Promise<MetricRecord> {
  const { index } = sources;
  const metric = await index.resourceMetric(caller, path.type, path.resource, path.name);
  if (!metric) {
    if (!(await index.resource(caller, path.type, path.resource))) throw new NotFound(`Resource ${path.resource} does not exist`);
    throw metricNotFound(path.name);
  }
  await sources.enforce(caller, rule, metric);
  return metric;
}

export interface NamedMetricPath {
  type: string;
  resource: string;
  name: string;
}

export function measureOperations(deps: MeasureDeps): MeasureOperations {
  return {
    pushResourceMeasures: (caller, batch, createMetrics) => pushResourceBatch(deps, caller, batch, createMetrics),
    metricMeasures: async (caller, metricId, query) => readMetricMeasures(deps, await visibleMetric(deps, caller, metricId, 'get measures'), query),
    resourceMetricMeasures: async (caller, type, resource, name, query) =>
      readMetricMeasures(deps, await namedMetric(deps, caller, { type, resource, name }, 'get measures'), query),
    aggregates: (caller, request) => aggregates(deps, caller, request),
  };
}
