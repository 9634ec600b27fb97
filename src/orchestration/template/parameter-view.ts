/** How Heat's template-validate answer shows one parameter (heat.engine.api.format_validate_parameter). */
import type { Json, JsonObject } from '../json.js';
import type { ParameterDefinition, ParameterType } from './types.js';

const API_TYPES: Record<ParameterType, string> = {
  string: 'String',
  number: 'Number',
  comma_delimited_list: 'CommaDelimitedList',
  json: 'Json',
  boolean: 'Boolean',
};

/**
 * `value` is the value the request gave (validate shows it as `Value`);
 * to show a `parameter_defaults` entry as the default, pass the definition
 * with that default, as Heat's validate does.
 */
export function parameterView(def: ParameterDefinition, value?: Json): JsonObject {
  const view: JsonObject = {
    Type: API_TYPES[def.type],
    Description: def.description ?? '',
    NoEcho: def.hidden ? 'true' : 'false',
    Label: def.label ?? def.name,
  };
  if (def.default !== undefined) view.Default = def.default;
  // Heat shows a given value only when it is truthy (an empty string or 0 is left out).
  if (value !== undefined && value !== null && value !== '' && value !== 0 && value !== false) view.Value = value;
  const descriptions: string[] = [];
  for (const c of def.constraints) {
    if ('length' in c) {
      if (c.length.min !== undefined) view.MinLength = c.length.min;
      if (c.length.max !== undefined) view.MaxLength = c.length.max;
    } else if ('range' in c) {
      if (c.range.min !== undefined) view.MinValue = c.range.min;
      if (c.range.max !== undefined) view.MaxValue = c.range.max;
    } else if ('modulo' in c) {
      view.Step = c.modulo.step;
      view.Offset = c.modulo.offset;
    } else if ('allowed_values' in c) {
      view.AllowedValues = c.allowed_values;
    } else if ('allowed_pattern' in c) {
      view.AllowedPattern = c.allowed_pattern;
    } else {
      view.CustomConstraint = c.custom_constraint;
    }
    if (c.description) descriptions.push(c.description);
  }
  if (descriptions.length > 0) view.ConstraintDescription = descriptions.join(' ');
  return view;
}
