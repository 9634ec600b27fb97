/**
 * Checks one value against Heat's constraints (length, range, modulo,
 * allowed_values, allowed_pattern, custom_constraint), shared by parameters
 * and resource properties. Answers Heat's message, or null when it passes.
 */
import type { Json } from '../json.js';
import { invalidSchema } from '../errors/template.js';
import { pythonJsonDumps, pythonStr } from './python-names.js';
import type { Constraint } from './types.js';

export type CustomCheck = (name: string, value: Json) => Promise<string | null>;

/** Turns a value into the comparable form of its declared type before `allowed_values` compares (Heat's to_schema_type). */
export type SchemaCoercion = (value: Json) => Json;

function lengthOf(value: Json): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return pythonStr(value).length;
}

function asNumber(value: Json): number {
  return typeof value === 'number' ? value : Number(value);
}

function rangeMessage(shown: string, bounds: { min?: number; max?: number }): string {
  return `${shown} is out of range (min: ${bounds.min ?? 'None'}, max: ${bounds.max ?? 'None'})`;
}

function outside(n: number, bounds: { min?: number; max?: number }): boolean {
  return (bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max);
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Python's and JavaScript's regular expressions share their common syntax; a pattern JavaScript cannot read is the template's error. */
function patternOf(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})`);
  } catch (error) {
    throw invalidSchema(`Invalid allowed_pattern ${pattern}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Python's `%` takes the sign of the divisor; Heat's modulo check relies on that. */
function pythonModulo(value: number, step: number): number {
  return ((value % step) + step) % step;
}

/** The failure message of one built-in constraint without its description, or null when the value satisfies it. */
function builtInFailure(value: Json, constraint: Exclude<Constraint, { custom_constraint: string }>, coerce: SchemaCoercion): string | null {
  if ('length' in constraint) {
    const length = lengthOf(value);
    return outside(length, constraint.length)
      ? `length (${length}) is out of range (min: ${constraint.length.min ?? 'None'}, max: ${constraint.length.max ?? 'None'})`
      : null;
  }
  if ('range' in constraint) {
    return outside(asNumber(value), constraint.range) ? rangeMessage(pythonStr(value), constraint.range) : null;
  }
  if ('modulo' in constraint) {
    const { step, offset } = constraint.modulo;
    return pythonModulo(asNumber(value), step) !== offset ? `${pythonStr(value)} is not a multiple of ${step} with an offset of ${offset}` : null;
  }
  if ('allowed_values' in constraint) {
    const allowed = constraint.allowed_values.map(coerce);
    const fits = (v: Json): boolean => allowed.some((a) => sameJson(a, v));
    const ok = Array.isArray(value) ? value.every((v) => allowed.some((a) => sameJson(a, v))) : fits(coerce(value));
    return ok ? null : `${pythonJsonDumps(value)} is not an allowed value [${constraint.allowed_values.map((v) => pythonJsonDumps(v)).join(', ')}]`;
  }
  if ('allowed_pattern' in constraint) {
    const text = pythonStr(value);
    // Heat anchors the pattern at the start (re.match) and requires it to consume the whole value.
    const match = patternOf(constraint.allowed_pattern).exec(text);
    return match !== null && match[0].length === text.length ? null : `"${text}" does not match pattern "${constraint.allowed_pattern}"`;
  }
  return null;
}

/**
 * The first failed built-in constraint (custom ones skipped, as Heat skips
 * them when it checks a default), reported by its description when it has
 * one, else by the constraint's own message.
 */
export function builtInConstraintFailure(value: Json, constraints: Constraint[], coerce: SchemaCoercion): string | null {
  for (const constraint of constraints) {
    if ('custom_constraint' in constraint) continue;
    const message = builtInFailure(value, constraint, coerce);
    if (message !== null) return constraint.description ?? message;
  }
  return null;
}

/** Every constraint in order, custom ones through `checkCustom`. */
export async function constraintFailure(value: Json, constraints: Constraint[], coerce: SchemaCoercion, checkCustom: CustomCheck): Promise<string | null> {
  for (const constraint of constraints) {
    const message = 'custom_constraint' in constraint ? await checkCustom(constraint.custom_constraint, value) : builtInFailure(value, constraint, coerce);
    if (message !== null) return constraint.description ?? message;
  }
  return null;
}
