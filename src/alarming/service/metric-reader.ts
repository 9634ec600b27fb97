/**
 * The two calls of the metric service's door (MetricOperations, src/metric/types.ts)
 * the evaluator makes, typed here by shape: a service may import another only
 * through its operations.ts, which the metric service has not published yet.
 * Once it does, its MetricOperations satisfies this as it stands.
 */
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import type { ServiceRegistry } from '../../core/service-module.js';

export interface MeasuresQuery {
  aggregation: string;
  granularity?: number;
  /** Epoch seconds, start inclusive, stop exclusive. */
  start?: number;
  stop?: number;
}

export interface AggregatesQuery {
  operations: string | Json;
  search?: Json;
  resourceType?: string;
  granularity?: number;
  start?: number;
  stop?: number;
  neededOverlap?: number;
}

export interface MetricReader {
  resourceMetricMeasures(
    caller: CallerContext,
    resourceType: string,
    resourceId: string,
    metricName: string,
    query: MeasuresQuery,
  ): Promise<Array<{ timestamp: number; granularity: number; value: number }>>;
  aggregates(caller: CallerContext, request: AggregatesQuery): Promise<Json>;
}

/** The metric door from the registry, when the metric service runs. */
export function metricDoor(services: ServiceRegistry): MetricReader | undefined {
  return (services.metric ?? undefined) as MetricReader | undefined;
}
