/**
 * resolveParameters: the stack's parameter values from the request, the
 * environment's `parameters` and `parameter_defaults` and the template's
 * defaults, typed and checked against their constraints, plus the pseudo
 * parameters. Heat's precedence: a given value, else a parameter_default,
 * else the template default.
 */
import type { Json } from '../json.js';
import { immutableParameterModified, invalidSchema, stackValidationFailed, unknownUserParameter, userParameterMissing } from '../errors/template.js';
import { builtInConstraintFailure, constraintFailure } from './constraints.js';
import { constrainedForm, ValueConversionError, schemaCoercion, typedValue } from './parameter-values.js';
import { pythonStr } from './python-names.js';
import type { Environment, ParameterDefinition, ParsedTemplate } from './types.js';

export interface ResolveParametersOptions {
  stackName: string;
  stackId: string;
  projectId: string;
  /** The values before an update, for `immutable` parameters. */
  previous?: Record<string, Json>;
  checkCustom(name: string, value: Json): Promise<string | null>;
}

export const PSEUDO_PARAMETERS = ['OS::stack_id', 'OS::stack_name', 'OS::project_id'];

/** Heat checks every default against the constraints (custom ones aside), given value or not. */
export function checkParameterDefault(def: ParameterDefinition, fallback: Json | undefined = def.default): void {
  if (fallback === undefined || fallback === null) return;
  let message: string | null;
  try {
    const form = def.type === 'comma_delimited_list' && typeof fallback === 'string' ? fallback.split(',') : constrainedForm(def.type, fallback);
    message = builtInConstraintFailure(form, def.constraints, schemaCoercion(def.type));
  } catch (error) {
    if (!(error instanceof ValueConversionError)) throw error;
    message = error.message;
  }
  if (message !== null) throw invalidSchema(`Parameter '${def.name}' is invalid: Invalid default ${pythonStr(fallback)} (${message})`);
}

async function checkedValue(def: ParameterDefinition, value: Json, checkCustom: ResolveParametersOptions['checkCustom']): Promise<Json> {
  let message: string | null;
  try {
    message = await constraintFailure(constrainedForm(def.type, value), def.constraints, schemaCoercion(def.type), checkCustom);
  } catch (error) {
    if (!(error instanceof ValueConversionError)) throw error;
    message = error.message;
  }
  if (message !== null) throw stackValidationFailed(`Parameter '${def.name}' is invalid: ${message}`);
  return typedValue(def.type, value);
}

export async function resolveParameters(
  t: ParsedTemplate,
  env: Environment,
  given: Record<string, Json>,
  options: ResolveParametersOptions,
): Promise<Record<string, Json>> {
  const userValues: Record<string, Json> = { ...env.parameters, ...given };
  for (const name of Object.keys(userValues)) if (!(name in t.parameters)) throw unknownUserParameter(name);

  const values: Record<string, Json> = {
    'OS::stack_id': options.stackId,
    'OS::stack_name': options.stackName,
    'OS::project_id': options.projectId,
  };
  for (const def of Object.values(t.parameters)) {
    const environmentDefault = env.parameter_defaults[def.name];
    const fallback = environmentDefault !== undefined && environmentDefault !== null ? environmentDefault : def.default;
    checkParameterDefault(def, fallback);
    const user = userValues[def.name];
    const value = user !== undefined && user !== null ? user : fallback;
    if (value === undefined || value === null) throw userParameterMissing(def.name);
    values[def.name] = await checkedValue(def, value, options.checkCustom);
  }

  const previous = options.previous;
  if (previous !== undefined) {
    const changed = Object.values(t.parameters)
      .filter((def) => def.immutable && def.name in previous && JSON.stringify(previous[def.name]) !== JSON.stringify(values[def.name]))
      .map((def) => def.name);
    if (changed.length > 0) throw immutableParameterModified(changed);
  }
  return values;
}
