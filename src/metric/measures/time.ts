/**
 * Gnocchi's notions of time on the wire: a timestamp is ISO 8601 (UTC when it
 * names no offset), epoch seconds (a number or a numeric string), or a
 * timespan relative to now (`-5 minutes`); a timespan is seconds or words
 * (`1 hour`, `5min`, `2d`). Everything inside is epoch seconds as a float.
 */
import type { Json } from '../../core/json.js';
import type { AggregatedPoint } from '../timeseries/types.js';
import { nowMs } from '../../core/time.js';

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** Seconds per unit word, as pytimeparse reads them. */
const UNIT_SECONDS: Array<[RegExp, number]> = [
  [/^(?:w|wks?|weeks?)$/, 604_800],
  [/^(?:d|dys?|days?)$/, 86_400],
  [/^(?:h|hrs?|hours?)$/, 3_600],
  [/^(?:m|mins?|minutes?)$/, 60],
  [/^(?:s|secs?|seconds?)$/, 1],
  [/^(?:ms|msecs?|milliseconds?)$/, 0.001],
];
const SPAN_PART = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*,?\s*/gy;

/** A timespan in words (`5 minutes`, `1h30m`, `-10 seconds`); null when it does not read as one. */
function wordsToSeconds(text: string): number | null {
  const match = /^\s*([+-]?)\s*(.*?)\s*$/.exec(text.toLowerCase());
  const body = match?.[2] ?? '';
  if (body === '') return null;
  let total = 0;
  SPAN_PART.lastIndex = 0;
  while (SPAN_PART.lastIndex < body.length) {
    const part = SPAN_PART.exec(body);
    if (!part) return null;
    const unit = UNIT_SECONDS.find(([pattern]) => pattern.test(part[2]!));
    if (!unit) return null;
    total += Number(part[1]) * unit[1];
  }
  return match?.[1] === '-' ? -total : total;
}

/** Gnocchi's to_timespan: seconds, positive unless `allowNonPositive`; throws with Gnocchi's reasons. */
export function parseTimespan(value: unknown, allowNonPositive = false): number {
  let seconds: number | null;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') seconds = NUMBER.test(value) ? Number(value) : wordsToSeconds(value);
  else throw new Error('Invalid timespan');
  if (seconds === null || !Number.isFinite(seconds)) throw new Error('Unable to parse timespan');
  if (!allowNonPositive && seconds <= 0) throw new Error('Timespan must be positive');
  return seconds;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Field by field, with no intermediate arrays or Dates: a batch push reads a timestamp per measure. */
function isoToEpoch(text: string): number | null {
  const m = ISO_8601.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Gnocchi refuses dates that do not exist (2015-02-30) rather than rolling them over.
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return null;
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const fraction = m[7];
  if (fraction !== undefined) epoch += Number(fraction) / 10 ** fraction.length;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.charCodeAt(0) === 0x2d ? -1 : 1;
    const minutesAt = zone.length > 3 && zone[3] === ':' ? 4 : 3;
    epoch -= sign * (Number(zone.slice(1, 3)) * 3600 + (zone.length > 3 ? Number(zone.slice(minutesAt)) : 0) * 60);
  }
  return epoch;
}

/** Gnocchi's to_timestamp: epoch seconds; throws `Unable to convert timestamps` or `Timestamp must be after Epoch`. */
export function parseTimestamp(value: unknown, now: () => number = () => nowMs() / 1000): number {
  let epoch: number | null = null;
  if (typeof value === 'number') epoch = value;
  else if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (NUMBER.test(value)) epoch = Number(value);
    // numpy.datetime64 reads these two words (gnocchiclient passes them through as typed).
    else if (word === 'now') epoch = now();
    else if (word === 'today') epoch = Math.floor(now() / 86_400) * 86_400;
    else {
      epoch = isoToEpoch(value);
      if (epoch === null) {
        const relative = wordsToSeconds(value);
        epoch = relative === null ? null : now() + relative;
      }
    }
  }
  if (epoch === null || !Number.isFinite(epoch)) throw new Error('Unable to convert timestamps');
  if (epoch < 0) throw new Error('Timestamp must be after Epoch');
  return epoch;
}

/** Gnocchi's printing of a point's time: `2015-03-06T14:34:12+00:00`, microseconds only when there are some. */
export function formatTimestamp(epoch: number): string {
  const micros = Math.round(epoch * 1e6);
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, '0')}+00:00`;
}

/** Points as Gnocchi answers them: `[time, granularity, value]` triples. */
export const renderPoints = (points: Array<Omit<AggregatedPoint, 'granularity'> & { granularity: number | string }>): Json[] =>
  points.map((p) => [formatTimestamp(p.timestamp), p.granularity, p.value]);

/** The start of the period of `granularity` that holds `epoch` (carbonara's round_timestamp). */
export function floorToGranularity(epoch: number, granularity: number): number {
  return Math.floor(epoch / granularity) * granularity;
}
