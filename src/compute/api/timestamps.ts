/** Nova's admin APIs render naive UTC datetimes as Python's isoformat does: `2026-11-24T05:44:53.000000`, no zone. */
import { isoMicros } from '../../core/time.js';

export function naiveTime(value: string): string;
export function naiveTime(value: string | null): string | null;
export function naiveTime(value: string | null): string | null {
  return value === null ? null : isoMicros(value).replace(/Z$/, '');
}
