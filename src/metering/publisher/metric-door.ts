/**
 * The three calls of the metric service's door the publisher makes
 * (MetricOperations in src/metric/types.ts, the contract): typed here by
 * shape, as a service may import another only through its operations.ts and
 * the metric service's is not written yet. Its MetricOperations satisfies
 * this as it stands (test/metering/support.ts checks it at compile time).
 */
import type { CallerContext } from '../../core/context.js';
import type { JsonObject } from '../../core/json.js';
import type { ServiceRegistry } from '../../core/service-module.js';

export interface MeasuresOfMetric {
  resourceId: string;
  metricName: string;
  /** Epoch seconds. */
  measures: Array<{ timestamp: number; value: number }>;
  archivePolicyName?: string;
  unit?: string;
}

export interface MetricWriter {
  upsertResource(
    caller: CallerContext,
    resourceType: string,
    resource: {
      id: string;
      projectId?: string | null;
      userId?: string | null;
      attributes: JsonObject;
      metrics: Record<string, { archivePolicyName?: string; unit?: string }>;
    },
  ): Promise<unknown>;
  endResource(caller: CallerContext, resourceType: string, resourceId: string, endedAt: string): Promise<void>;
  pushResourceMeasures(caller: CallerContext, batch: MeasuresOfMetric[], createMetrics: boolean): Promise<void>;
}

/** The metric service's door when it runs. */
export function metricDoor(services: ServiceRegistry): MetricWriter | undefined {
  return (services.metric ?? undefined) as MetricWriter | undefined;
}
