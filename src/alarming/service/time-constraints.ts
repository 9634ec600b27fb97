/**
 * Time constraints (an alarm is evaluated only inside one of its windows):
 * each window opens at a cron time (5 fields, in the constraint's time zone)
 * and lasts `duration` seconds, as Aodh reads them with croniter.
 */
import { BadRequest } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import { invalidInput } from '../errors.js';
import type { TimeConstraint } from '../store/index.js';
import { integerIn, mandatory, object, optionalText, text } from './fields.js';

const FIELDS = [
  { min: 0, max: 59, names: [] as string[] },
  { min: 0, max: 23, names: [] as string[] },
  { min: 1, max: 31, names: [] as string[] },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

interface Cron {
  sets: Set<number>[];
  /** Both day fields restricted: a day matches either, as cron does. */
  dayEither: boolean;
}

function parseValue(token: string, field: (typeof FIELDS)[number]): number {
  const named = field.names.indexOf(token.toLowerCase());
  if (named >= 0) return named + (field.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(token)) throw new Error(`bad value ${token}`);
  const value = Number(token);
  if (value < field.min || value > field.max) throw new Error(`${token} out of range`);
  return value;
}

/** Throws on an expression croniter would refuse. */
export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error('a cron expression has 5 fields');
  const sets = parts.map((part, index) => {
    const field = FIELDS[index] as (typeof FIELDS)[number];
    const values = new Set<number>();
    for (const item of part.split(',')) {
      const [range, stepText] = item.split('/') as [string, string | undefined];
      const step = stepText === undefined ? 1 : Number(stepText);
      if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in ${item}`);
      let [low, high] = [field.min, field.max];
      if (range !== '*') {
        const [from, to] = range.split('-') as [string, string | undefined];
        low = parseValue(from, field);
        high = to === undefined ? (stepText === undefined ? low : field.max) : parseValue(to, field);
      }
      for (let v = low; v <= high; v += step) values.add(index === 4 && v === 7 ? 0 : v);
    }
    return values;
  });
  return { sets, dayEither: parts[2] !== '*' && parts[4] !== '*' };
}

function zoneParts(date: Date, timeZone: string): number[] {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(String(parts.weekday));
  return [Number(parts.minute), Number(parts.hour), Number(parts.day), Number(parts.month), weekday];
}

function matches(cron: Cron, date: Date, timeZone: string): boolean {
  const [minute, hour, day, month, weekday] = zoneParts(date, timeZone) as [number, number, number, number, number];
  const [minutes, hours, days, months, weekdays] = cron.sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (!minutes.has(minute) || !hours.has(hour) || !months.has(month)) return false;
  return cron.dayEither ? days.has(day) || weekdays.has(weekday) : days.has(day) && weekdays.has(weekday);
}

/** Windows longer than a year are looked back on for a year only. */
const MAX_LOOKBACK_MINUTES = 366 * 24 * 60;

/** True when `now` lies in a window of one of the constraints (always, without constraints). */
export function withinTimeConstraints(constraints: TimeConstraint[], now: Date): boolean {
  if (constraints.length === 0) return true;
  return constraints.some((tc) => {
    const cron = parseCron(tc.start);
    const zone = tc.timezone || 'UTC';
    const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
    const lookback = Math.min(Math.floor(tc.duration / 60), MAX_LOOKBACK_MINUTES);
    for (let back = 0; back <= lookback; back++) {
      const start = startOfMinute - back * 60_000;
      if (matches(cron, new Date(start), zone)) return now.getTime() <= start + tc.duration * 1000;
    }
    return false;
  });
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The body's `time_constraints`, checked as Aodh's AlarmTimeConstraint. */
export function normalizeTimeConstraints(raw: Json | undefined): TimeConstraint[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidInput('time_constraints', raw, 'Wrong type. Expected a list.');
  const constraints = raw.map((item): TimeConstraint => {
    const body = object(item, 'time_constraints');
    const start = text(mandatory(body, 'start'), 'start');
    try {
      parseCron(start);
    } catch (err) {
      throw invalidInput('start', start, (err as Error).message);
    }
    const duration = integerIn(body, 'duration', 'duration', { min: 0, fallback: -1 });
    if (duration < 0) throw invalidInput('duration', null, 'Mandatory field missing.');
    const timezone = optionalText(body, 'timezone') ?? '';
    if (timezone && !validZone(timezone)) throw new BadRequest(`Timezone ${timezone} is not valid`);
    const description = optionalText(body, 'description') || `Time constraint at ${start} lasting for ${duration} seconds`;
    return { name: text(mandatory(body, 'name'), 'name'), description, start, duration, timezone };
  });
  if (new Set(constraints.map((tc) => tc.name)).size !== constraints.length) throw new BadRequest('Time constraint names must be unique for a given alarm.');
  return constraints;
}
