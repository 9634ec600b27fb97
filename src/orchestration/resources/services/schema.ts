/**
 * Short builders for Heat's property and attribute schemas, so each type's
 * file reads as the table of names, types and update rules Heat publishes.
 */
import type { Json } from '../../json.js';
import type { Constraint } from '../../template/types.js';
import type { AttributeSchema, PropertySchema, PropertyType } from '../types.js';

type Extra = Omit<PropertySchema, 'type' | 'description'>;

const property =
  (type: PropertyType) =>
  (description: string, extra: Extra = {}): PropertySchema => ({ type, description, ...extra });

export const string = property('string');
export const integer = property('integer');
export const number = property('number');
export const boolean = property('boolean');
export const map = property('map');
export const list = property('list');

/** A list whose items are maps with these keys. */
export function listOf(description: string, keys: Record<string, PropertySchema>, extra: Extra = {}): PropertySchema {
  return list(description, { ...extra, schema: { '*': map('', { schema: keys }) } });
}

/** A list of strings. */
export function stringList(description: string, extra: Extra = {}): PropertySchema {
  return list(description, { ...extra, schema: { '*': string('') } });
}

export const custom = (name: string): Constraint => ({ custom_constraint: name });
export const allowed = (...values: Json[]): Constraint => ({ allowed_values: values });
export const range = (min?: number, max?: number): Constraint => ({ range: { ...(min !== undefined && { min }), ...(max !== undefined && { max }) } });

/** Kept for old templates; Heat shows it as hidden in favour of `replacement`. */
export function hidden(schema: PropertySchema, version: string, replacement: string): PropertySchema {
  return { ...schema, supportStatus: { status: 'HIDDEN', version, message: `Use property ${replacement}.` } };
}

export function attribute(description: string, type?: AttributeSchema['type']): AttributeSchema {
  return type === undefined ? { description } : { description, type };
}
