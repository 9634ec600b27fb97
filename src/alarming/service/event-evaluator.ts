/**
 * Aodh's event evaluator over the cloud's event bus: an event is matched
 * against the enabled `event` alarms of the project its `project_id` (or
 * `tenant_id`) trait names. An alarm fires when the event's type matches its
 * `event_type` (shell wildcards, as fnmatch) and every query condition holds
 * (`traits.<name>` compared after converting the alarm's value to its type;
 * other fields read from the event itself). Firing moves the alarm to
 * `alarm` with the event as reason data; an alarm already in `alarm` fires
 * again only with repeat_actions, and then records the transition again.
 * Event alarms never go back to `ok` or `insufficient data` on their own.
 */
import type { CloudEvent, TraitValue } from '../../core/events.js';
import { TRAIT_TYPES } from '../../core/events.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import * as store from '../store/index.js';
import type { Alarm } from '../store/index.js';
import type { AlarmingDeps } from './deps.js';
import { applyVerdict } from './evaluator.js';
import type { Notifier } from './notifier.js';
import { pythonJson } from './python-json.js';

type Comparable = string | number;

const COMPARE: Record<string, (left: Comparable, right: Comparable) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/** A value as the trait type reads it; datetimes compare as epoch milliseconds. Null when it does not convert. */
function typed(value: Json | TraitValue | undefined, type: number): Comparable | null {
  if (value === undefined || value === null) return null;
  if (type === TRAIT_TYPES.integer) return Number.isNaN(parseInt(String(value), 10)) ? null : parseInt(String(value), 10);
  if (type === TRAIT_TYPES.float) return Number.isNaN(Number(value)) ? null : Number(value);
  if (type === TRAIT_TYPES.datetime) return Number.isNaN(Date.parse(String(value))) ? null : Date.parse(String(value));
  return String(value);
}

/** fnmatch's shell pattern (`*`, `?`, `[seq]`, `[!seq]`) as a whole-string regular expression. */
export function wildcardPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    const close = char === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (close > 0) {
      const body = pattern.slice(i + 1, close);
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** The project an event belongs to, as Aodh finds it among the traits. */
function projectOf(event: CloudEvent): string {
  let project = '';
  for (const [name, , value] of event.traits) if (name === 'project_id' || name === 'tenant_id') project = String(value);
  return project;
}

function conditionHolds(event: CloudEvent, condition: JsonObject): boolean {
  const field = String(condition.field);
  const compare = COMPARE[String(condition.op ?? 'eq')] ?? COMPARE.eq!;
  let actual: Comparable | null;
  let expected: Comparable | null;
  if (field.startsWith('traits.')) {
    const name = field.slice('traits.'.length);
    const trait = event.traits.find(([traitName]) => traitName === name);
    const type = TRAIT_TYPES[String(condition.type || 'string') as keyof typeof TRAIT_TYPES] ?? TRAIT_TYPES.string;
    actual = trait ? typed(trait[2], trait[1]) : null;
    expected = typed(condition.value, type);
  } else {
    const value = (event as unknown as Record<string, Json | undefined>)[field];
    actual = typeof value === 'string' || typeof value === 'number' ? value : null;
    expected = typed(condition.value, TRAIT_TYPES.string);
  }
  // An absent trait equals nothing and differs from everything; ordering it is no match.
  if (actual === null || expected === null) return String(condition.op ?? 'eq') === 'ne' && actual !== expected;
  return compare(actual, expected);
}

function matches(alarm: Alarm, event: CloudEvent): boolean {
  if (alarm.state === 'alarm' && !alarm.repeatActions) return false;
  if (!wildcardPattern(String(alarm.rule.event_type ?? '*')).test(event.event_type)) return false;
  const query = Array.isArray(alarm.rule.query) ? alarm.rule.query : [];
  return query.every((condition) => isJsonObject(condition) && conditionHolds(event, condition));
}

export function createEventEvaluator(deps: AlarmingDeps, notifier: Notifier): (event: CloudEvent) => Promise<void> {
  return async (event) => {
    const alarms = (await store.listAlarms(deps.db, projectOf(event))).filter((alarm) => alarm.enabled && alarm.type === 'event');
    for (const alarm of alarms) {
      try {
        if (!matches(alarm, event)) continue;
        const query = alarm.rule.query ?? [];
        const reason = `Event <id=${event.message_id},event_type=${event.event_type}> hits the query <query=${pythonJson(query, true)}>.`;
        const reasonData: JsonObject = { type: 'event', event: event as unknown as JsonObject };
        deps.log.info({ alarmId: alarm.id, eventType: event.event_type }, 'event alarm triggered');
        await applyVerdict(deps, notifier, alarm, { state: 'alarm', reason, reasonData }, alarm.repeatActions);
      } catch (err) {
        deps.log.error({ err, alarmId: alarm.id, messageId: event.message_id }, 'event alarm evaluation failed');
      }
    }
  };
}
