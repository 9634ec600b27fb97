/**
 * Request bodies checked by JSON schema at the route, as Nova's
 * `@validation.schema` decorators do (nova/api/openstack/compute/schemas/),
 * and worded as Nova words a jsonschema violation.
 *
 * Nova's API authenticates (keystonemiddleware) before it validates, so a
 * route with a body schema authenticates in `preValidation`: 401 (and the
 * NUL guard's 400/404) still come before the schema's 400. The handler's own
 * `api.authenticate(request)` then returns the same caller.
 */
import type { FastifyRequest, FastifySchemaValidationError, RouteShorthandOptions } from 'fastify';
import type { NimbusError } from '../../core/errors.js';
import { jsonschemaMessage, pythonStr, violationField, violationValue } from '../../core/http/jsonschema-wording.js';
import { validateVersionedBody, type BodySchema } from '../../core/http/versioned-body.js';
import { checkCoverage, type VersionedEntry } from '../../core/microversions.js';
import { requestErrors } from '../errors.js';
import { COMPUTE_MICROVERSIONS } from '../microversion.js';
import { versionOf, type ComputeApi } from './context.js';

export type { BodySchema } from '../../core/http/versioned-body.js';

/**
 * Nova's ValidationError detail (nova/api/validation/validators.py): the
 * last element of the violation's path, the offending value as Python's
 * str() shows it and jsonschema's message; the bare message at the top of
 * the document. Query strings read "query parameters".
 */
export function novaSchemaError(violation: FastifySchemaValidationError, context: string): NimbusError {
  const field = violationField(violation);
  const message = jsonschemaMessage(violation);
  if (field === null) return requestErrors.schemaViolation(message);
  const value = pythonStr(violationValue(violation));
  return context === 'querystring' ? requestErrors.invalidQueryParameter(field, value, message) : requestErrors.invalidField(field, value, message);
}

/**
 * Nova's `name` format (parameter_types.name), which JSON schema's keywords
 * cannot word as Nova does: printable, no leading or trailing whitespace.
 */
export function checkName(value: string, field = 'name'): string {
  if (value.trim() !== value || /[\u0000-\u001f\u007f]/.test(value)) throw requestErrors.invalidName(field, value);
  return value;
}

function authenticateFirst(api: ComputeApi) {
  return async (request: FastifyRequest) => {
    await api.authenticate(request);
  };
}

/** Route options: the caller authenticated, then the body checked against `schema`. */
export function withBody(api: ComputeApi, schema: BodySchema): RouteShorthandOptions {
  return { schema: { body: schema }, preValidation: authenticateFirst(api) };
}

/**
 * Route options for a body whose schema changes with the microversion: the
 * ranges must cover 2.1 to the maximum without gap or overlap (checked when
 * the route is declared, as Nova checks its decorators at import).
 */
export function withVersionedBody(api: ComputeApi, entries: VersionedEntry<BodySchema>[]): RouteShorthandOptions {
  checkCoverage(entries, COMPUTE_MICROVERSIONS);
  return {
    preValidation: async (request: FastifyRequest) => {
      await api.authenticate(request);
      validateVersionedBody(request, entries, versionOf(request));
    },
  };
}
