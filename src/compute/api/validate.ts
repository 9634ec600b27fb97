/**
 * Request checks with Nova's 400 messages ("Invalid input for field/attribute
 * X. Value: Y. ..."), for bodies and query strings. Values that Nova's
 * schemas accept as strings of digits (flavor sizes, limits) are accepted so too.
 */
import type { BadRequest } from '../../core/errors.js';
import { requestErrors } from '../errors.js';
import { checkName } from './schema.js';

export function invalid(field: string, value: unknown, reason: string): BadRequest {
  return requestErrors.invalidField(field, typeof value === 'string' ? value : JSON.stringify(value), reason);
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, value, `${JSON.stringify(value)} is not of type 'object'`);
  return value as Record<string, unknown>;
}

/** The body's single top-level key (`{"server": {...}}`), or 400. */
export function envelope(body: unknown, key: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || !(key in body)) throw requestErrors.requiredProperty(key);
  return object((body as Record<string, unknown>)[key], key);
}

/** A JSON array, of at most `maxItems` entries when given (a bound Nova's schema may lack, where every entry costs work). */
export function list(value: unknown, field: string, maxItems = Number.POSITIVE_INFINITY): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, value, `${JSON.stringify(value)} is not of type 'array'`);
  if (value.length > maxItems) throw invalid(field, `[${value.length} items]`, `is too long (at most ${maxItems} items)`);
  return value;
}

export function onlyKeys(input: Record<string, unknown>, allowed: readonly string[], field: string): void {
  const extra = Object.keys(input).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw requestErrors.additionalProperties(extra, field);
}

export function string(value: unknown, field: string, options: { min?: number; max?: number; pattern?: RegExp; trim?: boolean } = {}): string {
  if (typeof value !== 'string') throw invalid(field, value, `${JSON.stringify(value)} is not of type 'string'`);
  const text = options.trim ? value.trim() : value;
  if (options.min !== undefined && text.length < options.min) throw invalid(field, value, `${JSON.stringify(value)} is too short`);
  if (options.max !== undefined && text.length > options.max) throw invalid(field, value, `${JSON.stringify(value)} is too long`);
  if (options.pattern && !options.pattern.test(text)) throw invalid(field, value, `${JSON.stringify(value)} does not match '${options.pattern.source}'`);
  return text;
}

/** A name Nova accepts: 1-255 printable characters, no leading or trailing blanks. */
export function name(value: unknown, field = 'name'): string {
  return checkName(string(value, field, { min: 1, max: 255 }), field);
}

/** Nova's db.MAX_INT: the bound its schemas put on integers that land in a database column. */
const MAX_INT = 0x7fffffff;

/**
 * An integer (or a string of digits), within [min, max]; `max` defaults to
 * MAX_INT, as the value usually reaches a 32-bit column. Floats that JSON
 * makes whole (1e308) and integers JavaScript cannot hold exactly are 400.
 */
export function integer(value: unknown, field: string, options: { min?: number; max?: number } = {}): number {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid(field, value, `${JSON.stringify(value)} is not of type 'integer', 'string'`);
  const max = options.max ?? MAX_INT;
  if (options.min !== undefined && n < options.min) throw invalid(field, value, `${n} is less than the minimum of ${options.min}`);
  if (n > max) throw invalid(field, value, `${n} is greater than the maximum of ${max}`);
  return n;
}

/**
 * Nova's parameter_types.positive_integer: a JSON integer or a string of
 * digits, at least 1. Python's integers have no size limit; ours must stay
 * exact, so anything past 2^53 - 1 (1e308 parses to a float Nova's schema
 * refuses too) is 400 rather than a rounded count.
 */
export function positiveInteger(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid(field, value, `${JSON.stringify(value)} is not of type 'integer', 'string'`);
  if (n < 1) throw invalid(field, value, `${n} is less than the minimum of 1`);
  return n;
}

export function boolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (['true', '1', 't', 'on', 'y', 'yes'].includes(lower)) return true;
    if (['false', '0', 'f', 'off', 'n', 'no'].includes(lower)) return false;
  }
  throw invalid(field, value, `${JSON.stringify(value)} is not of type 'boolean'`);
}

/** Nova's `format: base64` (base64.decodebytes accepts it): the alphabet, padding, whitespace between. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `personality` (before 2.57): a list of `{path, contents}`, contents base64. */
export function personality(value: unknown): Array<{ path: string; contents: string }> {
  if (!Array.isArray(value)) throw invalid('personality', value, `${JSON.stringify(value)} is not of type 'array'`);
  return value.map((raw) => {
    const item = object(raw, 'personality');
    onlyKeys(item, ['path', 'contents'], 'personality');
    const path = item.path === undefined ? '' : string(item.path, 'path');
    const contents = item.contents === undefined ? '' : string(item.contents, 'contents');
    if (!BASE64.test(contents.replace(/\s/g, ''))) throw invalid('contents', contents, `'${contents}' is not a 'base64'`);
    return { path, contents };
  });
}

/** Nova's parameter_types.metadata key: 1-255 letters, digits and `-_:. `. */
const METADATA_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

/** A flat map of strings (metadata, extra specs): keys as Nova's metadata keys, values up to `maxValue`. */
export function stringMap(value: unknown, field: string, maxValue = 255): Record<string, string> {
  const map = object(value, field);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(map)) {
    if (!METADATA_KEY.test(key)) throw invalid(field, key.slice(0, 255), `'${key.slice(0, 255)}' does not match any of the regexes: '${METADATA_KEY.source}'`);
    out[key] = string(v, `${field}.${key}`, { max: maxValue });
  }
  return out;
}

/** One query parameter as a single string (the last of repeated ones, as webob's `params.get`). */
export function queryValue(query: unknown, key: string): string | undefined {
  const value = (query as Record<string, string | string[] | undefined>)[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function queryInt(query: unknown, key: string, min = 0): number | undefined {
  const value = queryValue(query, key);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw requestErrors.invalidQueryParameter(key, value, `'${value}' does not match '^[0-9]*$'`);
  // Past 2^53 a limit or an offset means "all": the same answer as the largest exact one, which every database takes.
  const n = Math.min(Number(value), Number.MAX_SAFE_INTEGER);
  if (n < min) throw requestErrors.invalidQueryParameter(key, value, `${n} is less than the minimum of ${min}`);
  return n;
}
