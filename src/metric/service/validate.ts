/**
 * Body checks worded as voluptuous words them in Gnocchi's 400s
 * (`{"cause": "Invalid input", "reason": "extra keys not allowed @ data['x']", "detail": ["x"]}`).
 */
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { invalidInput } from '../errors.js';

export type Path = (string | number)[];

/** A value's own complaint: voluptuous adds "for dictionary value" when the value sits under a key. */
export function invalidValue(message: string, path: Path): never {
  throw invalidInput(path.length > 0 && typeof path[path.length - 1] === 'string' ? `${message} for dictionary value` : message, path);
}

export function expectObject(value: Json | undefined, path: Path = []): JsonObject {
  if (!isJsonObject(value ?? null)) invalidValue('expected a dictionary', path);
  return value as JsonObject;
}

/** Refuses keys outside `allowed` and reports the first missing one of `required`. */
export function checkKeys(body: JsonObject, allowed: readonly string[], required: readonly string[], path: Path = []): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw invalidInput('extra keys not allowed', [...path, key]);
  for (const key of required) if (!(key in body)) throw invalidInput('required key not provided', [...path, key]);
}

export function expectString(value: Json | undefined, path: Path): string {
  if (typeof value !== 'string') invalidValue('expected str', path);
  return value as string;
}

export function optionalString(value: Json | undefined, path: Path): string | null | undefined {
  if (value === undefined || value === null) return value;
  return expectString(value, path);
}

/** voluptuous's Coerce(int): a whole number or a string of one. */
export function coerceInt(value: Json | undefined, path: Path): number {
  const number = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) invalidValue('expected int', path);
  return Math.trunc(number as number);
}
