/** The alarm history (Aodh's alarm_history): one row per change, kept after the alarm is deleted. */
import type { AlarmingDb } from './db.js';
import type { HistoryRow } from './tables.js';
import type { AlarmChange, HistoryType } from './types.js';

function decode(row: HistoryRow): AlarmChange {
  return {
    eventId: row.event_id,
    alarmId: row.alarm_id,
    type: row.type as HistoryType,
    detail: row.detail,
    userId: row.user_id,
    projectId: row.project_id,
    onBehalfOf: row.on_behalf_of,
    severity: row.severity,
    timestamp: row.timestamp,
  };
}

export async function recordChange(db: AlarmingDb, change: AlarmChange): Promise<void> {
  await db
    .insertInto('aodh_alarm_history')
    .values({
      event_id: change.eventId,
      alarm_id: change.alarmId,
      type: change.type,
      detail: change.detail,
      user_id: change.userId,
      project_id: change.projectId,
      on_behalf_of: change.onBehalfOf,
      severity: change.severity,
      timestamp: change.timestamp,
    })
    .execute();
}

/** Changes made on behalf of `project` (every project's for null), of one alarm or all; newest first as Aodh lists them. */
export async function listChanges(db: AlarmingDb, filter: { alarmId?: string; project: string | null }): Promise<AlarmChange[]> {
  let query = db.selectFrom('aodh_alarm_history').selectAll().orderBy('timestamp', 'desc').orderBy('event_id', 'desc');
  if (filter.alarmId !== undefined) query = query.where('alarm_id', '=', filter.alarmId);
  if (filter.project !== null) query = query.where('on_behalf_of', '=', filter.project);
  return (await query.execute()).map(decode);
}
