/** Reading request bodies and query strings the way Cinder validates them, with its 400 messages. */
import { BadRequest } from '../../core/errors.js';

export type Json = Record<string, unknown>;

/** The object under `key` of the body (`{"volume": {...}}`). */
export function entity(body: unknown, key: string): Json {
  const value = isObject(body) ? body[key] : undefined;
  if (!isObject(value)) throw new BadRequest(`Missing required element '${key}' in request body.`);
  return value;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optString(obj: Json, key: string, max = 255): string | null | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw new BadRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'string'`);
  if (value.length > max) throw new BadRequest(`Invalid input for field/attribute ${key}. Value: ${value}. '${value}' is too long`);
  return value;
}

export function reqString(obj: Json, key: string): string {
  const value = optString(obj, key);
  if (value === undefined || value === null) throw new BadRequest(`Invalid input for field/attribute ${key}. Value: None. '${key}' is a required property`);
  return value;
}

/** An integer, also given as a string of digits (Cinder's validation accepts both). */
export function optInt(obj: Json, key: string): number | null | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new BadRequest(`Invalid input received: ${key} must be an integer, got ${JSON.stringify(value)}.`);
  }
  return n;
}

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's strict bool_from_string: true/false and their spellings. */
export function parseBool(value: unknown, key: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new BadRequest(`Invalid input received: ${key} must be a boolean, got ${JSON.stringify(value)}.`);
}

export function optBool(obj: Json, key: string): boolean | undefined {
  const value = obj[key];
  return value === undefined || value === null ? undefined : parseBool(value, key);
}

/** A map of strings (metadata, extra specs). */
export function stringMap(value: unknown, key: string): Record<string, string> {
  if (!isObject(value)) throw new BadRequest(`Invalid input received: ${key} must be a dictionary.`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new BadRequest(`Invalid input received: value of ${key} key ${k} must be a string.`);
  }
  return value as Record<string, string>;
}

/**
 * A query parameter holding a dict, as python clients send it
 * (`{'key': 'value'}`, the str() of a dict) or as JSON.
 */
export function queryDict(text: string, key: string): Record<string, string> {
  for (const candidate of [text, text.replace(/'/g, '"')]) {
    try {
      return stringMap(JSON.parse(candidate), key);
    } catch {
      // Try the next spelling.
    }
  }
  throw new BadRequest(`Invalid input received: ${key} must be a dictionary, got ${text}.`);
}
