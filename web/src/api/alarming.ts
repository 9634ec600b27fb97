/** The shapes of Aodh's alarms and history entries the alarm panels read. */
export type AlarmState = 'ok' | 'alarm' | 'insufficient data';

export interface Alarm {
  alarm_id: string;
  name: string;
  description: string;
  type: string;
  enabled: boolean;
  state: AlarmState;
  state_reason: string;
  severity: 'low' | 'moderate' | 'critical';
  [rule: `${string}_rule`]: unknown;
}

export interface AlarmChange {
  event_id: string;
  alarm_id: string;
  type: string;
  /** JSON text of what changed (Aodh keeps it as a string). */
  detail: string;
  timestamp: string;
  severity: string;
  user_id: string | null;
}

export const COMPARISON_OPERATORS = [
  ['gt', '>'],
  ['ge', '≥'],
  ['eq', '='],
  ['ne', '≠'],
  ['le', '≤'],
  ['lt', '<'],
] as const;
