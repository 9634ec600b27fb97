/**
 * validateProperties: a resource's resolved property values against its
 * plugin's schema, as Heat's Properties do: coercion per type ("42" -> 42
 * for an integer, 42 -> "42" for a string), defaults, required, nested map
 * and list schemas, constraints, unknown keys; errors read
 * `Property error: resources.<r>.properties.<p>: <reason>`.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { propertyError } from '../errors/template.js';
import type { PropertySchema, PropertyType } from '../resources/types.js';
import { constraintFailure, type CustomCheck } from './constraints.js';
import { ValueConversionError, strToNum } from './parameter-values.js';
import { pythonRepr, pythonStr, pythonTypeName } from './python-names.js';

/** A failure inside one property: the path below the properties section, and Heat's message. */
class PropertyFailure extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The value a missing or null property gets: its default, else the type's empty value. */
function emptyValue(schema: PropertySchema): Json {
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  const empties: Record<PropertyType, Json> = { string: '', integer: 0, number: 0, boolean: false, map: {}, list: [], any: null };
  return empties[schema.type];
}

function integerValue(value: Json): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
  if (typeof value === 'string') throw new ValueConversionError(`Value '${value}' is not an integer`);
  throw new ValueConversionError(`int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`);
}

function booleanValue(value: Json): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const normalised = value.toLowerCase();
    if (normalised !== 'true' && normalised !== 'false') throw new ValueConversionError(`"${normalised}" is not a valid boolean`);
    return normalised === 'true';
  }
  throw new ValueConversionError(`"${pythonStr(value)}" is not a valid boolean`);
}

function stringValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return pythonStr(value);
  throw new ValueConversionError(`Value must be a string; got ${pythonRepr(value)}`);
}

/** For allowed_values: compare in the property's type (Heat's to_schema_type). */
function coercion(type: PropertyType): (value: Json) => Json {
  return (value) => {
    try {
      if (type === 'integer' || type === 'number') return strToNum(value);
      if (type === 'string') return pythonStr(value);
      if (type === 'boolean') return booleanValue(value);
    } catch (error) {
      // a value of another type never matches
      if (!(error instanceof ValueConversionError)) throw error;
    }
    return value;
  };
}

async function propertyValue(schema: PropertySchema, raw: Json, path: string, checkCustom: CustomCheck): Promise<Json> {
  const value = raw === null ? emptyValue(schema) : raw;
  let result: Json;
  try {
    switch (schema.type) {
      case 'string':
        result = stringValue(value);
        break;
      case 'integer':
        result = integerValue(value);
        break;
      case 'number':
        result = strToNum(value);
        break;
      case 'boolean':
        result = booleanValue(value);
        break;
      case 'map':
        if (!isJsonObject(value)) throw new ValueConversionError(`"${pythonStr(value)}" is not a map`);
        result = schema.schema === undefined ? value : await propertyMap(schema.schema, value, path, checkCustom);
        break;
      case 'list': {
        if (!Array.isArray(value)) throw new ValueConversionError(`"${pythonRepr(value)}" is not a list`);
        const itemSchema = schema.schema?.['*'];
        result = itemSchema === undefined ? value : await Promise.all(value.map((item, i) => propertyValue(itemSchema, item, childPath(path, i), checkCustom)));
        break;
      }
      default:
        result = value;
    }
  } catch (error) {
    if (error instanceof PropertyFailure) throw error;
    if (error instanceof ValueConversionError) throw new PropertyFailure(path, error.message);
    throw error;
  }
  const failure = await constraintFailure(result, schema.constraints ?? [], coercion(schema.type), checkCustom);
  if (failure !== null) throw new PropertyFailure(path, failure);
  return result;
}

async function propertyMap(schemas: Record<string, PropertySchema>, values: JsonObject, path: string, checkCustom: CustomCheck): Promise<JsonObject> {
  for (const key of Object.keys(values)) if (!(key in schemas)) throw new PropertyFailure(path, `Unknown Property ${key}`);
  const result: JsonObject = {};
  for (const [key, schema] of Object.entries(schemas)) {
    const given = values[key];
    if (given !== undefined) result[key] = await propertyValue(schema, given, childPath(path, key), checkCustom);
    else if (schema.default !== undefined && schema.default !== null) result[key] = await propertyValue(schema, null, childPath(path, key), checkCustom);
    else if (schema.required) throw new PropertyFailure(path, `Property ${key} not assigned`);
    else result[key] = null;
  }
  return result;
}

/**
 * `path` names the properties section, e.g. `resources.server.properties`;
 * a null `values` is an empty section.
 */
export async function validateProperties(
  schema: Record<string, PropertySchema>,
  values: Json,
  path: string,
  options: { checkCustom: CustomCheck },
): Promise<JsonObject> {
  try {
    if (values !== null && !isJsonObject(values)) throw new PropertyFailure('', `"${pythonStr(values)}" is not a map`);
    return await propertyMap(schema, values ?? {}, '', options.checkCustom);
  } catch (error) {
    if (!(error instanceof PropertyFailure)) throw error;
    throw propertyError(error.path ? [childPathPrefix(path, error.path)] : [path], error.message);
  }
}

/** The section path and the path inside it, joined as Heat renders them (list indexes without a dot). */
function childPathPrefix(section: string, inner: string): string {
  return inner.startsWith('[') ? `${section}${inner}` : `${section}.${inner}`;
}
