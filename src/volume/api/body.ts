/**
 * Values as Cinder reads them once the route schema has admitted them
 * (api/schemas.ts), and query-string values, which no schema covers.
 */
import { errors } from '../errors.js';

/** A schema-checked integer field (a JSON integer or a string of digits). */
export function toInt(value: number | string): number {
  return typeof value === 'number' ? value : Number(value.trim());
}

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's strict bool_from_string: true/false and their spellings. */
export function parseBool(value: unknown, key: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw errors.invalidInput(`${key} must be a boolean, got ${JSON.stringify(value)}.`);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * A query parameter holding a dict, as python clients send it
 * (`{'key': 'value'}`, the str() of a dict) or as JSON.
 */
export function queryDict(text: string, key: string): Record<string, string> {
  for (const candidate of [text, text.replace(/'/g, '"')]) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isStringMap(parsed)) return parsed;
    } catch {
      // Try the next spelling.
    }
  }
  throw errors.invalidInput(`${key} must be a dictionary, got ${text}.`);
}
