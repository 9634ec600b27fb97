/**
 * Inputs and outputs of a software config as Heat stores them: the
 * property schemas the config types share, and the normal form Heat keeps
 * (absent values dropped, `replace_on_change` only when true, an input's
 * `value` only when it has one). The software_configs store can normalise
 * API-created configs with the same functions.
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { PropertySchema } from '../types.js';

const IO_TYPES = ['String', 'Number', 'CommaDelimitedList', 'Json', 'Boolean'];

export const inputConfigSchema: Record<string, PropertySchema> = {
  name: { type: 'string', description: 'Name of the input.', required: true },
  description: { type: 'string', description: 'Description of the input.' },
  type: { type: 'string', description: 'Type of the value of the input.', default: 'String', constraints: [{ allowed_values: IO_TYPES }] },
  default: { type: 'any', description: 'Default value for the input if none is specified.' },
  replace_on_change: { type: 'boolean', description: 'Replace the deployment instead of updating it when the input value changes.', default: false },
};

export const outputConfigSchema: Record<string, PropertySchema> = {
  name: { type: 'string', description: 'Name of the output.', required: true },
  description: { type: 'string', description: 'Description of the output.' },
  type: { type: 'string', description: 'Type of the value of the output.', default: 'String', constraints: [{ allowed_values: IO_TYPES }] },
  error_output: { type: 'boolean', description: 'Denotes that the deployment is in an error state if this output has a value.', default: false },
};

function withoutNulls(io: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(io).filter(([, value]) => value !== null && value !== undefined));
}

/** An input in Heat's stored form; `value` is added when the input carries one (a derived config's inputs). */
export function normalInput(input: JsonObject, value?: Json): JsonObject {
  const { replace_on_change: replaceOnChange, value: _ignored, ...rest } = input;
  const result: JsonObject = { type: 'String', ...withoutNulls(rest) };
  if (replaceOnChange === true) result.replace_on_change = true;
  if (value !== undefined) result.value = value;
  return result;
}

export function normalOutput(output: JsonObject): JsonObject {
  return { type: 'String', error_output: false, ...withoutNulls(output) };
}

export function ioList(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
