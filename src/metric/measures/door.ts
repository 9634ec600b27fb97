/**
 * The measure half of the metric service's door (MetricOperations): what
 * Ceilometer's publisher, Aodh's evaluator and Heat call, the same logic the
 * REST routes use.
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import type { MetricIndex, MetricOperations } from '../types.js';
import type { TimeSeriesEngine } from '../timeseries/types.js';
import { aggregates } from './aggregates.js';
import { metricNotFound } from './errors.js';
import { pushResourceBatch } from './push.js';
import { readMetricMeasures, visibleMetric } from './series-read.js';

export type MeasureOperations = Pick<MetricOperations, 'pushResourceMeasures' | 'metricMeasures' | 'resourceMetricMeasures' | 'aggregates'>;

export interface MeasureDeps {
  index: MetricIndex;
  engine: TimeSeriesEngine;
}

/** A resource's metric by name; Gnocchi's 404 for the resource, then for the metric. */
export async function namedMetric(index: MetricIndex, caller: CallerContext, resourceType: string, resourceId: string, metricName: string) {
  const metric = await index.resourceMetric(caller, resourceType, resourceId, metricName);
  if (metric) return metric;
  if (!(await index.resource(caller, resourceType, resourceId))) throw new NotFound(`Resource ${resourceId} does not exist`);
  throw metricNotFound(metricName);
}

export function measureOperations(deps: MeasureDeps): MeasureOperations {
  return {
    pushResourceMeasures: (caller, batch, createMetrics) => pushResourceBatch(deps, caller, batch, createMetrics),
    metricMeasures: async (caller, metricId, query) => readMetricMeasures(deps, await visibleMetric(deps.index, caller, metricId), query),
    resourceMetricMeasures: async (caller, resourceType, resourceId, metricName, query) =>
      readMetricMeasures(deps, await namedMetric(deps.index, caller, resourceType, resourceId, metricName), query),
    aggregates: (caller, request) => aggregates(deps, caller, request),
  };
}
