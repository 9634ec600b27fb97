/**
 * The quota tables and their queries. Usage changes are single conditional
 * statements so concurrent reservations serialise on the usage row:
 * PostgreSQL locks the row and re-checks the WHERE against the committed
 * value; SQLite runs one statement at a time.
 */
import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../time.js';

type QuotaTables = {
  core_quota_default: { service: string; resource: string; hard_limit: number };
  core_quota_limit: { project_id: string; service: string; resource: string; hard_limit: number };
  core_quota_usage: { project_id: string; service: string; resource: string; in_use: number; updated_at: string };
};

export type QuotaDb = Kysely<QuotaTables>;

/**
 * Views any Kysely instance or transaction as one over the quota tables.
 * Table types exist only at compile time, so the cast changes nothing at run
 * time; it lets callers pass a transaction typed with their own tables.
 */
export function quotaTables<DB>(db: Kysely<DB> | Transaction<DB>): QuotaDb {
  return db as unknown as QuotaDb;
}

/** A usage row's key. */
export interface UsageKey {
  projectId: string;
  service: string;
  resource: string;
}

/** Operator overrides of the registered defaults, by resource. */
export async function defaultLimits(db: QuotaDb, service: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('core_quota_default').select(['resource', 'hard_limit']).where('service', '=', service).execute();
  return new Map(rows.map((r) => [r.resource, r.hard_limit]));
}

export async function setDefaultLimit(db: QuotaDb, service: string, resource: string, limit: number): Promise<void> {
  await db
    .insertInto('core_quota_default')
    .values({ service, resource, hard_limit: limit })
    .onConflict((oc) => oc.columns(['service', 'resource']).doUpdateSet({ hard_limit: limit }))
    .execute();
}

/** Per-project limits, by resource. */
export async function projectLimits(db: QuotaDb, projectId: string, service: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('core_quota_limit')
    .select(['resource', 'hard_limit'])
    .where('project_id', '=', projectId)
    .where('service', '=', service)
    .execute();
  return new Map(rows.map((r) => [r.resource, r.hard_limit]));
}

/** Projects with a limit of their own for any of the service's resources. */
export async function projectsWithLimits(db: QuotaDb, service: string): Promise<string[]> {
  const rows = await db.selectFrom('core_quota_limit').select('project_id').distinct().where('service', '=', service).orderBy('project_id').execute();
  return rows.map((r) => r.project_id);
}

export async function setProjectLimit(db: QuotaDb, key: UsageKey, limit: number): Promise<void> {
  await db
    .insertInto('core_quota_limit')
    .values({ project_id: key.projectId, service: key.service, resource: key.resource, hard_limit: limit })
    .onConflict((oc) => oc.columns(['project_id', 'service', 'resource']).doUpdateSet({ hard_limit: limit }))
    .execute();
}

export async function deleteProjectLimits(db: QuotaDb, projectId: string, service: string, resources: string[]): Promise<void> {
  await db.deleteFrom('core_quota_limit').where('project_id', '=', projectId).where('service', '=', service).where('resource', 'in', resources).execute();
}

/** Usage per resource; resources never used are absent. */
export async function usage(db: QuotaDb, projectId: string, service: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('core_quota_usage')
    .select(['resource', 'in_use'])
    .where('project_id', '=', projectId)
    .where('service', '=', service)
    .execute();
  return new Map(rows.map((r) => [r.resource, r.in_use]));
}

export async function usageOf(db: QuotaDb, key: UsageKey): Promise<number> {
  const row = await whereKey(db.selectFrom('core_quota_usage').select('in_use'), key).executeTakeFirst();
  return row?.in_use ?? 0;
}

/**
 * Adds `delta` to the usage if the sum stays within `limit` (`null`: no
 * limit), creating the row at 0 first; `false` when it would not fit.
 */
export async function increment(db: QuotaDb, key: UsageKey, delta: number, limit: number | null): Promise<boolean> {
  await db
    .insertInto('core_quota_usage')
    .values({ project_id: key.projectId, service: key.service, resource: key.resource, in_use: 0, updated_at: nowIso() })
    .onConflict((oc) => oc.columns(['project_id', 'service', 'resource']).doNothing())
    .execute();
  let update = whereKey(
    db.updateTable('core_quota_usage').set((eb) => ({ in_use: eb('in_use', '+', delta), updated_at: nowIso() })),
    key,
  );
  if (limit !== null) update = update.where((eb) => eb(eb('in_use', '+', delta), '<=', limit));
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Subtracts `delta` from the usage, stopping at 0 (a counter that drifted low must not go negative). */
export async function decrement(db: QuotaDb, key: UsageKey, delta: number): Promise<void> {
  await whereKey(
    db.updateTable('core_quota_usage').set((eb) => ({
      in_use: eb
        .case()
        .when('in_use', '<', delta)
        .then(0)
        .else(eb('in_use', '-', delta))
        .end(),
      updated_at: nowIso(),
    })),
    key,
  ).execute();
}

export async function setUsage(db: QuotaDb, key: UsageKey, inUse: number): Promise<void> {
  await db
    .insertInto('core_quota_usage')
    .values({ project_id: key.projectId, service: key.service, resource: key.resource, in_use: inUse, updated_at: nowIso() })
    .onConflict((oc) => oc.columns(['project_id', 'service', 'resource']).doUpdateSet({ in_use: inUse, updated_at: nowIso() }))
    .execute();
}

interface KeyFilterable<Q> {
  where(column: 'project_id' | 'service' | 'resource', op: '=', value: string): Q;
}

function whereKey<Q extends KeyFilterable<Q>>(query: Q, key: UsageKey): Q {
  return query.where('project_id', '=', key.projectId).where('service', '=', key.service).where('resource', '=', key.resource);
}
