/** The calls of the metric service's door the publisher makes (Ceilometer's gnocchi publisher). */
import type { ServiceRegistry } from '../../core/service-module.js';
import type { MetricOperations, ResourceMeasures } from '../../metric/operations.js';

export type MeasuresOfMetric = ResourceMeasures;

export type MetricWriter = Pick<MetricOperations, 'upsertResource' | 'endResource' | 'pushResourceMeasures'>;

/** The metric service's door when it runs. */
export function metricDoor(services: ServiceRegistry): MetricWriter | undefined {
  return services.metric;
}
