/**
 * A route's body schema turned into bodies that are valid at most levels and
 * hostile at some: every node is the schema's own value four times in five and
 * a hostile value otherwise, so mutations reach every depth of the body.
 */
import fc from 'fast-check';
import { hostileNumber, hostileString, hostileValue } from './hostile.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;

export function fromSchema(schema: unknown, depth = 0): fc.Arbitrary<Json> {
  const valid = validFromSchema(schema, depth);
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function validFromSchema(raw: unknown, depth: number): fc.Arbitrary<Json> {
  if (typeof raw !== 'object' || raw === null || depth > MAX_DEPTH) return hostileValue;
  const schema = raw as Schema;
  if ('const' in schema) return fc.constant(schema.const as Json);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as Json[]));
  const alternatives = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => fromSchema({ ...schema, oneOf: undefined, anyOf: undefined, ...(alternative as Schema) }, depth + 1)));
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0 && schema.properties) types.push('object');
  if (types.length === 0) return hostileValue;
  return fc.oneof(...types.map((type) => ofType(type, schema, depth)));
}

function ofType(type: string, schema: Schema, depth: number): fc.Arbitrary<Json> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.oneof(bounded(schema), hostileNumber.map(Math.trunc));
    case 'number':
      return fc.oneof(bounded(schema), hostileNumber);
    case 'string':
      return fc.oneof(
        { weight: 2, arbitrary: fc.string({ minLength: Number(schema.minLength ?? 0), maxLength: Math.min(Number(schema.maxLength ?? 32), 64) }) },
        { weight: 1, arbitrary: hostileString },
      );
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'object':
      return objectOf(schema, depth);
    default:
      return hostileValue;
  }
}

function bounded(schema: Schema): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 100_000;
  return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(Math.max(max, min), 2 ** 31 - 1) });
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = fromSchema(property, depth + 1);
  if (Object.keys(model).length === 0) return fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 3 });
  return fc.record(model, { requiredKeys: Object.keys(model).filter((name) => required.has(name)) });
}
