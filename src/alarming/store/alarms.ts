/** Alarm rows: insert, read, replace, delete, the evaluation lease and state changes. */
import { parseJson, toBool } from '../../core/db/values.js';
import type { AlarmingDb } from './db.js';
import type { AlarmRow } from './tables.js';
import type { Alarm, AlarmState, TimeConstraint } from './types.js';
import type { JsonObject } from '../../core/json.js';

function decode(row: AlarmRow): Alarm {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    enabled: toBool(row.enabled),
    projectId: row.project_id,
    userId: row.user_id,
    state: row.state as AlarmState,
    stateReason: row.state_reason,
    severity: row.severity,
    repeatActions: toBool(row.repeat_actions),
    okActions: parseJson<string[]>(row.ok_actions, []),
    alarmActions: parseJson<string[]>(row.alarm_actions, []),
    insufficientDataActions: parseJson<string[]>(row.insufficient_data_actions, []),
    timeConstraints: parseJson<TimeConstraint[]>(row.time_constraints, []),
    rule: parseJson<JsonObject>(row.rule, {}),
    timestamp: row.timestamp,
    stateTimestamp: row.state_timestamp,
  };
}

function encode(alarm: Alarm) {
  return {
    name: alarm.name,
    description: alarm.description,
    type: alarm.type,
    enabled: alarm.enabled,
    project_id: alarm.projectId,
    user_id: alarm.userId,
    state: alarm.state,
    state_reason: alarm.stateReason,
    severity: alarm.severity,
    repeat_actions: alarm.repeatActions,
    ok_actions: JSON.stringify(alarm.okActions),
    alarm_actions: JSON.stringify(alarm.alarmActions),
    insufficient_data_actions: JSON.stringify(alarm.insufficientDataActions),
    time_constraints: JSON.stringify(alarm.timeConstraints),
    rule: JSON.stringify(alarm.rule),
    timestamp: alarm.timestamp,
    state_timestamp: alarm.stateTimestamp,
  };
}

export async function insertAlarm(db: AlarmingDb, alarm: Alarm): Promise<void> {
  await db
    .insertInto('aodh_alarm')
    .values({ id: alarm.id, ...encode(alarm), evaluation_owner: null, evaluation_until: null })
    .execute();
}

export async function replaceAlarm(db: AlarmingDb, alarm: Alarm): Promise<void> {
  await db.updateTable('aodh_alarm').set(encode(alarm)).where('id', '=', alarm.id).execute();
}

export async function deleteAlarm(db: AlarmingDb, alarmId: string): Promise<boolean> {
  const result = await db.deleteFrom('aodh_alarm').where('id', '=', alarmId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getAlarm(db: AlarmingDb, alarmId: string): Promise<Alarm | null> {
  const row = await db.selectFrom('aodh_alarm').selectAll().where('id', '=', alarmId).executeTakeFirst();
  return row ? decode(row) : null;
}

/** Alarms of one project (every project's for null), oldest first; filtering and sorting happen above. */
export async function listAlarms(db: AlarmingDb, projectId: string | null): Promise<Alarm[]> {
  let query = db.selectFrom('aodh_alarm').selectAll().orderBy('timestamp').orderBy('id');
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return (await query.execute()).map(decode);
}

export async function nameTaken(db: AlarmingDb, projectId: string, name: string): Promise<boolean> {
  const row = await db.selectFrom('aodh_alarm').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

export async function countAlarms(db: AlarmingDb, by: { projectId?: string; userId?: string }): Promise<number> {
  let query = db.selectFrom('aodh_alarm').select((eb) => eb.fn.countAll<number>().as('n'));
  if (by.projectId !== undefined) query = query.where('project_id', '=', by.projectId);
  if (by.userId !== undefined) query = query.where('user_id', '=', by.userId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Enabled alarms whose evaluation lease has run out (candidates for this round). */
export async function dueAlarmIds(db: AlarmingDb, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('aodh_alarm')
    .select('id')
    .where('enabled', '=', true)
    .where((eb) => eb.or([eb('evaluation_until', 'is', null), eb('evaluation_until', '<=', now)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the alarm for one round: one conditional UPDATE, so of several
 * processes over one database exactly one wins each alarm each round.
 */
export async function claimEvaluation(db: AlarmingDb, alarmId: string, owner: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('aodh_alarm')
    .set({ evaluation_owner: owner, evaluation_until: until })
    .where('id', '=', alarmId)
    .where('enabled', '=', true)
    .where((eb) => eb.or([eb('evaluation_until', 'is', null), eb('evaluation_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets the state the evaluator decided, unless the alarm moved meanwhile (a user's PUT of its state, a deletion). */
export async function setEvaluatedState(db: AlarmingDb, alarm: Alarm, change: { state: AlarmState; reason: string; timestamp: string }): Promise<boolean> {
  const result = await db
    .updateTable('aodh_alarm')
    .set({ state: change.state, state_reason: change.reason, state_timestamp: change.timestamp })
    .where('id', '=', alarm.id)
    .where('state', '=', alarm.state)
    .where('state_timestamp', '=', alarm.stateTimestamp)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
