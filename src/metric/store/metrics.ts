/** Metrics: id, name, unit, the resource they belong to, their archive policy and creator. */
import type { ExpressionBuilder } from 'kysely';
import type { MetricDb, MetricRow, MetricTables } from './tables.js';

export type { MetricRow } from './tables.js';

export async function findMetric(db: MetricDb, id: string): Promise<MetricRow | null> {
  return (await db.selectFrom('gnocchi_metric').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Bound parameters per `IN (...)` list: one statement for any batch Gnocchi's clients send, under SQLite's 32,766. */
export const IDS_PER_STATEMENT = 10_000;

/** Metrics by id with the project of the resource each belongs to (null when none), for the batch push's one look-up. */
export async function findMetricsWithResourceProject(db: MetricDb, ids: readonly string[]): Promise<Array<MetricRow & { resource_project_id: string | null }>> {
  const rows: Array<MetricRow & { resource_project_id: string | null }> = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const found = await db
      .selectFrom('gnocchi_metric')
      .leftJoin('gnocchi_resource', (join) =>
        join.onRef('gnocchi_resource.id', '=', 'gnocchi_metric.resource_id').on('gnocchi_resource.revision_end', 'is', null),
      )
      .selectAll('gnocchi_metric')
      .select('gnocchi_resource.project_id as resource_project_id')
      .where('gnocchi_metric.id', 'in', ids.slice(i, i + IDS_PER_STATEMENT))
      .execute();
    rows.push(...found);
  }
  return rows;
}

export async function findResourceMetric(db: MetricDb, resourceId: string, name: string): Promise<MetricRow | null> {
  return (await db.selectFrom('gnocchi_metric').selectAll().where('resource_id', '=', resourceId).where('name', '=', name).executeTakeFirst()) ?? null;
}

export async function metricsOfResources(db: MetricDb, resourceIds: string[]): Promise<MetricRow[]> {
  if (resourceIds.length === 0) return [];
  return db.selectFrom('gnocchi_metric').selectAll().where('resource_id', 'in', resourceIds).orderBy('name').execute();
}

export async function insertMetric(db: MetricDb, row: MetricRow): Promise<void> {
  await db.insertInto('gnocchi_metric').values(row).execute();
}

/** Attaches an existing metric to a resource under a name. */
export async function attachMetric(db: MetricDb, id: string, resourceId: string, name: string): Promise<void> {
  await db.updateTable('gnocchi_metric').set({ resource_id: resourceId, name }).where('id', '=', id).execute();
}

export async function deleteMetric(db: MetricDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('gnocchi_metric').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes the metrics of resources, returning their ids (their series go next). */
export async function deleteMetricsOfResources(db: MetricDb, resourceIds: string[]): Promise<string[]> {
  if (resourceIds.length === 0) return [];
  const rows = await db.deleteFrom('gnocchi_metric').where('resource_id', 'in', resourceIds).returning('id').execute();
  return rows.map((r) => r.id);
}

export interface MetricListQuery {
  equals: Partial<Record<'id' | 'name' | 'unit' | 'archive_policy_name' | 'creator', string>>;
  /** Restricts to the caller's metrics: created by the project, or of a resource of the project. */
  visibleToProject: string | null;
  sort: { key: 'id' | 'name' | 'unit' | 'archive_policy_name' | 'creator' | 'resource_id'; dir: 'asc' | 'desc' }[];
  limit: number;
  marker: MetricRow | null;
}

export async function listMetrics(db: MetricDb, query: MetricListQuery): Promise<MetricRow[]> {
  let select = db.selectFrom('gnocchi_metric').selectAll('gnocchi_metric');
  for (const [key, value] of Object.entries(query.equals) as [keyof MetricListQuery['equals'], string][]) select = select.where(key, '=', value);
  const project = query.visibleToProject;
  if (project !== null) {
    select = select.where((eb) =>
      eb.or([
        eb('creator', 'like', `%:${project}`),
        eb.exists(
          eb
            .selectFrom('gnocchi_resource')
            .select('gnocchi_resource.id')
            .whereRef('gnocchi_resource.id', '=', 'gnocchi_metric.resource_id')
            .where('gnocchi_resource.revision_end', 'is', null)
            .where('gnocchi_resource.project_id', '=', project),
        ),
      ]),
    );
  }
  const keys = query.sort.some((s) => s.key === 'id') ? query.sort : [...query.sort, { key: 'id' as const, dir: 'asc' as const }];
  const marker = query.marker;
  if (marker) {
    select = select.where((eb) =>
      eb.or(
        keys.map((key, index) =>
          eb.and([
            ...keys.slice(0, index).map((k) => (marker[k.key] === null ? eb(k.key, 'is', null) : eb(k.key, '=', marker[k.key]))),
            afterMarker(eb, key.key, key.dir, marker[key.key]),
          ]),
        ),
      ),
    );
  }
  for (const key of keys) select = select.orderBy(key.key, (ob) => (key.dir === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast()));
  return select.limit(query.limit).execute();
}

type MetricExpressionBuilder = ExpressionBuilder<MetricTables, 'gnocchi_metric'>;
type SortKey = MetricListQuery['sort'][number]['key'];

/** Rows strictly after the marker's value for one key (NULL is the smallest value, as the ORDER BY says). */
function afterMarker(eb: MetricExpressionBuilder, key: SortKey, dir: 'asc' | 'desc', value: string | null) {
  if (dir === 'asc') return value === null ? eb(key, 'is not', null) : eb(key, '>', value);
  return value === null ? eb.val(false) : eb.or([eb(key, '<', value), eb(key, 'is', null)]);
}
