/** `/v1/resource`, `/v1/resource/{type}[/{id}[/history|/metric]]` and `/v1/search/resource/{type}`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import { parseFilterString } from '../service/filter-string.js';
import { bodyOf, type MetricApi, type Params } from './context.js';
import { boolParam, paginationParams, queryOf, setNextLink } from './params.js';
import { notFound } from '../errors.js';
import { checkPreconditions, hasPreconditions, setValidators } from './conditional.js';
import { METRIC_PREFIX } from './paths.js';
import { metricView, resourceView } from './views.js';

/** The filter of a search or batch delete: the JSON body, else the `filter` query parameter's string form. */
function filterOf(request: FastifyRequest): Json | null {
  const body = bodyOf(request);
  if (body !== undefined) return body;
  const text = queryOf(request).filter;
  return typeof text === 'string' && text.trim() !== '' ? parseFilterString(text) : null;
}

export function resourceRoutes(app: FastifyInstance, api: MetricApi): void {
  const { reads, writes, types } = api.index;
  const base = () => `${api.publicUrl()}${METRIC_PREFIX}/v1`;

  /** A listing or search: one page, its Link header, each resource as the type shows it. */
  async function listing(request: FastifyRequest, reply: FastifyReply, type: string, filter: Json | null, rule: string) {
    const caller = await api.authenticate(request);
    const query = queryOf(request);
    const details = boolParam(query, 'details');
    const history = boolParam(query, 'history');
    const page = paginationParams(query, api.index.deps.config.max_limit);
    const { records, lastMarker } = await reads.page(caller, type, filter, { ...page, history }, rule);
    setNextLink(request, reply, api.publicUrl(), page, records.length, lastMarker);
    return records.map((record) => resourceView(record, details || type !== 'generic'));
  }

  app.get('/v1/resource', async (request) => {
    const caller = await api.authenticate(request);
    return Object.fromEntries((await types.list(caller)).map((type) => [type.name, `${base()}/resource/${type.name}`]));
  });

  app.get<Params<'type'>>('/v1/resource/:type', (request, reply) => listing(request, reply, request.params.type, null, 'list resource'));
  app.post<Params<'type'>>('/v1/search/resource/:type', (request, reply) => listing(request, reply, request.params.type, filterOf(request), 'search resource'));

  app.post<Params<'type'>>('/v1/resource/:type', async (request, reply) => {
    const record = await writes.create(await api.authenticate(request), request.params.type, bodyOf(request));
    reply.header('location', `${base()}/resource/${request.params.type}/${record.id}`);
    setValidators(reply, record);
    return reply.code(201).send(resourceView(record, request.params.type !== 'generic'));
  });

  app.delete<Params<'type'>>('/v1/resource/:type', async (request) => {
    const caller = await api.authenticate(request);
    await types.get(request.params.type);
    return { deleted: await reads.removeMatching(caller, request.params.type, filterOf(request)) };
  });

  app.get<Params<'type' | 'id'>>('/v1/resource/:type/:id', async (request, reply) => {
    const record = await reads.show(await api.authenticate(request), request.params.type, request.params.id);
    if (checkPreconditions(request, record) === 'not-modified') return reply.code(304).send();
    setValidators(reply, record);
    return resourceView(record, request.params.type !== 'generic');
  });

  // A write's preconditions are judged on the revision the caller sees before it changes anything.
  const judgeWrite = async (request: FastifyRequest<Params<'type' | 'id'>>, caller: CallerContext) => {
    if (hasPreconditions(request)) checkPreconditions(request, await reads.show(caller, request.params.type, request.params.id));
  };
  app.patch<Params<'type' | 'id'>>('/v1/resource/:type/:id', async (request, reply) => {
    const caller = await api.authenticate(request);
    await judgeWrite(request, caller);
    const record = await writes.update(caller, request.params.type, request.params.id, bodyOf(request) ?? {});
    setValidators(reply, record);
    return resourceView(record, request.params.type !== 'generic');
  });

  app.delete<Params<'type' | 'id'>>('/v1/resource/:type/:id', async (request, reply) => {
    const caller = await api.authenticate(request);
    await judgeWrite(request, caller);
    await reads.remove(caller, request.params.type, request.params.id);
    return reply.code(204).send();
  });

  app.get<Params<'type' | 'id'>>('/v1/resource/:type/:id/history', async (request, reply) => {
    const caller = await api.authenticate(request);
    const query = queryOf(request);
    const page = paginationParams(query, api.index.deps.config.max_limit);
    const { records, lastMarker } = await reads.history(caller, request.params.type, request.params.id, page);
    setNextLink(request, reply, api.publicUrl(), page, records.length, lastMarker);
    return records.map((record) => resourceView(record, boolParam(query, 'details') || request.params.type !== 'generic'));
  });

  app.get<Params<'type' | 'id'>>('/v1/resource/:type/:id/metric', async (request) => {
    const caller = await api.authenticate(request);
    const record = await reads.show(caller, request.params.type, request.params.id);
    return (await api.index.metrics.ofResource(record)).map((row) => metricView(row));
  });

  /** One named metric of a resource, shown as GET /v1/metric/{id} shows it, or deleted. */
  const namedMetric = async (request: FastifyRequest<Params<'type' | 'id' | 'name'>>) => {
    const caller = await api.authenticate(request);
    const record = await reads.show(caller, request.params.type, request.params.id);
    const metricId = record.metrics[request.params.name];
    if (!metricId) throw notFound.metric(request.params.name);
    return { caller, record, metricId };
  };
  app.get<Params<'type' | 'id' | 'name'>>('/v1/resource/:type/:id/metric/:name', async (request) => {
    const { caller, record, metricId } = await namedMetric(request);
    const row = await api.index.metrics.visible(caller, metricId, 'get metric');
    const policy = await api.index.policies.get(row.archive_policy_name);
    return metricView(row, { ...(policy ? { policy } : {}), resource: record });
  });
  app.delete<Params<'type' | 'id' | 'name'>>('/v1/resource/:type/:id/metric/:name', async (request, reply) => {
    const { caller, metricId } = await namedMetric(request);
    await api.index.metrics.remove(caller, metricId);
    return reply.code(204).send();
  });

  app.post<Params<'type' | 'id'>>('/v1/resource/:type/:id/metric', async (request) => {
    const caller = await api.authenticate(request);
    const record = await writes.addMetrics(caller, request.params.type, request.params.id, bodyOf(request));
    return (await api.index.metrics.ofResource(record)).map((row) => metricView(row));
  });
}
