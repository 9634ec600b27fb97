/** An alarm and its history entries as the service layer works with them (rows decoded). */
import type { JsonObject } from '../../core/json.js';

export type AlarmState = 'ok' | 'alarm' | 'insufficient data';
export const ALARM_STATES: readonly AlarmState[] = ['ok', 'alarm', 'insufficient data'];
export const SEVERITIES = ['low', 'moderate', 'critical'] as const;

export interface TimeConstraint {
  name: string;
  description: string;
  /** Cron expression (5 fields) of each window's start. */
  start: string;
  /** Seconds each window lasts. */
  duration: number;
  /** IANA zone of `start`; '' for UTC. */
  timezone: string;
}

export interface Alarm {
  id: string;
  name: string;
  /** Null: the default description of the type (rendered, not stored). */
  description: string | null;
  type: string;
  enabled: boolean;
  projectId: string;
  userId: string;
  state: AlarmState;
  stateReason: string;
  severity: string;
  repeatActions: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  timeConstraints: TimeConstraint[];
  /** The type's rule (`<type>_rule` on the wire). */
  rule: JsonObject;
  /** ISO 8601 (storage form). */
  timestamp: string;
  stateTimestamp: string;
}

export type HistoryType = 'creation' | 'rule change' | 'state transition' | 'deletion';

export interface AlarmChange {
  eventId: string;
  alarmId: string;
  type: HistoryType;
  /** The JSON text Aodh keeps. */
  detail: string;
  userId: string | null;
  projectId: string | null;
  onBehalfOf: string | null;
  severity: string | null;
  timestamp: string;
}
