/**
 * A request body checked against the schema of the request's microversion
 * range. A route's `schema.body` is one schema for every version; where an
 * API's bodies differ by microversion (Cinder's volume create, Placement's
 * allocations), the route selects the schema once the version is known and
 * validates here, through the route's own validator compiler (lazily
 * compiled, cached per schema). A violation throws as Fastify's own would,
 * so the service's `schemaError` words it.
 */
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { selectForVersion, type Microversion, type VersionedEntry } from '../microversions.js';

export type BodySchema = Record<string, unknown>;

/** Throws a Fastify-shaped validation error unless the body fits `schema`. */
export function validateBody(request: FastifyRequest, schema: BodySchema): void {
  const validate = request.compileValidationSchema(schema, 'body');
  if (validate(request.body)) return;
  const violations = (validate.errors ?? []) as FastifySchemaValidationError[];
  throw Object.assign(new Error(violations[0]?.message ?? 'body is invalid'), {
    statusCode: 400,
    validation: violations,
    validationContext: 'body',
  });
}

/** As validateBody, with the schema of the range `version` falls in (none: nothing to check). */
export function validateVersionedBody(request: FastifyRequest, entries: VersionedEntry<BodySchema>[], version: Microversion): void {
  const schema = selectForVersion(entries, version);
  if (schema) validateBody(request, schema);
}
