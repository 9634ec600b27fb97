/** `/v1/aggregation/metric` (GET with `?metric=`, POST with a list of ids) and `/v1/aggregation/resource/{type}/metric/{name}` (POST). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MethodNotAllowed } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import { queryValues, type QueryInput } from '../../core/pagination/query.js';
import type { MetricRecord } from '../types.js';
import { GnocchiBadRequest, metricNotFound } from './errors.js';
import { isUuid } from './push.js';
import { crossMetricMeasures, resourceAggregation, type LegacyQuery } from './legacy-aggregation.js';
import { boolParam, fillParam, first, granularityParam, neededOverlapParam, resampleParam, timestampParam } from './query.js';
import type { MeasureRouteDeps, Params } from './routes.js';

function legacyQuery(query: QueryInput): LegacyQuery {
  const granularity = granularityParam(query);
  const legacy: LegacyQuery = {
    aggregation: first(query, 'aggregation') ?? 'mean',
    neededOverlap: neededOverlapParam(query) ?? 100,
    fill: fillParam(query) ?? null,
    refresh: boolParam(query, 'refresh'),
  };
  const optional = {
    reaggregation: first(query, 'reaggregation'),
    granularity,
    start: timestampParam(query, 'start'),
    stop: timestampParam(query, 'stop'),
    resample: resampleParam(query, granularity),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(legacy, { [key]: value });
  return legacy;
}

function idsOf(request: FastifyRequest): string[] {
  let ids: Json;
  if (request.method === 'GET') {
    ids = queryValues(request.query as QueryInput, 'metric');
  } else ids = request.body as Json;
  if (!Array.isArray(ids)) throw new GnocchiBadRequest('Invalid input: expected a list');
  const bad = ids.find((id) => typeof id !== 'string' || !isUuid(id));
  if (bad !== undefined) throw new GnocchiBadRequest(`Invalid input: badly formed hexadecimal UUID string @ data[${ids.indexOf(bad)}]`);
  return ids as string[];
}

export function aggregationRoutes(app: FastifyInstance, deps: MeasureRouteDeps): void {
  const byIds = async (request: FastifyRequest) => {
    const caller = await deps.authenticate(request);
    const ids = [...new Set(idsOf(request))];
    const metrics = await Promise.all(ids.map((id) => deps.index.metric(caller, id)));
    const missing = ids.find((_, i) => metrics[i] === null);
    if (missing !== undefined) throw metricNotFound(missing);
    return crossMetricMeasures(deps, metrics as MetricRecord[], legacyQuery(request.query as QueryInput));
  };
  app.get('/v1/aggregation/metric', byIds);
  app.post('/v1/aggregation/metric', byIds);

  const byResource = '/v1/aggregation/resource/:type/metric/:name';
  app.post<Params>(byResource, async (request) => {
    const caller = await deps.authenticate(request);
    const query = request.query as QueryInput;
    const body = request.body as Json | undefined;
    const filter = body === undefined || body === null ? (first(query, 'filter') ?? null) : body;
    const groupby = [
      ...new Set(((q) => (q === undefined ? [] : typeof q === 'string' ? [q] : q))((request.query as Record<string, string | string[] | undefined>).groupby)),
    ];
    return resourceAggregation(deps, caller, request.params.type!, request.params.name!, filter, groupby, legacyQuery(query));
  });
  app.get(byResource, async () => {
    throw new MethodNotAllowed('The method GET is not allowed for this resource.');
  });
}
