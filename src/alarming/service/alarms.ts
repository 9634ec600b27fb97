/**
 * Alarms as Aodh's API handles them: create (ownership, quota, unique name
 * per project), show, list with q filters and pagination, replace, delete,
 * the state, and the complex query. Every change lands in the history in
 * the same transaction.
 */
import type { CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { uuid } from '../../core/ids.js';
import type { JsonObject } from '../../core/json.js';
import { nowIso } from '../../core/time.js';
import { aodhErrors, invalidInput } from '../errors.js';
import * as store from '../store/index.js';
import type { Alarm, AlarmState } from '../store/index.js';
import { parseAlarmBody, type AlarmInput } from './alarm-body.js';
import { bindTrustActions, ownedTrustIds, releaseTrusts } from './trust-actions.js';
import { parseComplexQuery, sortItems, type ComplexQueryBody } from './complex-query.js';
import { limitedToProject, type AlarmingDeps } from './deps.js';
import { record } from './history.js';
import { isOverQuota } from './quotas.js';
import { alarmDetail, alarmView } from './representation.js';
import { applySimpleFilters, pageAfter, type Pagination, type SimpleFilter } from './simple-query.js';

export const ALARM_REASON_DEFAULT = 'Not evaluated yet';
export const ALARM_REASON_MANUAL = 'Manually set via API';
export const ALARM_SORT_KEYS = [
  'alarm_id',
  'enabled',
  'name',
  'type',
  'severity',
  'timestamp',
  'user_id',
  'project_id',
  'state',
  'repeat_actions',
  'state_timestamp',
];
const ALARM_LIST_FIELDS = ['all_projects', 'user_id', 'project_id', 'type', 'name', 'enabled', 'state', 'severity', 'timestamp', 'repeat_actions'];
const ALARM_QUERY_FIELDS = [...ALARM_SORT_KEYS, 'description', 'state_reason'];

function target(alarm: Alarm) {
  return { project_id: alarm.projectId, user_id: alarm.userId };
}

/** The alarm the caller may act on with `action`: 404 outside its project, 403 when policy says no. */
export async function findAlarm(deps: AlarmingDeps, caller: CallerContext, alarmId: string, action: string): Promise<Alarm> {
  const project = limitedToProject(deps, caller);
  const alarm = await store.getAlarm(deps.db, alarmId);
  if (!alarm || (project !== null && alarm.projectId !== project)) throw aodhErrors.alarmNotFound(alarmId, project);
  deps.authz.authorize(caller, action, target(alarm));
  return alarm;
}

function bodyContext(deps: AlarmingDeps, caller: CallerContext) {
  return { limitedToProject: limitedToProject(deps, caller), maxActions: deps.config.alarm_max_actions };
}

/** The owner: a limited caller may name only itself (401 otherwise, as Aodh); an admin may name anyone. */
function owner(caller: CallerContext, limited: string | null, input: AlarmInput): { projectId: string; userId: string } {
  if (limited !== null && input.projectId !== undefined && input.projectId !== limited) throw aodhErrors.notAuthorized('project', input.projectId);
  if (limited !== null && input.userId !== undefined && input.userId !== caller.userId) throw aodhErrors.notAuthorized('user', input.userId);
  return { projectId: input.projectId ?? caller.project?.id ?? '', userId: input.userId ?? caller.userId };
}

async function uniquely<T>(name: string, write: () => Promise<T>, conflict = aodhErrors.nameExists): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(name);
    throw err;
  }
}

export async function createAlarm(deps: AlarmingDeps, caller: CallerContext, body: JsonObject): Promise<Alarm> {
  deps.authz.authorize(caller, 'telemetry:create_alarm', { project_id: caller.project?.id ?? null, user_id: caller.userId });
  const input = parseAlarmBody(body, bodyContext(deps, caller));
  const { projectId, userId } = owner(caller, limitedToProject(deps, caller), input);
  await bindTrustActions(deps.identity(), caller, input, null);
  const now = nowIso();
  const alarm: Alarm = {
    id: uuid(),
    name: input.name,
    description: input.description,
    type: input.type,
    enabled: input.enabled,
    projectId,
    userId,
    state: input.state,
    stateReason: ALARM_REASON_DEFAULT,
    severity: input.severity,
    repeatActions: input.repeatActions,
    okActions: input.okActions,
    alarmActions: input.alarmActions,
    insufficientDataActions: input.insufficientDataActions,
    timeConstraints: input.timeConstraints,
    rule: input.rule,
    timestamp: now,
    stateTimestamp: now,
  };
  await uniquely(alarm.name, () =>
    deps.db.transaction().execute(async (trx) => {
      if (await isOverQuota(deps, trx, projectId, userId)) throw aodhErrors.overQuota(userId, projectId);
      if (await store.nameTaken(trx, projectId, alarm.name)) throw aodhErrors.nameExists(alarm.name);
      await store.insertAlarm(trx, alarm);
      await record(deps, trx, {
        alarmId: alarm.id,
        type: 'creation',
        detail: alarmDetail(alarm),
        actor: caller,
        onBehalfOf: projectId,
        severity: alarm.severity,
        timestamp: now,
      });
    }),
  );
  return alarm;
}

/** Python's repr of a set of strings (sorted, where Python's order is arbitrary), for Aodh's messages that print one. */
function pythonSet(items: Iterable<string>): string {
  return `{${[...new Set(items)]
    .sort()
    .map((item) => `'${item}'`)
    .join(', ')}}`;
}

/**
 * GET /v2/alarms: the caller's project unless `project_id` names another (admins
 * only, else 401) or `all_projects=true` (admins); only `eq` on Aodh's fields.
 */
export async function listAlarms(deps: AlarmingDeps, caller: CallerContext, filters: SimpleFilter[], pagination: Pagination): Promise<JsonObject[]> {
  deps.authz.authorize(caller, 'telemetry:get_alarms', { project_id: caller.project?.id ?? null });
  const fields = filters.map((f) => f.field);
  if (fields.some((field) => !ALARM_LIST_FIELDS.includes(field)))
    throw invalidInput('field', pythonSet(fields), `only fields ${pythonSet(ALARM_LIST_FIELDS)} are allowed`);
  if (filters.some((f) => f.op !== 'eq')) throw invalidInput('op', pythonSet(filters.map((f) => f.op)), "only operations {'eq'} are allowed");
  const allProjects = filters.find((f) => f.field === 'all_projects');
  let project: string | null = null;
  if (allProjects && ['true', '1', 'yes', 'on', 't', 'y'].includes(allProjects.value.toLowerCase())) {
    deps.authz.authorize(caller, 'telemetry:get_alarms:all_projects', { project_id: caller.project?.id ?? null });
  } else {
    const own = caller.project?.id ?? '';
    project = filters.find((f) => f.field === 'project_id')?.value ?? own;
    if (project !== own && !deps.authz.isAdmin(caller)) throw aodhErrors.notAuthorized('project', project);
  }
  const views = (await store.listAlarms(deps.db, project)).map(alarmView);
  const filtered = applySimpleFilters(
    views,
    filters.filter((f) => f.field !== 'all_projects'),
    ALARM_LIST_FIELDS,
  );
  return pageAfter(pagination.sort.length > 0 ? sortItems(filtered, pagination.sort) : filtered, pagination, 'alarm_id');
}

export async function queryAlarms(deps: AlarmingDeps, caller: CallerContext, body: ComplexQueryBody): Promise<JsonObject[]> {
  deps.authz.authorize(caller, 'telemetry:query_alarm', { project_id: caller.project?.id ?? null });
  const project = limitedToProject(deps, caller);
  const query = parseComplexQuery(body, ALARM_QUERY_FIELDS, project, 'project_id');
  const matching = (await store.listAlarms(deps.db, project)).map(alarmView).filter(query.matches);
  const sorted = sortItems(matching, query.order);
  return query.limit === null ? sorted : sorted.slice(0, query.limit);
}

/** Fields of Aodh's change record that differ, timestamps left out. */
function changedFields(before: JsonObject, after: JsonObject): JsonObject {
  const changed: JsonObject = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'timestamp' || key === 'state_timestamp') continue;
    if (JSON.stringify(value) !== JSON.stringify(before[key])) changed[key] = value;
  }
  return changed;
}

/** PUT /v2/alarms/{id}: the body replaces the alarm (Aodh's client sends the whole alarm, merged). */
export async function replaceAlarm(deps: AlarmingDeps, caller: CallerContext, alarmId: string, body: JsonObject): Promise<Alarm> {
  const existing = await findAlarm(deps, caller, alarmId, 'telemetry:change_alarm');
  const input = parseAlarmBody(body, bodyContext(deps, caller));
  await bindTrustActions(deps.identity(), caller, input, existing);
  const limited = limitedToProject(deps, caller);
  const now = nowIso();
  const stateChanged = existing.state !== input.state;
  const updated: Alarm = {
    ...existing,
    name: input.name,
    description: input.description,
    type: input.type,
    enabled: input.enabled,
    projectId: limited ?? input.projectId ?? existing.projectId,
    userId: limited !== null ? caller.userId : (input.userId ?? existing.userId),
    state: input.state,
    stateReason: stateChanged ? ALARM_REASON_MANUAL : existing.stateReason,
    severity: input.severity,
    repeatActions: input.repeatActions,
    okActions: input.okActions,
    alarmActions: input.alarmActions,
    insufficientDataActions: input.insufficientDataActions,
    timeConstraints: input.timeConstraints,
    rule: input.rule,
    timestamp: now,
    stateTimestamp: stateChanged ? now : existing.stateTimestamp,
  };
  const change = changedFields(alarmDetail(existing), alarmDetail(updated));
  await uniquely(
    updated.name,
    () =>
      deps.db.transaction().execute(async (trx) => {
        await store.replaceAlarm(trx, updated);
        if (Object.keys(change).length > 0) {
          await record(deps, trx, {
            alarmId,
            type: 'rule change',
            detail: change,
            actor: caller,
            onBehalfOf: updated.projectId,
            severity: updated.severity,
            timestamp: now,
          });
        }
      }),
    aodhErrors.nameExistsOnUpdate,
  );
  return updated;
}

export async function deleteAlarm(deps: AlarmingDeps, caller: CallerContext, alarmId: string): Promise<void> {
  const alarm = await findAlarm(deps, caller, alarmId, 'telemetry:delete_alarm');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await store.deleteAlarm(trx, alarmId))) throw aodhErrors.alarmNotFound(alarmId, limitedToProject(deps, caller));
    await record(deps, trx, { alarmId, type: 'deletion', detail: alarmDetail(alarm), actor: caller, onBehalfOf: alarm.projectId, severity: alarm.severity });
  });
  await releaseTrusts(deps.identity(), ownedTrustIds(alarm));
}

export async function setState(deps: AlarmingDeps, caller: CallerContext, alarmId: string, state: AlarmState): Promise<AlarmState> {
  const alarm = await findAlarm(deps, caller, alarmId, 'telemetry:change_alarm_state');
  const now = nowIso();
  const updated: Alarm = { ...alarm, state, stateReason: ALARM_REASON_MANUAL, stateTimestamp: now };
  await deps.db.transaction().execute(async (trx) => {
    await store.replaceAlarm(trx, updated);
    await record(deps, trx, {
      alarmId,
      type: 'state transition',
      detail: { state, state_reason: ALARM_REASON_MANUAL },
      actor: caller,
      onBehalfOf: alarm.projectId,
      severity: alarm.severity,
      timestamp: now,
    });
  });
  return state;
}
