/**
 * Times as the index keeps them: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, fixed
 * width so text order is time order on both engines; rendered as Python's
 * `isoformat()` renders Gnocchi's (no fraction when it is zero).
 */
import type { Json } from '../../core/json.js';
import { nowIso } from '../../core/time.js';

/** Now, canonical (JS clocks stop at milliseconds; the last three digits are zero). */
export function nowCanonical(): string {
  return nowIso().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A client's time (ISO 8601 with or without zone, or epoch seconds) → canonical; null when unreadable. */
export function canonicalTime(value: Json | undefined): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const date = new Date(Math.floor(value * 1000));
    const micros = Math.round((value - Math.floor(value)) * 1e6) % 1000;
    return date.toISOString().replace(/\.(\d{3})Z$/, `.$1${String(micros).padStart(3, '0')}+00:00`);
  }
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return canonicalTime(Number(trimmed));
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(trimmed);
  if (!match) return null;
  const fraction = (match[3] ?? '').padEnd(6, '0').slice(0, 6);
  const clock = match[2] ? (match[2].length === 5 ? `${match[2]}:00` : match[2]) : '00:00:00';
  const zone = !match[4] || match[4].toUpperCase() === 'Z' ? 'Z' : match[4].length === 5 ? `${match[4].slice(0, 3)}:${match[4].slice(3)}` : match[4];
  const date = new Date(`${match[1]}T${clock}.${fraction.slice(0, 3)}${zone}`);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.(\d{3})Z$/, `.$1${fraction.slice(3)}+00:00`);
}

/** Python's isoformat of a UTC datetime. */
export function renderTime(canonical: string): string;
export function renderTime(canonical: string | null): string | null;
export function renderTime(canonical: string | null): string | null {
  return canonical === null ? null : canonical.replace('.000000+', '+');
}
