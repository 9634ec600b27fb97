/** Timestamps as stored (ISO 8601, UTC, milliseconds) and as rendered per API. */
import { currentClock } from './clock.js';

/** The storage form, on the cloud's clock (core/clock.ts): sortable as text in SQLite and PostgreSQL alike. */
export function nowIso(): string {
  return currentClock().now().toISOString();
}

/** The cloud's current time in milliseconds, for expiry checks (core/clock.ts). */
export function nowMs(): number {
  return currentClock().nowMs();
}

/** Keystone and Nova render six fractional digits: `2026-11-24T02:13:42.000000Z`. */
export function isoMicros(value: string | Date): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Seconds-precision form without fraction: `2026-11-24T02:13:42Z`. */
export function isoSeconds(value: string | Date): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  return iso.replace(/\.\d{3}Z$/, 'Z');
}
