/**
 * The metric service's door (`deps.services.metric`), as src/metric/types.ts
 * defines it: the index's half here (resources for Ceilometer's publisher,
 * searches for Heat and Aodh) composed with the measures room's half.
 */
import type { CallerContext } from '../core/context.js';
import type { Json, JsonObject } from '../core/json.js';
import type { MeasureOperations } from './measures/index.js';
import type { IndexService } from './service/index.js';
import type { MetricOperations, ResourceRecord } from './types.js';

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    metric?: MetricOperations;
  }
}

export type { MetricOperations, ResourceMeasures } from './types.js';

function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

export function metricOperations(index: IndexService, measures: MeasureOperations): MetricOperations {
  const searchResources = (caller: CallerContext, resourceType: string, filter: Json | null): Promise<ResourceRecord[]> =>
    index.reads.list(caller, resourceType, filter, { history: false, sort: [], limit: null, marker: null }, 'search resource');

  return {
    ...measures,
    searchResources,

    async upsertResource(caller, resourceType, resource) {
      const metrics: JsonObject = {};
      for (const [name, options] of Object.entries(resource.metrics)) {
        metrics[name] = {
          ...(options.archivePolicyName ? { archive_policy_name: options.archivePolicyName } : {}),
          ...(options.unit ? { unit: options.unit } : {}),
        };
      }
      const owner: JsonObject = {
        ...(resource.projectId !== undefined ? { project_id: resource.projectId } : {}),
        ...(resource.userId !== undefined ? { user_id: resource.userId } : {}),
      };
      let existing: ResourceRecord | null = null;
      try {
        existing = await index.reads.show(caller, resourceType, resource.id);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (existing === null) return index.writes.create(caller, resourceType, { id: resource.id, ...owner, ...resource.attributes, metrics });
      const missing = Object.fromEntries(Object.entries(metrics).filter(([name]) => !(name in (existing as ResourceRecord).metrics)));
      const updated = await index.writes.update(caller, resourceType, resource.id, { ...owner, ...resource.attributes });
      return Object.keys(missing).length === 0 ? updated : index.writes.addMetrics(caller, resourceType, resource.id, missing);
    },

    async endResource(caller, resourceType, resourceId, endedAt) {
      try {
        await index.writes.update(caller, resourceType, resourceId, { ended_at: endedAt });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
