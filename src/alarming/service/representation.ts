/**
 * An alarm and a history entry as Aodh shows them (its API and its history's
 * `detail`), also the field names its queries filter and sort on.
 */
import { scrubTrustAction } from './trust-actions.js';
import type { JsonObject } from '../../core/json.js';
import type { Alarm, AlarmChange } from '../store/index.js';

/** Aodh prints naive UTC datetimes with microseconds: `2026-12-06T19:00:00.123000`. */
export function aodhTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000').replace(/Z$/, '');
}

/** Milliseconds of a time a client writes (Aodh reads one without a zone as UTC); NaN when it is none. */
export function parseAodhTime(text: string): number {
  return Date.parse(/[Zz]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

/** The description Aodh shows for an alarm created without one. */
export function defaultDescription(alarm: Pick<Alarm, 'type' | 'rule'>): string {
  if (alarm.type === 'event') return `Alarm when ${String(alarm.rule.event_type ?? '*')} event occurred.`;
  return `${alarm.type} alarm rule`;
}

export function alarmView(alarm: Alarm): JsonObject {
  return {
    alarm_id: alarm.id,
    name: alarm.name,
    description: alarm.description ?? defaultDescription(alarm),
    enabled: alarm.enabled,
    type: alarm.type,
    [`${alarm.type}_rule`]: alarm.rule,
    project_id: alarm.projectId,
    user_id: alarm.userId,
    state: alarm.state,
    state_reason: alarm.stateReason,
    severity: alarm.severity,
    repeat_actions: alarm.repeatActions,
    ok_actions: alarm.okActions.map(scrubTrustAction),
    alarm_actions: alarm.alarmActions.map(scrubTrustAction),
    insufficient_data_actions: alarm.insufficientDataActions.map(scrubTrustAction),
    time_constraints: alarm.timeConstraints.map((tc) => ({ ...tc })),
    timestamp: aodhTime(alarm.timestamp),
    state_timestamp: aodhTime(alarm.stateTimestamp),
  };
}

/** The alarm as its history's `creation` and `rule change` details record it (the rule under `rule`). */
export function alarmDetail(alarm: Alarm): JsonObject {
  const { [`${alarm.type}_rule`]: rule, ...rest } = alarmView(alarm);
  return { ...rest, rule: rule ?? null };
}

export function changeView(change: AlarmChange): JsonObject {
  return {
    event_id: change.eventId,
    alarm_id: change.alarmId,
    type: change.type,
    detail: change.detail,
    user_id: change.userId,
    project_id: change.projectId,
    on_behalf_of: change.onBehalfOf,
    severity: change.severity,
    timestamp: aodhTime(change.timestamp),
  };
}
