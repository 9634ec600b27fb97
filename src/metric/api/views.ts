/** Gnocchi's JSON for each record (gnocchi/rest/api.py and the indexer's jsonify). */
import type { Json, JsonObject } from '../../core/json.js';
import type { RuleRecord } from '../service/archive-policies.js';
import { formatTimespan } from '../service/timespan.js';
import type { ResourceTypeRecord } from '../store/resource-types.js';
import type { MetricRow } from '../store/metrics.js';
import type { ArchivePolicy } from '../timeseries/types.js';
import type { ResourceRecord } from '../types.js';
import { metricRecord } from '../service/metrics.js';

export function archivePolicyView(policy: ArchivePolicy): JsonObject {
  return {
    name: policy.name,
    back_window: policy.backWindow,
    definition: policy.definition.map((item) => ({
      timespan: item.timespan === null ? null : formatTimespan(item.timespan),
      granularity: formatTimespan(item.granularity),
      points: item.points,
    })),
    aggregation_methods: policy.aggregationMethods,
  };
}

export function ruleView(rule: RuleRecord): JsonObject {
  return { name: rule.name, metric_pattern: rule.metricPattern, archive_policy_name: rule.archivePolicyName };
}

export function resourceTypeView(type: ResourceTypeRecord): JsonObject {
  return { name: type.name, state: type.state, attributes: type.attributes };
}

/** A resource; its type's attributes unless it is read as `generic` without details. */
export function resourceView(record: ResourceRecord, withAttributes: boolean): JsonObject {
  const view: JsonObject = {
    id: record.id,
    creator: record.creator,
    created_by_user_id: record.createdByUserId,
    created_by_project_id: record.createdByProjectId,
    started_at: record.startedAt,
    ended_at: record.endedAt,
    revision_start: record.revisionStart,
    revision_end: record.revisionEnd,
    user_id: record.userId,
    project_id: record.projectId,
    original_resource_id: record.originalResourceId,
    type: record.type,
    metrics: record.metrics,
  };
  return withAttributes ? { ...view, ...record.attributes } : view;
}

/** A record back as the row its view reads (the measures room's `details=true` references). */
export { metricRow } from '../service/metrics.js';

/** A metric: its policy by name, or the policy itself and the resource (`GET /v1/metric/{id}`). */
export function metricView(row: MetricRow, detail: { policy?: ArchivePolicy; resource?: ResourceRecord | null } = {}): JsonObject {
  const record = metricRecord(row);
  const view: Record<string, Json> = {
    id: row.id,
    creator: row.creator,
    created_by_user_id: record.createdByUserId,
    created_by_project_id: record.createdByProjectId,
    name: row.name,
    unit: row.unit,
  };
  if (detail.resource === undefined) view.resource_id = row.resource_id;
  else view.resource = detail.resource === null ? null : resourceView(detail.resource, false);
  if (detail.policy) view.archive_policy = archivePolicyView(detail.policy);
  else view.archive_policy_name = row.archive_policy_name;
  return view;
}
