/** Recording alarm changes (when `record_history` is on) and reading them back, with q filters, pagination and complex queries. */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import type { JsonObject } from '../../core/json.js';
import { nowIso } from '../../core/time.js';
import { listChanges, recordChange, type AlarmingDb, type HistoryType } from '../store/index.js';
import { parseComplexQuery, sortItems, type ComplexQueryBody } from './complex-query.js';
import { pythonJson } from './python-json.js';
import { limitedToProject, type AlarmingDeps } from './deps.js';
import { changeView } from './representation.js';
import { applySimpleFilters, pageAfter, type Pagination, type SimpleFilter } from './simple-query.js';

const HISTORY_FIELDS = ['event_id', 'alarm_id', 'type', 'detail', 'user_id', 'project_id', 'on_behalf_of', 'severity', 'timestamp'];
const HISTORY_FILTER_FIELDS = ['type', 'user_id', 'project_id', 'severity', 'timestamp'];
export const HISTORY_SORT_KEYS = ['event_id', 'alarm_id', 'type', 'user_id', 'project_id', 'on_behalf_of', 'severity', 'timestamp'];

export interface ChangeRecord {
  alarmId: string;
  type: HistoryType;
  detail: JsonObject;
  /** Who made the change: the API caller, or null for the evaluator. */
  actor: CallerContext | null;
  onBehalfOf: string;
  severity: string;
  timestamp?: string;
}

export async function record(deps: AlarmingDeps, db: AlarmingDb, change: ChangeRecord): Promise<void> {
  if (!deps.config.record_history) return;
  await recordChange(db, {
    eventId: uuid(),
    alarmId: change.alarmId,
    type: change.type,
    detail: pythonJson(change.detail),
    userId: change.actor?.userId ?? null,
    projectId: change.actor ? (change.actor.project?.id ?? null) : null,
    onBehalfOf: change.onBehalfOf,
    severity: change.severity,
    timestamp: change.timestamp ?? nowIso(),
  });
}

/** One alarm's history, deleted alarms included, limited to changes made on behalf of the caller's project. */
export async function alarmHistory(
  deps: AlarmingDeps,
  caller: CallerContext,
  alarmId: string,
  filters: SimpleFilter[],
  pagination: Pagination,
): Promise<JsonObject[]> {
  const project = limitedToProject(deps, caller);
  deps.authz.authorize(caller, 'telemetry:alarm_history', { project_id: caller.project?.id ?? null });
  const views = (await listChanges(deps.db, { alarmId, project })).map(changeView);
  const filtered = applySimpleFilters(views, filters, HISTORY_FILTER_FIELDS);
  return pageAfter(pagination.sort.length > 0 ? sortItems(filtered, pagination.sort) : filtered, pagination, 'event_id');
}

export async function queryHistory(deps: AlarmingDeps, caller: CallerContext, body: ComplexQueryBody): Promise<JsonObject[]> {
  deps.authz.authorize(caller, 'telemetry:query_alarm_history', { project_id: caller.project?.id ?? null });
  const project = limitedToProject(deps, caller);
  const query = parseComplexQuery(body, HISTORY_FIELDS, project, 'on_behalf_of');
  const matching = (await listChanges(deps.db, { project })).map(changeView).filter(query.matches);
  const sorted = sortItems(matching, query.order);
  return query.limit === null ? sorted : sorted.slice(0, query.limit);
}
