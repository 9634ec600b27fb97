/** The calls of the metric service's door the evaluator makes. */
import type { ServiceRegistry } from '../../core/service-module.js';
import type { MetricOperations } from '../../metric/operations.js';

export type MetricReader = Pick<MetricOperations, 'resourceMetricMeasures' | 'aggregates'>;

/** The metric door from the registry, when the metric service runs. */
export function metricDoor(services: ServiceRegistry): MetricReader | undefined {
  return services.metric;
}
