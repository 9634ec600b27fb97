/**
 * Aodh's alarm quota: a project's own limit (`/v2/quotas`) or the configured
 * project default, then the per-user default; -1 is no limit. Counted in the
 * creating transaction. (Aodh compares a project's own limit with the user's
 * alarm count; here it limits the project's, as its API describes it.)
 */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { invalidInput } from '../errors.js';
import * as store from '../store/index.js';
import type { AlarmingDb, QuotaLimit } from '../store/index.js';
import type { AlarmingDeps } from './deps.js';
import { mandatory, text } from './fields.js';

const RESOURCES = ['alarms'];

/** Call inside the creating transaction: the counts stay locked until it ends. */
export async function isOverQuota(deps: AlarmingDeps, db: AlarmingDb, projectId: string, userId: string): Promise<boolean> {
  await store.lockAlarmCounts(db, deps.dialect, projectId, userId);
  const own = (await store.getQuotas(db, projectId)).find((q) => q.resource === 'alarms');
  const projectLimit = own?.limit ?? deps.config.project_alarm_quota;
  if (projectLimit !== -1 && (await store.countAlarms(db, { projectId })) >= projectLimit) return true;
  const userLimit = deps.config.user_alarm_quota;
  return userLimit !== -1 && (await store.countAlarms(db, { userId })) >= userLimit;
}

export interface QuotasView {
  project_id: string;
  quotas: QuotaLimit[];
}

export async function getQuotas(deps: AlarmingDeps, caller: CallerContext, projectId: string | undefined): Promise<QuotasView> {
  const project = projectId || caller.project?.id || '';
  deps.authz.authorize(caller, 'telemetry:get_quotas', { project_id: project });
  const quotas = await store.getQuotas(deps.db, project);
  return { project_id: project, quotas: quotas.length > 0 ? quotas : [{ resource: 'alarms', limit: deps.config.project_alarm_quota }] };
}

export async function setQuotas(deps: AlarmingDeps, caller: CallerContext, body: JsonObject): Promise<QuotasView> {
  const project = text(mandatory(body, 'project_id'), 'project_id');
  deps.authz.authorize(caller, 'telemetry:update_quotas', { project_id: project });
  const raw = body.quotas ?? [];
  if (!Array.isArray(raw)) throw invalidInput('quotas', raw, 'Wrong type. Expected a list.');
  const quotas = raw.map((item): QuotaLimit => {
    if (!isJsonObject(item)) throw invalidInput('quotas', item, 'Wrong type. Expected an object.');
    const resource = item.resource;
    if (typeof resource !== 'string' || !RESOURCES.includes(resource))
      throw invalidInput('resource', resource ?? null, `Value should be one of: ${RESOURCES.join(', ')}`);
    const limit = mandatory(item, 'limit');
    if (typeof limit !== 'number' || !Number.isInteger(limit)) throw invalidInput('limit', limit, 'Wrong type. Expected an integer.');
    if (limit < -1) throw invalidInput('limit', limit, 'Value should be greater or equal to -1');
    return { resource, limit };
  });
  await store.setQuotas(deps.db, project, quotas);
  return { project_id: project, quotas: await store.getQuotas(deps.db, project) };
}

export async function deleteQuotas(deps: AlarmingDeps, caller: CallerContext, projectId: string): Promise<void> {
  deps.authz.authorize(caller, 'telemetry:delete_quotas', { project_id: projectId });
  await store.deleteQuotas(deps.db, projectId);
}
