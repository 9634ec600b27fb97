/**
 * Turning a parameter's given value into its typed value, as Heat's
 * parameter classes do (numbers from text, booleans from yes/no words,
 * lists from comma-separated text, JSON from text), with Heat's messages.
 */
import type { Json } from '../json.js';
import { pythonRepr, pythonStr, pythonTypeName } from './python-names.js';
import type { ParameterType } from './types.js';

/** A value that cannot take its declared type; its message is Heat's (Python's) reason. */
export class ValueConversionError extends Error {}

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** Heat's Schema.str_to_num: int() first, then float(), with Python's messages. */
export function strToNum(value: Json): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = typeof value === 'string' ? value.trim() : '';
  if (typeof value === 'string' && text !== '' && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|infinity|nan)$/i.test(text)) return Number(text);
  if (typeof value === 'string') throw new ValueConversionError(`could not convert string to float: ${pythonRepr(value)}`);
  throw new ValueConversionError(`float() argument must be a string or a real number, not '${pythonTypeName(value)}'`);
}

/** oslo's bool_from_string(strict=True). */
export function boolFromString(value: Json): boolean {
  if (typeof value === 'boolean') return value;
  const word = pythonStr(value).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  const acceptable = [...TRUE_WORDS, ...FALSE_WORDS]
    .sort()
    .map((w) => `'${w}'`)
    .join(', ');
  throw new ValueConversionError(`Unrecognized value '${pythonStr(value)}', acceptable values are: ${acceptable}`);
}

/** A comma_delimited_list: a list's items as text, or text split on commas ('' is the empty list). */
export function parseDelimitedList(value: Json): string[] {
  if (Array.isArray(value)) return value.map(pythonStr);
  if (typeof value !== 'string')
    throw new ValueConversionError(`Value must be a comma-delimited list string: '${pythonTypeName(value)}' object has no attribute 'split'`);
  return value === '' ? [] : value.split(',');
}

/** A json parameter: text is parsed, anything else is taken as it is. */
export function parseJsonParameter(value: Json): Json {
  if (typeof value !== 'string') return value;
  if (value === '') return value;
  try {
    return JSON.parse(value) as Json;
  } catch (error) {
    throw new ValueConversionError(`Value must be valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The value constraints are checked against: the parsed form for lists and JSON, the given value otherwise (Heat checks it before conversion). */
export function constrainedForm(type: ParameterType, value: Json): Json {
  switch (type) {
    case 'number':
      strToNum(value);
      return value;
    case 'boolean':
      boolFromString(value);
      return value;
    case 'comma_delimited_list':
      return parseDelimitedList(value);
    case 'json':
      return parseJsonParameter(value);
    default:
      return value;
  }
}

/** The typed value get_param answers. */
export function typedValue(type: ParameterType, value: Json): Json {
  switch (type) {
    case 'number':
      return strToNum(value);
    case 'boolean':
      return boolFromString(value);
    case 'comma_delimited_list':
      return parseDelimitedList(value);
    case 'json':
      return parseJsonParameter(value);
    default:
      return pythonStr(value);
  }
}

/** Heat's to_schema_type, so allowed_values compare like with like (`"1"` allows 1 for a number). */
export function schemaCoercion(type: ParameterType): (value: Json) => Json {
  return (value) => {
    try {
      if (type === 'number') return strToNum(value);
      if (type === 'boolean') return boolFromString(value);
      if (type === 'string') return pythonStr(value);
    } catch (error) {
      // an allowed value of another type simply never matches
      if (!(error instanceof ValueConversionError)) throw error;
    }
    return value;
  };
}
