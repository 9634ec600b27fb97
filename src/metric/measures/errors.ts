/**
 * The measures room's errors as Gnocchi answers them: a NimbusError whose
 * `description` is the JSON Gnocchi puts under `description` (a sentence, or
 * an object with cause/reason/detail), rendered as `{code, title, description}`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, NimbusError, NotFound } from '../../core/errors.js';
import type { Json } from '../../core/json.js';

interface Described {
  readonly description: Json;
}

export class GnocchiBadRequest extends BadRequest implements Described {
  constructor(readonly description: Json) {
    super(typeof description === 'string' ? description : JSON.stringify(description));
  }
}

export class GnocchiNotFound extends NotFound implements Described {
  constructor(readonly description: Json) {
    super(typeof description === 'string' ? description : JSON.stringify(description));
  }
}

export const invalidInput = (reason: string, detail: Json[] = []) => new GnocchiBadRequest({ cause: 'Invalid input', reason, detail });
export const argumentError = (detail: string, reason: string) => new GnocchiBadRequest({ cause: 'Argument value error', detail, reason });
export const unaggregable = (references: Json, reason: string) => new GnocchiBadRequest({ cause: 'Metrics cannot be aggregated', reason, detail: references });
export const metricNotFound = (id: string) => new GnocchiNotFound(`Metric ${id} does not exist`);
export const noSuchAggregationMethod = (metricId: string, method: string) =>
  new GnocchiNotFound({ cause: 'Aggregation method does not exist for this metric', detail: { metric: metricId, aggregation_method: method } });
/** Python prints a float granularity with a `.0`. */
export const aggregationAtGranularityNotFound = (metricId: string, method: string, granularity: number) =>
  new GnocchiNotFound(
    `Aggregation method '${method}' at granularity '${Number.isInteger(granularity) ? `${granularity}.0` : granularity}' for metric ${metricId} does not exist`,
  );
/** The 400 of a search naming an aggregation its policy lacks (Gnocchi's AggregationDoesNotExist as JSON). */
export const aggregationDoesNotExist = (method: string, granularity: number) =>
  new GnocchiBadRequest({ cause: 'Aggregation does not exist', detail: { granularity, aggregation_method: method } });

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

function isDescribed(error: unknown): error is NimbusError & Described {
  return error instanceof NimbusError && 'description' in error;
}

/** Gnocchi's error body for anything the measures routes throw (the index's own handler may take this over when it mounts them). */
export function renderGnocchiError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let description: Json = 'An internal error occurred.';
  if (error instanceof NimbusError) {
    status = error.status;
    description = isDescribed(error) ? error.description : error.message;
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
  } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
    status = error.statusCode;
    description = error.message;
  } else {
    request.log.error({ err: error }, 'metric measures request failed');
  }
  return reply.code(status).send({ code: status, title: TITLES[status] ?? 'Error', description });
}
