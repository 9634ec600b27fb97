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

function isoToEpoch(text: string): number | null {
  const m = ISO_8601.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  // Date.UTC rolls 2015-02-30 over to March; Gnocchi refuses such dates.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  let epoch = millis / 1000 + (m[7] ? Number(`0.${m[7]}`) : 0);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || 0) * 60);
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
