/**
 * The index's domain layer in one object: archive policies and rules,
 * resource types, resources, metrics, and the `MetricIndex` the measures
 * room asks.
 */
import { parseFilterString } from './filter-string.js';
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import * as metricStore from '../store/metrics.js';
import type { MetricIndex, MetricRecord, ResourceRecord } from '../types.js';
import type { ArchivePolicy } from '../timeseries/types.js';
import { archivePolicyService } from './archive-policies.js';
import { enforce, type IndexDeps } from './deps.js';
import { metricRecord, metricService } from './metrics.js';
import { resourcesByIds } from './resource-batch.js';
import { resourceReadService } from './resource-read.js';
import { resourceTypeService } from './resource-types.js';
import { resourceWriteService } from './resource-write.js';

export type { IndexDeps } from './deps.js';

export function indexService(deps: IndexDeps) {
  const policies = archivePolicyService(deps);
  const types = resourceTypeService(deps);
  const metrics = metricService(deps, policies);
  const writes = resourceWriteService(deps, types, metrics);
  const reads = resourceReadService(deps, types, writes);
  /** A rule with no target (the measures room's `get status`). */
  const enforceRule = (caller: CallerContext, rule: string) => enforce(deps, caller, rule, {});
  return { deps, policies, types, metrics, writes, reads, enforce: enforceRule };
}

export type IndexService = ReturnType<typeof indexService>;

/** Null instead of a 404/403, as the MetricIndex contract reads. */
async function orNull<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 403) return null;
    throw error;
  }
}

export function metricIndex(index: IndexService): MetricIndex {
  const policyOfMetric = async (metricId: string): Promise<ArchivePolicy | null> => {
    const row = await metricStore.findMetric(index.deps.db, metricId);
    return row ? index.policies.get(row.archive_policy_name) : null;
  };
  const resource = (caller: CallerContext, type: string, id: string): Promise<ResourceRecord | null> => orNull(index.reads.show(caller, type, id));
  return {
    metric: async (caller, metricId) => {
      const row = await orNull(index.metrics.visible(caller, metricId, 'get metric'));
      return row ? metricRecord(row) : null;
    },
    async resourceMetric(caller, resourceType, resourceId, metricName): Promise<MetricRecord | null> {
      const found = await resource(caller, resourceType, resourceId);
      const metricId = found?.metrics[metricName];
      if (!metricId) return null;
      const row = await metricStore.findMetric(index.deps.db, metricId);
      return row ? metricRecord(row) : null;
    },
    metricsByIds: (caller, metricIds) => index.metrics.visibleMany(caller, metricIds, 'get metric'),
    resourcesByIds: (caller, resourceIds) => resourcesByIds(index.deps, caller, resourceIds),
    resource,
    archivePolicy: (name) => index.policies.get(name),
    policyOfMetric,
    async createResourceMetric(caller, resourceId, metricName, options) {
      const record = await index.writes.addMetrics(caller, 'generic', resourceId, {
        [metricName]: {
          ...(options.archivePolicyName ? { archive_policy_name: options.archivePolicyName } : {}),
          ...(options.unit ? { unit: options.unit } : {}),
        },
      });
      const row = await metricStore.findMetric(index.deps.db, record.metrics[metricName] as string);
      return metricRecord(row as metricStore.MetricRow);
    },
    // `/v1/aggregates` takes a search as JSON or in the query-string language (`id!=null`), as Gnocchi does.
    searchResources: (caller: CallerContext, resourceType: string, filter: Json | null) =>
      index.reads.list(
        caller,
        resourceType,
        typeof filter === 'string' ? parseFilterString(filter) : filter,
        { history: false, sort: [], limit: null, marker: null },
        'search resource',
      ),
  };
}
