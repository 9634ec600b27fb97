/** Reading one field of a request body as WSME's typed attributes do, with its InvalidInput wording. */
import { invalidInput } from '../errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';

export const MANDATORY = 'Mandatory field missing.';

export function mandatory(body: JsonObject, key: string, where = key): Json {
  const value = body[key];
  if (value === undefined || value === null) throw invalidInput(where, null, MANDATORY);
  return value;
}

export function text(value: Json, where: string): string {
  if (typeof value !== 'string') throw invalidInput(where, value, 'Wrong type. Expected a string.');
  return value;
}

export function optionalText(body: JsonObject, key: string, where = key): string | undefined {
  const value = body[key];
  return value === undefined || value === null ? undefined : text(value, where);
}

/** WSME's bool accepts JSON booleans only. */
export function optionalBool(body: JsonObject, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalidInput(key, value, 'Wrong type. Expected a boolean.');
  return value;
}

export function float(value: Json, where: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalidInput(where, value, 'Wrong type. Expected a float.');
  return number;
}

export function integerIn(body: JsonObject, key: string, where: string, range: { min: number; max?: number; fallback: number }): number {
  const value = body[key];
  if (value === undefined || value === null) return range.fallback;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw invalidInput(where, value, 'Wrong type. Expected an integer.');
  if (number < range.min) throw invalidInput(where, value, `Value should be greater or equal to ${range.min}`);
  if (range.max !== undefined && number > range.max) throw invalidInput(where, value, `Value should be lower or equal to ${range.max}`);
  return number;
}

export function oneOf<T extends string>(body: JsonObject, key: string, where: string, allowed: readonly T[], fallback?: T): T {
  const value = body[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (value === undefined || value === null) throw invalidInput(where, null, MANDATORY);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidInput(where, value, `Value should be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

export function textList(body: JsonObject, key: string, where = key): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidInput(where, value, 'Wrong type. Expected a list of strings.');
  return value as string[];
}

export function object(value: Json, where: string): JsonObject {
  if (!isJsonObject(value)) throw invalidInput(where, value, 'Wrong type. Expected an object.');
  return value;
}
