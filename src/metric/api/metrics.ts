/** `/v1/metric` (its measures are the measures room's). */
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { MetricListQuery } from '../store/metrics.js';
import { bodyOf, type MetricApi, type Params } from './context.js';
import { paginationParams, queryOf, setNextLink } from './params.js';
import { METRIC_PREFIX } from './paths.js';
import { metricView } from './views.js';

const SORTABLE = ['id', 'name', 'unit', 'archive_policy_name', 'creator', 'resource_id'] as const;
const FILTERS = ['id', 'name', 'unit', 'archive_policy_name', 'creator'] as const;

export function metricRoutes(app: FastifyInstance, api: MetricApi): void {
  const { metrics, policies, reads } = api.index;

  app.post('/v1/metric', async (request, reply) => {
    const row = await metrics.create(await api.authenticate(request), bodyOf(request));
    return reply.code(201).header('location', `${api.publicUrl()}${METRIC_PREFIX}/v1/metric/${row.id}`).send(metricView(row));
  });

  app.get('/v1/metric', async (request, reply) => {
    const caller = await api.authenticate(request);
    const query = queryOf(request);
    const page = paginationParams(query, api.index.deps.config.max_limit);
    const equals: MetricListQuery['equals'] = {};
    for (const key of FILTERS) {
      const value = query[key];
      if (typeof value === 'string') equals[key] = value;
    }
    if (typeof query.user_id === 'string' || typeof query.project_id === 'string') {
      equals.creator = `${typeof query.user_id === 'string' ? query.user_id : ''}:${typeof query.project_id === 'string' ? query.project_id : ''}`;
    }
    const sort = page.sort.map((text) => {
      const [key = '', dir = 'asc'] = text.split(':');
      const direction = dir.split('-')[0];
      if (!(SORTABLE as readonly string[]).includes(key)) throw errors.badRequest(`Invalid pagination: \`Sort key supplied is invalid: ${key}'`);
      if (direction !== 'asc' && direction !== 'desc') throw errors.badRequest(`Invalid pagination: \`Invalid sort direction: ${dir}'`);
      return { key: key as (typeof SORTABLE)[number], dir: direction as 'asc' | 'desc' };
    });
    const marker = page.marker === null ? null : await api.index.metrics.visible(caller, page.marker, 'list metric').catch(() => null);
    if (page.marker !== null && marker === null) throw errors.badRequest(`Invalid pagination: \`Invalid marker: ${page.marker}'`);
    const rows = await metrics.list(caller, { equals, sort, limit: page.limit, marker });
    const views = [];
    for (const row of rows) {
      const policy = await policies.get(row.archive_policy_name);
      views.push(metricView(row, policy ? { policy } : {}));
    }
    setNextLink(request, reply, api.publicUrl(), page, rows.length, rows[rows.length - 1]?.id);
    return views;
  });

  app.get<Params<'id'>>('/v1/metric/:id', async (request) => {
    const caller = await api.authenticate(request);
    const row = await metrics.visible(caller, request.params.id, 'get metric');
    const policy = await policies.get(row.archive_policy_name);
    const resource = row.resource_id === null ? null : await reads.show(caller, 'generic', row.resource_id).catch(() => null);
    return metricView(row, { ...(policy ? { policy } : {}), resource });
  });

  app.delete<Params<'id'>>('/v1/metric/:id', async (request, reply) => {
    await metrics.remove(await api.authenticate(request), request.params.id);
    return reply.code(204).send();
  });
}
