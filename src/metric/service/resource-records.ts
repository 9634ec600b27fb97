/** A stored revision and its metrics as the contract's ResourceRecord. */
import type { JsonObject } from '../../core/json.js';
import type { MetricRow } from '../store/metrics.js';
import { metricsOfResources } from '../store/metrics.js';
import type { StoredResource } from '../store/resources.js';
import type { MetricDb } from '../store/tables.js';
import type { ResourceRecord } from '../types.js';
import { creatorParts } from './deps.js';
import { renderTime } from './times.js';

export function resourceRecord(row: StoredResource, metrics: MetricRow[]): ResourceRecord {
  const creator = creatorParts(row.creator);
  return {
    id: row.id,
    originalResourceId: row.original_resource_id,
    type: row.type,
    projectId: row.project_id,
    userId: row.user_id,
    creator: row.creator,
    createdByUserId: creator.userId,
    createdByProjectId: creator.projectId,
    startedAt: renderTime(row.started_at),
    endedAt: renderTime(row.ended_at),
    revisionStart: renderTime(row.revision_start),
    revisionEnd: renderTime(row.revision_end),
    metrics: Object.fromEntries(metrics.filter((m) => m.resource_id === row.id && m.name !== null).map((m) => [m.name as string, m.id])),
    attributes: JSON.parse(row.attributes) as JsonObject,
  };
}

/** Records for rows, their metrics read in one query. */
export async function resourceRecords(db: MetricDb, rows: StoredResource[]): Promise<ResourceRecord[]> {
  const metrics = await metricsOfResources(db, [...new Set(rows.map((r) => r.id))]);
  return rows.map((row) => resourceRecord(row, metrics));
}

/** What Gnocchi's policy rules see of a resource. */
export function resourceTarget(row: StoredResource): JsonObject {
  const creator = creatorParts(row.creator);
  return {
    id: row.id,
    type: row.type,
    project_id: row.project_id,
    user_id: row.user_id,
    creator: row.creator,
    created_by_user_id: creator.userId,
    created_by_project_id: creator.projectId,
    resource_type: row.type,
  };
}
