/** Aodh's per-project quotas (`/v2/quotas`): a limit per resource, only `alarms` today. */
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
