/** The alarming service's tables, as Kysely sees them. */
import type { Selectable } from 'kysely';
import type { BoolColumn, JsonColumn } from '../../core/db/values.js';

export type AlarmTable = {
  id: string;
  name: string;
  description: string | null;
  type: string;
  enabled: BoolColumn;
  project_id: string;
  user_id: string;
  state: string;
  state_reason: string;
  severity: string;
  repeat_actions: BoolColumn;
  ok_actions: JsonColumn;
  alarm_actions: JsonColumn;
  insufficient_data_actions: JsonColumn;
  time_constraints: JsonColumn;
  rule: JsonColumn;
  timestamp: string;
  state_timestamp: string;
  evaluation_owner: string | null;
  evaluation_until: string | null;
};

export type AlarmHistoryTable = {
  event_id: string;
  alarm_id: string;
  type: string;
  detail: string;
  user_id: string | null;
  project_id: string | null;
  on_behalf_of: string | null;
  severity: string | null;
  timestamp: string;
};

export type AlarmQuotaTable = {
  project_id: string;
  resource: string;
  limit: number;
};

export type AlarmingTables = {
  aodh_alarm: AlarmTable;
  aodh_alarm_history: AlarmHistoryTable;
  aodh_quota: AlarmQuotaTable;
};

export type AlarmRow = Selectable<AlarmTable>;
export type HistoryRow = Selectable<AlarmHistoryTable>;
