/** Aodh's per-project quotas (`/v2/quotas`): a limit per resource, only `alarms` today. */
import { sql } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { AlarmingDb } from './db.js';

export interface QuotaLimit {
  resource: string;
  limit: number;
}

export async function getQuotas(db: AlarmingDb, projectId: string): Promise<QuotaLimit[]> {
  const rows = await db.selectFrom('aodh_quota').select(['resource', 'limit']).where('project_id', '=', projectId).orderBy('resource').execute();
  return rows;
}

export async function setQuotas(db: AlarmingDb, projectId: string, quotas: QuotaLimit[]): Promise<void> {
  for (const quota of quotas) {
    await db
      .insertInto('aodh_quota')
      .values({ project_id: projectId, resource: quota.resource, limit: quota.limit })
      .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ limit: quota.limit }))
      .execute();
  }
}

export async function deleteQuotas(db: AlarmingDb, projectId: string): Promise<void> {
  await db.deleteFrom('aodh_quota').where('project_id', '=', projectId).execute();
}

/**
 * Holds the alarm counts of a project and a user still until the transaction
 * ends, so concurrent creates cannot both pass the quota check. PostgreSQL:
 * transaction advisory locks, always project before user; SQLite runs one
 * write transaction at a time already.
 */
export async function lockAlarmCounts(db: AlarmingDb, dialect: Dialect, projectId: string, userId: string): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const key of [`aodh-project:${projectId}`, `aodh-user:${userId}`]) await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
