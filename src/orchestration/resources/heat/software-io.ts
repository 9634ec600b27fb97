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

/** The keys of `schema` in schema order, absent and null values left out, as Heat's as_dict() writes them. */
function inSchemaOrder(io: JsonObject, schema: Record<string, PropertySchema>): JsonObject {
  const result: JsonObject = {};
  for (const [key, property] of Object.entries(schema)) {
    const value = io[key] ?? property.default;
    if (value !== undefined && value !== null) result[key] = value;
  }
  return result;
}

/** An input in Heat's stored form; `value` is added when the input carries one (a derived config's inputs). */
export function normalInput(input: JsonObject, value?: Json): JsonObject {
  const result = inSchemaOrder(input, inputConfigSchema);
  if (result.replace_on_change !== true) delete result.replace_on_change;
  if (value !== undefined) result.value = value;
  return result;
}

export function normalOutput(output: JsonObject): JsonObject {
  return inSchemaOrder(output, outputConfigSchema);
}

export function ioList(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
