/**
 * The measure half of Gnocchi v1's REST API as a Fastify plugin the index
 * mounts under `/metric`: measures of a metric (by id or by resource and
 * name), the batch pushes, `/v1/aggregates`, the legacy `/v1/aggregation`,
 * `/v1/capabilities` and `/v1/status`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json } from '../../core/json.js';
import { queryValues, type QueryInput } from '../../core/pagination/query.js';
import type { AggregatesRequest, MetricRecord, ResourceMeasures } from '../types.js';
import { aggregates, unsupported, type ReferenceViews } from './aggregates.js';
import { measureOperations, namedMetric, type MeasureDeps, type NamedMetricPath } from './door.js';
import { invalidInput, renderGnocchiError } from './errors.js';
import { aggregationRoutes } from './legacy-routes.js';
import { parseMeasureList, pushMetricBatch } from './push.js';
import { boolParam, fillParam, first, granularityParam, neededOverlapParam, resampleParam, timestampParam } from './query.js';
import { VALID_AGGREGATION_METHODS } from './reducers.js';
import { readMetricMeasures, readResampled, visibleMetric, type ReadQuery } from './series-read.js';
import { searchMetricValues } from './search-metric.js';
import { renderPoints } from './time.js';

export interface MeasureRouteDeps extends MeasureDeps {
  /** The index's views for `details=true`; without them such a request answers 501. */
  views?: ReferenceViews;
  /** The caller of a request (the index's Keystone authentication). */
  authenticate(request: FastifyRequest): Promise<CallerContext>;
}

export type Params = { Params: Record<string, string> };

/**
 * The batch pushes' body limit: Gnocchi sets none, and a batch of 10,000 metrics x 10 measures (the bench's,
 * as Ceilometer's publisher could send) is about 7 MiB of JSON; the other routes keep the service's limit.
 */
export const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

function readQuery(query: QueryInput): ReadQuery {
  const granularity = granularityParam(query);
  const read: ReadQuery = { aggregation: first(query, 'aggregation') ?? 'mean', refresh: boolParam(query, 'refresh') };
  const start = timestampParam(query, 'start');
  const stop = timestampParam(query, 'stop');
  if (granularity !== undefined) read.granularity = granularity;
  if (start !== undefined) read.start = start;
  if (stop !== undefined) read.stop = stop;
  return read;
}

/** `GET .../measures`: the metric's points, resampled when asked (resampleParam makes sure a granularity came with it). */
async function measuresOf(sources: MeasureDeps, metric: MetricRecord, query: QueryInput): Promise<Json[]> {
  const read = readQuery(query);
  const sampling = resampleParam(query, read.granularity);
  if (sampling === undefined || read.granularity === undefined) return renderPoints(await readMetricMeasures(sources, metric, read));
  return renderPoints(await readResampled(sources, metric, { ...read, granularity: read.granularity }, sampling));
}

/** The resource batch's body: `{resource: {metric: [measures] | {archive_policy_name?, unit?, measures}}}`. */
function resourceBatch(body: Json | undefined): ResourceMeasures[] {
  if (!isJsonObject(body ?? undefined)) throw invalidInput('expected a dictionary');
  const batch: ResourceMeasures[] = [];
  for (const [resourceId, metrics] of Object.entries(body as Record<string, Json>)) {
    if (resourceId.includes('/')) throw invalidInput("'/' is not supported in resource id", [resourceId]);
    if (!isJsonObject(metrics)) throw invalidInput('expected a dictionary', [resourceId]);
    for (const [metricName, entry] of Object.entries(metrics)) {
      const item: ResourceMeasures = { resourceId, metricName, measures: parseMeasureList(isJsonObject(entry) ? entry.measures : entry) };
      if (isJsonObject(entry)) {
        if (typeof entry.archive_policy_name === 'string') item.archivePolicyName = entry.archive_policy_name;
        if (typeof entry.unit === 'string') item.unit = entry.unit;
      }
      batch.push(item);
    }
  }
  return batch;
}

function aggregatesRequest(query: QueryInput, body: Json | undefined): AggregatesRequest {
  if (!isJsonObject(body ?? undefined)) throw invalidInput('expected a dictionary');
  const object = body as Record<string, Json>;
  const unknown = Object.keys(object).find((key) => !['operations', 'search', 'resource_type'].includes(key));
  if (unknown) throw invalidInput('extra keys not allowed', [unknown]);
  if (object.operations === undefined) throw invalidInput('required key not provided', ['operations']);
  if ((object.search === undefined) !== (object.resource_type === undefined))
    throw invalidInput('required key not provided', [object.search === undefined ? 'search' : 'resource_type']);
  const request: AggregatesRequest = { operations: object.operations };
  if (typeof object.resource_type === 'string') request.resourceType = object.resource_type;
  if (object.search !== undefined) request.search = object.search;
  const groupby = [...new Set(queryValues(query, 'groupby'))];
  if (groupby.length > 0) request.groupby = groupby;
  const start = timestampParam(query, 'start');
  const stop = timestampParam(query, 'stop');
  const granularity = granularityParam(query);
  const neededOverlap = neededOverlapParam(query);
  const fill = fillParam(query);
  if (start !== undefined) request.start = start;
  if (stop !== undefined) request.stop = stop;
  if (granularity !== undefined) request.granularity = granularity;
  if (neededOverlap !== undefined) request.neededOverlap = neededOverlap;
  if (fill !== undefined) request.fill = fill;
  return request;
}

/**
 * The measure routes as a plugin for the index to `register` inside its `/metric` scope (paths here start at `/v1`).
 * Registered, it is its own encapsulated context: its error handler renders Gnocchi's body for these routes only.
 */
export function measureRoutes(deps: MeasureRouteDeps): (app: FastifyInstance) => Promise<void> {
  const door = measureOperations(deps);
  return async (app) => {
    app.setErrorHandler((error, request, reply) => renderGnocchiError(error as Error, request, reply));
    const caller = (request: FastifyRequest) => deps.authenticate(request);
    const accepted = (reply: FastifyReply) => reply.code(202).send();
    // The batch pushes tell the engine from their first byte (the body upload included) to their answer or abort.
    const pushEnds = new WeakMap<FastifyRequest, () => void>();
    const endPush = async (request: FastifyRequest) => pushEnds.get(request)?.();
    const batchPush = {
      bodyLimit: BATCH_BODY_LIMIT,
      onRequest: async (request: FastifyRequest) => void pushEnds.set(request, deps.engine.pushing()),
      onResponse: endPush,
      onRequestAbort: endPush,
    };

    app.post<Params>('/v1/metric/:id/measures', async (request, reply) => {
      const who = await caller(request);
      const metric = await visibleMetric(deps, who, request.params.id!, 'post measures');
      const measures = parseMeasureList(request.body as Json | undefined);
      if (measures.length > 0) await deps.engine.accept([{ metricId: metric.id, measures }]);
      return accepted(reply);
    });
    app.get<Params>('/v1/metric/:id/measures', async (request) => {
      const who = await caller(request);
      const metric = await visibleMetric(deps, who, request.params.id!, 'get measures');
      return measuresOf(deps, metric, request.query as QueryInput);
    });
    const named = '/v1/resource/:type/:resource/metric/:name/measures';
    app.post<Params>(named, async (request, reply) => {
      const who = await caller(request);
      const metric = await namedMetric(deps, who, request.params as unknown as NamedMetricPath, 'post measures');
      const measures = parseMeasureList(request.body as Json | undefined);
      if (measures.length > 0) await deps.engine.accept([{ metricId: metric.id, measures }]);
      return accepted(reply);
    });
    app.get<Params>(named, async (request) => {
      const who = await caller(request);
      const metric = await namedMetric(deps, who, request.params as unknown as NamedMetricPath, 'get measures');
      return measuresOf(deps, metric, request.query as QueryInput);
    });

    app.post('/v1/batch/metrics/measures', batchPush, async (request, reply) => {
      const who = await caller(request);
      const body = request.body as Json | undefined;
      if (!isJsonObject(body ?? undefined)) throw invalidInput('expected a dictionary');
      const batch = new Map(Object.entries(body as Record<string, Json>).map(([id, list]) => [id, parseMeasureList(list)]));
      await pushMetricBatch(deps, who, batch);
      return accepted(reply);
    });
    app.post('/v1/batch/resources/metrics/measures', batchPush, async (request, reply) => {
      const who = await caller(request);
      const create = boolParam(request.query as QueryInput, 'create_metrics');
      await door.pushResourceMeasures(who, resourceBatch(request.body as Json | undefined), create);
      return accepted(reply);
    });

    app.post('/v1/aggregates', async (request) => {
      const who = await caller(request);
      const query = request.query as QueryInput;
      const details = boolParam(query, 'details');
      if (details && !deps.views) throw unsupported('details=true');
      // `use_history` (grouping by the attributes a resource had when each measure came) arrived in Gnocchi 4.5;
      // Gnocchi 4.4, whose API this serves, takes the parameter without reading it and groups by current attributes.
      return aggregates(deps, who, aggregatesRequest(query, request.body as Json | undefined), details ? deps.views : undefined);
    });
    app.post('/v1/search/metric', async (request) =>
      searchMetricValues(deps, await caller(request), request.query as QueryInput, request.body as Json | undefined),
    );
    aggregationRoutes(app, deps);

    app.get('/v1/capabilities', async () => ({ aggregation_methods: VALID_AGGREGATION_METHODS }));
    app.get('/v1/status', async (request) => {
      await deps.enforce(await caller(request), 'get status');
      // Read for its 400 on a bad value; the per-metric `measures_to_process` it asks for is not given, as the
      // engine counts its backlog without listing it per metric. Aggregation runs inside each API process: no metricd members to name.
      boolParam(request.query as QueryInput, 'details', true);
      const backlog = await deps.engine.backlog();
      return { storage: { summary: { metrics: backlog.metrics, measures: backlog.measures } }, metricd: { processors: null, statistics: {} } };
    });
  };
}
