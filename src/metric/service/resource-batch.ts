/**
 * The resource batch push's look-up (`/v1/batch/resources/metrics/measures`,
 * Ceilometer's publisher): every resource the batch names and all their
 * metrics in two queries, `get resource` decided once per owner.
 */
import type { CallerContext } from '../../core/context.js';
import { metricsOfResources, type MetricRow } from '../store/metrics.js';
import { currentResources } from '../store/resources.js';
import type { MetricRecord, ResourceWithMetrics } from '../types.js';
import { creatorOf, decisionsPerOwner, type IndexDeps } from './deps.js';
import { metricRecord } from './metrics.js';
import { resourceRecord, resourceTarget } from './resource-records.js';
import { resourceUuid } from './resource-ids.js';

/** The resources the caller sees among `askedIds` (ids or original ids, any type), keyed by the id asked. */
export async function resourcesByIds(deps: IndexDeps, caller: CallerContext, askedIds: readonly string[]): Promise<Map<string, ResourceWithMetrics>> {
  const creator = creatorOf(caller);
  const uuidOf = new Map<string, string>();
  for (const asked of new Set(askedIds)) {
    const uuid = resourceUuid(asked, creator);
    if (uuid !== null) uuidOf.set(asked, uuid);
  }
  const decide = decisionsPerOwner(deps, caller, 'get resource', ['id']);
  const visible = (await currentResources(deps.db, [...new Set(uuidOf.values())])).filter((row) => decide(resourceTarget(row)));
  const metricsOf = new Map<string, MetricRow[]>();
  for (const row of await metricsOfResources(
    deps.db,
    visible.map((resource) => resource.id),
  )) {
    const list = metricsOf.get(row.resource_id as string);
    if (list) list.push(row);
    else metricsOf.set(row.resource_id as string, [row]);
  }
  const byUuid = new Map<string, ResourceWithMetrics>();
  for (const row of visible) {
    const rows = metricsOf.get(row.id) ?? [];
    const metrics = new Map<string, MetricRecord>(rows.filter((m) => m.name !== null).map((m) => [m.name as string, metricRecord(m, row.project_id)]));
    byUuid.set(row.id, { resource: resourceRecord(row, rows), metrics });
  }
  const answer = new Map<string, ResourceWithMetrics>();
  for (const [asked, uuid] of uuidOf) {
    const found = byUuid.get(uuid);
    if (found) answer.set(asked, found);
  }
  return answer;
}
