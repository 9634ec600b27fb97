/**
 * Heat errors raised by the template room; see index.ts.
 *
 * Each builder returns a core error carrying Heat's exception class name as
 * `type` and Heat's own wording, so the API can render heat-api's fault body.
 */
import { BadRequest } from '../../core/errors.js';

/** A path element: a section or key name, or a list index (rendered `[i]` as Heat does). */
export type TemplatePathItem = string | number;

/**
 * Renders a path the way Heat's HeatExceptionWithPath does: names joined by
 * dots, list indexes (and digit-only names) as `[i]`.
 */
export function formatTemplatePath(path: readonly TemplatePathItem[]): string {
  let rendered = '';
  for (const item of path) {
    if (typeof item === 'number' || /^\d+$/.test(item)) rendered += `[${item}]`;
    else if (rendered.length > 0) rendered += `.${item}`;
    else rendered = item;
  }
  return rendered;
}

/**
 * Heat's StackValidationFailed as clients read it: `<error>: : <path>: : <message>`,
 * each part only when present. The doubled separators are real: heat-engine
 * formats `<error>: ` and `<path>: `, and rebuilding the exception on the
 * heat-api side after RPC formats them a second time; tempest and Heat's
 * own functional tests match on that text
 * (`Property error: : resources.two.properties.value: : The Parameter (missing) was not provided.`).
 */
export function stackValidationFailed(message: string, path: readonly TemplatePathItem[] = [], error = ''): BadRequest {
  const renderedPath = formatTemplatePath(path);
  const text = `${error ? `${error}: : ` : ''}${renderedPath ? `${renderedPath}: : ` : ''}${message}`;
  return new BadRequest(text, { type: 'StackValidationFailed' });
}

/** A property value that does not fit its schema: `Property error: : resources.<r>.properties.<p>: : <reason>`. */
export function propertyError(path: readonly TemplatePathItem[], message: string): BadRequest {
  return stackValidationFailed(message, path, 'Property error');
}

export function invalidTemplateVersion(explanation: string): BadRequest {
  return new BadRequest(`The template version is invalid: ${explanation}`, { type: 'InvalidTemplateVersion' });
}

export function invalidTemplateSection(section: string): BadRequest {
  return new BadRequest(`The template section is invalid: ${section}`, { type: 'InvalidTemplateSection' });
}

export function invalidTemplateReference(resource: string, key: string): BadRequest {
  return new BadRequest(`The specified reference "${resource}" (in ${key}) is incorrect.`, { type: 'InvalidTemplateReference' });
}

export function userParameterMissing(key: string): BadRequest {
  return new BadRequest(`The Parameter (${key}) was not provided.`, { type: 'UserParameterMissing' });
}

export function unknownUserParameter(key: string): BadRequest {
  return new BadRequest(`The Parameter (${key}) was not defined in template.`, { type: 'UnknownUserParameter' });
}

export function immutableParameterModified(keys: string[]): BadRequest {
  return new BadRequest(`The following parameters are immutable and may not be updated: ${keys.join(', ')}`, { type: 'ImmutableParameterModified' });
}

export function circularDependency(cycle: string): BadRequest {
  return new BadRequest(`Circular Dependency Found: ${cycle}`, { type: 'CircularDependencyException' });
}

export function requestLimitExceeded(message: string): BadRequest {
  return new BadRequest(`Request limit exceeded: ${message}`, { type: 'RequestLimitExceeded' });
}

export function stackResourceLimitExceeded(): BadRequest {
  return new BadRequest('Maximum resources per stack exceeded.', { type: 'StackResourceLimitExceeded' });
}

export function resourceTypeNotFound(type: string): BadRequest {
  // Heat raises EntityNotFound(entity='Resource Type'), which validation reports as a 400 StackValidationFailed.
  return new BadRequest(`The Resource Type (${type}) could not be found.`, { type: 'StackValidationFailed' });
}

export function notSupported(feature: string): BadRequest {
  return new BadRequest(`${feature} is not supported.`, { type: 'NotSupported' });
}

/** A template or environment that is not even well-formed; heat-api answers these as a plain 400 (ValueError). */
export function malformedInput(message: string): BadRequest {
  return new BadRequest(message, { type: 'ValueError' });
}

export function invalidSchema(message: string): BadRequest {
  return new BadRequest(message, { type: 'InvalidSchemaError' });
}
