/**
 * Resource type attributes as Gnocchi's resource_type.py defines them: the
 * schema of each type (string, uuid, number, bool, datetime; required, with
 * `options.fill` for existing resources) and the check of a resource's values
 * against it.
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { invalidInput, type DescribedError } from '../errors.js';
import { canonicalTime } from './times.js';
import { resourceUuid } from './resource-ids.js';

/** Attribute names the resource itself uses. */
const RESERVED = new Set([
  'id',
  'type',
  'metrics',
  'revision',
  'revision_start',
  'revision_end',
  'started_at',
  'ended_at',
  'user_id',
  'project_id',
  'created_by_user_id',
  'created_by_project_id',
  'get_metric',
  'creator',
]);
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_]*/;
const TYPES = ['string', 'uuid', 'number', 'bool', 'datetime'];

function attributeError(name: string, reason: string): DescribedError {
  return invalidInput(reason, ['attributes', name]);
}

function rangeError(min: number, max: number): BadRequest {
  return new BadRequest(`Invalid input: Resource attribute value min (or min_length) ${min} must be less  than or equal to max (or max_length) ${max}!`);
}

function optionError(name: string, reason: string): BadRequest {
  return new BadRequest(`Invalid input: Option 'fill' of resource attribute ${name} is invalid: ${reason}`);
}

function optionalNumber(value: Json | undefined, name: string, key: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw attributeError(name, `${key} must be a number`);
  return value;
}

/** A schema as given → as Gnocchi renders it, plus the fill value for existing resources. */
export function parseAttributeSchema(name: string, raw: Json): { schema: JsonObject; fill: Json | undefined } {
  if (name.length > 63 || RESERVED.has(name) || !NAME.test(name)) throw new BadRequest(`Invalid input: Resource attribute name ${name} is invalid`);
  if (!isJsonObject(raw)) throw invalidInput('expected a dictionary', ['attributes', name]);
  const type = raw.type;
  if (typeof type !== 'string' || !TYPES.includes(type)) throw attributeError(name, `type must be one of ${TYPES.join(', ')}`);
  const required = raw.required ?? true;
  if (typeof required !== 'boolean') throw attributeError(name, 'required must be a boolean');
  const schema: JsonObject = { type, required };
  if (type === 'string') {
    const min = optionalNumber(raw.min_length, name, 'min_length') ?? 0;
    const max = optionalNumber(raw.max_length, name, 'max_length') ?? 255;
    if (max < min) throw rangeError(min, max);
    Object.assign(schema, { min_length: min, max_length: max });
  } else if (type === 'number') {
    const min = optionalNumber(raw.min, name, 'min');
    const max = optionalNumber(raw.max, name, 'max');
    if (min !== null && max !== null && max < min) throw rangeError(min, max);
    Object.assign(schema, { min, max });
  }
  const options = raw.options;
  let fill: Json | undefined;
  if (options !== undefined && options !== null) {
    if (!isJsonObject(options)) throw attributeError(name, 'options must be a dictionary');
    if (options.fill !== undefined && options.fill !== null) fill = checkFill(name, schema, options.fill);
    else if (required) throw optionError(name, 'must not be empty if required=True');
  }
  return { schema, fill };
}

function checkFill(name: string, schema: JsonObject, fill: Json): Json {
  try {
    return checkAttributeValue(name, schema, fill, null);
  } catch (error) {
    throw optionError(name, error instanceof Error ? error.message.replace(/ for dictionary value.*$/, '') : String(error));
  }
}

/** A resource's value for one attribute, normalised (UUIDs lower-case, datetimes canonical); 400 as voluptuous words it. */
export function checkAttributeValue(name: string, schema: JsonObject, value: Json, creator: string | null): Json {
  if (value === null) {
    if (schema.required === true) throw invalidInput('expected a value, not None for dictionary value', [name]);
    return null;
  }
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') throw invalidInput('expected str for dictionary value', [name]);
      const min = Number(schema.min_length ?? 0);
      const max = Number(schema.max_length ?? 255);
      if (value.length < min) throw invalidInput(`length of value must be at least ${min} for dictionary value`, [name]);
      if (value.length > max) throw invalidInput(`length of value must be at most ${max} for dictionary value`, [name]);
      return value;
    }
    case 'uuid': {
      const id = typeof value === 'string' ? resourceUuid(value, creator, true) : null;
      if (id === null) throw invalidInput('not a valid value for dictionary value', [name]);
      return id;
    }
    case 'number': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(number)) throw invalidInput('expected float for dictionary value', [name]);
      if (typeof schema.min === 'number' && number < schema.min) throw invalidInput(`value must be at least ${schema.min} for dictionary value`, [name]);
      if (typeof schema.max === 'number' && number > schema.max) throw invalidInput(`value must be at most ${schema.max} for dictionary value`, [name]);
      return number;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw invalidInput('expected bool for dictionary value', [name]);
      return value;
    default: {
      const time = canonicalTime(value);
      if (time === null) throw invalidInput('not a valid value for dictionary value', [name]);
      return time;
    }
  }
}
