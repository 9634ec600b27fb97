/**
 * How python-jsonschema words a violation, for the services whose upstream
 * validates bodies with it (Nova, Cinder, Placement, Keystone): Ajv's error
 * rendered as `ValidationError.message` would read, with Python's repr of
 * the offending value ('text', True, None, {'k': 1}). Needs Ajv's `verbose`
 * errors (the offending value is `data`), which lazy-validator.ts turns on.
 */
import type { FastifySchemaValidationError } from 'fastify';

/** Python's repr() of a JSON value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Python's str(): strings bare, everything else as repr (what "Value: %s" shows). */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

type Violation = FastifySchemaValidationError & { data?: unknown; parentSchema?: { patternProperties?: Record<string, unknown> } };

/** The message python-jsonschema gives for the same violation. */
export function jsonschemaMessage(violation: FastifySchemaValidationError): string {
  const { keyword, params, data, parentSchema } = violation as Violation;
  const value = pythonRepr(data);
  switch (keyword) {
    case 'required':
      return `${pythonRepr(params.missingProperty)} is a required property`;
    case 'type':
      return `${value} is not of type ${String(params.type).split(',').map(pythonRepr).join(', ')}`;
    case 'additionalProperties': {
      const extra = pythonRepr(params.additionalProperty);
      const patterns = Object.keys(parentSchema?.patternProperties ?? {});
      if (patterns.length > 0) return `${extra} does not match any of the regexes: ${patterns.map(pythonRepr).join(', ')}`;
      return `Additional properties are not allowed (${extra} was unexpected)`;
    }
    case 'minLength':
    case 'minItems':
      return `${value} is too short`;
    case 'maxLength':
    case 'maxItems':
      return `${value} is too long`;
    case 'pattern':
      return `${value} does not match ${pythonRepr(params.pattern)}`;
    case 'minimum':
      return `${value} is less than the minimum of ${String(params.limit)}`;
    case 'maximum':
      return `${value} is greater than the maximum of ${String(params.limit)}`;
    case 'exclusiveMinimum':
      return `${value} is less than or equal to the minimum of ${String(params.limit)}`;
    case 'exclusiveMaximum':
      return `${value} is greater than or equal to the maximum of ${String(params.limit)}`;
    case 'enum':
      return `${value} is not one of ${pythonRepr(params.allowedValues)}`;
    case 'const':
      return `${pythonRepr(params.allowedValue)} was expected`;
    case 'format':
      return `${value} is not a ${pythonRepr(params.format)}`;
    case 'anyOf':
    case 'oneOf':
      return `${value} is not valid under any of the given schemas`;
    case 'minProperties':
      return `${value} does not have enough properties`;
    case 'maxProperties':
      return `${value} has too many properties`;
    case 'uniqueItems':
      return `${value} has non-unique elements`;
    default:
      return `${value} is not valid: ${violation.message ?? keyword}`;
  }
}

/**
 * The last element of the violation's path, as jsonschema's `ex.path.pop()`:
 * the property holding the bad value, or the parent object's key for a
 * missing property; null at the top of the document.
 */
export function violationField(violation: FastifySchemaValidationError): string | null {
  const parts = violation.instancePath.split('/').slice(1);
  const last = parts[parts.length - 1];
  return last === undefined ? null : last.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The offending value (Ajv's verbose `data`). */
export function violationValue(violation: FastifySchemaValidationError): unknown {
  return (violation as Violation).data;
}
