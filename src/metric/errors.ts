/**
 * Gnocchi's error bodies: webob's JSON fault `{"code", "description",
 * "title"}`, where the description is either a sentence or, for schema and
 * argument errors, an object `{"cause", "reason", "detail"}`
 * (gnocchi/rest/api.py `abort`), and the messages of gnocchi/indexer.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { BadRequest, Conflict, Forbidden, NimbusError, NotFound } from '../core/errors.js';
import type { Json, JsonObject } from '../core/json.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** An error whose description is Gnocchi's structured object rather than a sentence. */
export class DescribedError extends NimbusError {
  constructor(
    readonly status: number,
    readonly description: JsonObject,
  ) {
    super(typeof description.reason === 'string' ? description.reason : String(description.cause));
  }
}

export function renderGnocchiError(error: NimbusError, status: number): Json {
  const description: Json = error instanceof DescribedError ? error.description : error.message;
  return { code: status, description, title: TITLES[status] ?? 'Error' };
}

/** voluptuous's `Invalid` as Gnocchi's abort renders it: the reason and the path to the bad value. */
export function invalidInput(reason: string, path: (string | number)[] = []): DescribedError {
  const where = path.length > 0 ? ` @ data[${path.map((p) => (typeof p === 'number' ? String(p) : `'${p}'`)).join('][')}]` : '';
  return new DescribedError(400, { cause: 'Invalid input', reason: `${reason}${where}`, detail: path.map(String) });
}

/** A query argument Gnocchi could not read (`get_pagination_options`, timestamps). */
export function argumentError(reason: string, detail?: string): DescribedError {
  return new DescribedError(400, detail === undefined ? { cause: 'Argument value error', reason } : { cause: 'Argument value error', reason, detail });
}

/** A route schema's violation (only the JSON parse and content-type checks use schemas here). */
export function gnocchiSchemaError(violation: FastifySchemaValidationError): NimbusError {
  const path = violation.instancePath.split('/').filter(Boolean);
  return invalidInput(violation.message ?? 'invalid value', path);
}

export const notFound = {
  archivePolicy: (name: string) => new NotFound(`Archive policy ${name} does not exist`),
  archivePolicyRule: (name: string) => new NotFound(`Archive policy rule ${name} does not exist`),
  resourceType: (name: string) => new NotFound(`Resource type ${name} does not exist`),
  resource: (id: string) => new NotFound(`Resource ${id} does not exist`),
  metric: (id: string) => new NotFound(`Metric ${id} does not exist`),
};

export const errors = {
  forbidden: () => new Forbidden('Access was denied to this resource.'),
  archivePolicyExists: (name: string) => new Conflict(`Archive policy ${name} already exists`),
  archivePolicyInUse: (name: string) => new BadRequest(`Archive policy ${name} is still in use`),
  archivePolicyUnknown: (name: string) => new BadRequest(`Archive policy ${name} does not exist`),
  archivePolicyChange: (name: string, reason: string) => new BadRequest(`Archive policy ${name} does not support change: ${reason}`),
  ruleExists: (name: string) => new Conflict(`Archive policy rule ${name} already exists`),
  resourceTypeExists: (name: string) => new Conflict(`Resource type ${name} already exists`),
  resourceTypeInUse: (name: string) => new BadRequest(`Resource type ${name} is still in use`),
  resourceExists: (id: string) => new Conflict(`Resource ${id} already exists`),
  namedMetricExists: (name: string) => new Conflict(`Named metric ${name} already exists`),
  unknownMetric: (id: string) => new BadRequest(`Metric ${id} does not exist`),
  noRuleMatch: (name: string | null) =>
    new BadRequest(`No archive policy name specified and no archive policy rule found matching the metric name ${String(name ?? 'None')}`),
  slashInMetricName: () => new BadRequest("'/' is not supported in metric name"),
  badRequest: (message: string) => new BadRequest(message),
};
