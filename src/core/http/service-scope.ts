/**
 * A service's own corner of the HTTP server: a Fastify plugin under the
 * service's prefix with its own error and not-found handlers, so every error
 * (domain error, schema violation, unknown route, bug) leaves in that
 * service's body format with the right status.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { isForeignKeyViolation, isRefusedValue, isUniqueViolation } from '../db/constraint-errors.js';
import { BadRequest, Conflict, MethodNotAllowed, NimbusError, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../errors.js';

/** Renders an error as the service's body; `status` is already decided. */
export type ErrorRenderer = (error: NimbusError | InternalError, status: number) => unknown;

/** Stands for an unexpected failure (a bug); its details go to the log only. */
export class InternalError extends NimbusError {
  readonly status = 500;
}

/** A route schema's violation (Ajv's first error) as the service words it, e.g. Nova's "Invalid input for field/attribute ...". */
export type SchemaErrorWording = (violation: FastifySchemaValidationError, context: string) => NimbusError;

export interface ServiceScopeOptions {
  renderError: ErrorRenderer;
  /** How a route schema's violation reads; core's generic 400 message when absent. */
  schemaError?: SchemaErrorWording;
  /** Content type of error bodies (Swift uses text/plain). */
  errorContentType?: string;
}

export function installErrorHandlers(scope: FastifyInstance, options: ServiceScopeOptions): void {
  const send = (reply: FastifyReply, error: NimbusError) => {
    const status = error.status;
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    reply.code(status).type(options.errorContentType ?? 'application/json');
    return reply.send(options.renderError(error, status));
  };

  scope.setErrorHandler((raw: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = toNimbusError(raw, options.schemaError);
    logFailure(request, raw, error);
    return send(reply, error);
  });

  scope.setNotFoundHandler((request, reply) => send(reply, new NotFound(`The resource could not be found: ${request.method} ${request.url.split('?')[0]}`)));
}

/** Logs a failed request: a bug as an error, a store's refusal as a warning, the rest for debugging. */
export function logFailure(request: FastifyRequest, raw: Error, error: NimbusError): void {
  if (error instanceof InternalError) {
    request.log.error({ err: raw }, 'unexpected error');
  } else if (error.cause === raw) {
    // The store refused a value no route check caught: a 4xx for the client, a missing check for us.
    request.log.warn({ err: raw, status: error.status }, 'store refused a request value');
  } else {
    request.log.debug({ status: error.status, msg: error.message }, 'request failed');
  }
}

/** Maps Fastify's own errors (validation, parsing) and the store's refusals onto domain errors. */
export function toNimbusError(raw: FastifyError | Error, schemaError?: SchemaErrorWording): NimbusError {
  if (raw instanceof NimbusError) return raw;
  const fastifyError = raw as FastifyError;
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'body';
    const first = fastifyError.validation[0];
    if (first && schemaError) return schemaError(first, where);
    const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : where;
    return new BadRequest(`Invalid input for field '${field}': ${first?.message ?? fastifyError.message}`);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType(`Unsupported Content-Type: ${fastifyError.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge('Request is too large.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequest(fastifyError.message);
  }
  // The last line of defence, for a value no route check caught: the store's refusal is the client's error.
  if (isRefusedValue(raw)) return new BadRequest('Invalid input: a value has the wrong type, length or range for this field.', { cause: raw });
  if (isUniqueViolation(raw)) return new Conflict('The resource conflicts with one that already exists.', { cause: raw });
  if (isForeignKeyViolation(raw)) return new Conflict('The resource refers to one that does not exist or is still in use.', { cause: raw });
  if (fastifyError.statusCode === 405) return new MethodNotAllowed(fastifyError.message);
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new BadRequest(fastifyError.message);
  }
  return new InternalError('An unexpected error prevented the server from fulfilling your request.', { cause: raw });
}
