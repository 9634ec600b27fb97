/**
 * Reads the `parameters:` section into ParameterDefinitions, with Heat's
 * InvalidSchemaError messages for malformed definitions and constraints.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { invalidSchema } from '../errors/template.js';
import type { Constraint, HotVersion, ParameterDefinition, ParameterType } from './types.js';

const PARAMETER_TYPES: readonly ParameterType[] = ['string', 'number', 'json', 'comma_delimited_list', 'boolean'];
const BASE_KEYS = ['type', 'description', 'default', 'schema', 'constraints', 'hidden', 'label', 'immutable'];
const CONSTRAINT_KEYS = ['description', 'length', 'range', 'modulo', 'allowed_values', 'allowed_pattern', 'custom_constraint'];

function checkDict(value: Json | undefined, allowed: string[], entity: string): JsonObject {
  if (!isJsonObject(value ?? null)) throw invalidSchema(`Invalid ${entity}, expected a mapping`);
  const dict = value as JsonObject;
  for (const key of Object.keys(dict)) if (!allowed.includes(key)) throw invalidSchema(`Invalid key '${key}' for ${entity}`);
  return dict;
}

/** Heat's str_to_num: numbers as they are, numeric strings converted. */
function optionalNumber(dict: JsonObject, key: string): number | undefined {
  const value = dict[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'boolean' || Number.isNaN(n)) throw invalidSchema(`could not convert string to float: '${String(value)}'`);
  return n;
}

function bounds(dict: JsonObject, kind: 'range' | 'length'): { min?: number; max?: number } {
  const min = optionalNumber(dict, 'min');
  const max = optionalNumber(dict, 'max');
  if (min === undefined && max === undefined) throw invalidSchema(`A ${kind} constraint must have a min value and/or a max value specified.`);
  if (kind === 'length' && [min, max].some((b) => b !== undefined && !Number.isInteger(b))) throw invalidSchema('min/max length must be integral');
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function modulo(dict: JsonObject): { step: number; offset: number } {
  const step = optionalNumber(dict, 'step');
  const offset = optionalNumber(dict, 'offset');
  if (step === undefined || offset === undefined) throw invalidSchema('A modulo constraint must have a step value and an offset value specified.');
  if (!Number.isInteger(step) || !Number.isInteger(offset)) throw invalidSchema('step/offset must be integer');
  if (step === 0) throw invalidSchema('step cannot be 0.');
  if (Math.abs(offset) >= Math.abs(step)) throw invalidSchema('offset must be smaller (by absolute value) than step.');
  if (step * offset < 0) throw invalidSchema('step and offset must be both positive or both negative.');
  return { step, offset };
}

/** Which constraint kinds apply to which parameter type (Heat's valid_types). */
const VALID_FOR: Record<string, readonly ParameterType[]> = {
  length: ['string', 'comma_delimited_list', 'json'],
  range: ['number'],
  modulo: ['number'],
  allowed_values: ['string', 'number', 'boolean', 'comma_delimited_list'],
  allowed_pattern: ['string'],
  custom_constraint: ['string', 'number', 'boolean', 'comma_delimited_list'],
};

const CLASS_NAMES: Record<string, string> = {
  length: 'Length',
  range: 'Range',
  modulo: 'Modulo',
  allowed_values: 'AllowedValues',
  allowed_pattern: 'AllowedPattern',
  custom_constraint: 'CustomConstraint',
};

/** The Heat schema type names used in "X constraint invalid for <Type>". */
const SCHEMA_TYPE_NAMES: Record<ParameterType, string> = {
  string: 'String',
  number: 'Number',
  json: 'Map',
  comma_delimited_list: 'List',
  boolean: 'Boolean',
};

function constraintFrom(raw: JsonObject, version: HotVersion): Constraint {
  const description = typeof raw.description === 'string' ? { description: raw.description } : {};
  if ('range' in raw) return { range: bounds(checkDict(raw.range, ['min', 'max'], 'range constraint'), 'range'), ...description };
  if ('length' in raw) return { length: bounds(checkDict(raw.length, ['min', 'max'], 'length constraint'), 'length'), ...description };
  if ('allowed_values' in raw) {
    if (!Array.isArray(raw.allowed_values)) throw invalidSchema('AllowedValues must be a list');
    return { allowed_values: raw.allowed_values, ...description };
  }
  if ('allowed_pattern' in raw) {
    if (typeof raw.allowed_pattern !== 'string') throw invalidSchema('AllowedPattern must be a string');
    return { allowed_pattern: raw.allowed_pattern, ...description };
  }
  if ('custom_constraint' in raw) return { custom_constraint: String(raw.custom_constraint), ...description };
  if ('modulo' in raw && version >= '2017-02-24') return { modulo: modulo(checkDict(raw.modulo, ['step', 'offset'], 'modulo constraint')), ...description };
  throw invalidSchema('No constraint expressed');
}

export function constraintKind(constraint: Constraint): string {
  return Object.keys(constraint).find((k) => k !== 'description') ?? '';
}

function constraintsOf(name: string, dict: JsonObject, type: ParameterType, version: HotVersion): Constraint[] {
  const raw = dict.constraints;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidSchema(`Invalid parameter constraints for parameter ${name}, expected a list`);
  return raw.map((entry) => {
    const constraint = constraintFrom(checkDict(entry, CONSTRAINT_KEYS, 'parameter constraints'), version);
    const kind = constraintKind(constraint);
    if (!VALID_FOR[kind]?.includes(type)) {
      throw invalidSchema(`Parameter '${name}' is invalid: ${CLASS_NAMES[kind]} constraint invalid for ${SCHEMA_TYPE_NAMES[type]}`);
    }
    return constraint;
  });
}

/** One parameter definition, checked as Heat reads it (its default is checked later, against the constraints). */
export function parameterDefinition(name: string, raw: Json, version: HotVersion): ParameterDefinition {
  const allowedKeys = version >= '2018-03-02' ? [...BASE_KEYS, 'tags'] : BASE_KEYS;
  const dict = checkDict(raw, allowedKeys, `parameter (${name})`);
  if (!('type' in dict)) throw invalidSchema(`Missing parameter type for parameter: ${name}`);
  if (dict.tags !== undefined && !Array.isArray(dict.tags)) throw invalidSchema(`Tags property should be a list for parameter: ${name}`);
  const type = dict.type as ParameterType;
  if (!PARAMETER_TYPES.includes(type)) throw invalidSchema(`Invalid type (${String(dict.type)})`);
  return {
    name,
    type,
    ...(typeof dict.label === 'string' ? { label: dict.label } : {}),
    ...(typeof dict.description === 'string' ? { description: dict.description } : {}),
    ...(dict.default !== undefined && dict.default !== null ? { default: dict.default } : {}),
    hidden: dict.hidden === true || String(dict.hidden).toLowerCase() === 'true',
    immutable: dict.immutable === true || String(dict.immutable).toLowerCase() === 'true',
    constraints: constraintsOf(name, dict, type, version),
  };
}
