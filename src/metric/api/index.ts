/** The metric service's routes: the version documents and the index's families (the measures room adds its own). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricApi } from './context.js';
import { metricRoutes } from './metrics.js';
import { METRIC_PREFIX } from './paths.js';
import { archivePolicyRoutes } from './policies.js';
import { resourceTypeRoutes } from './resource-types.js';
import { resourceRoutes } from './resources.js';

export type { MetricApi } from './context.js';
export { METRIC_PREFIX } from './paths.js';

/** The families `GET /v1` lists, as Gnocchi's V1Controller names them. */
const V1_FAMILIES = [
  'aggregates',
  'aggregation',
  'archive_policy',
  'archive_policy_rule',
  'batch',
  'capabilities',
  'influxdb',
  'metric',
  'resource',
  'resource_type',
  'search',
  'status',
];

export function indexRoutes(app: FastifyInstance, api: MetricApi): void {
  const v1 = () => `${api.publicUrl()}${METRIC_PREFIX}/v1`;
  // Gnocchi's root is outside keystonemiddleware's pipeline: clients discover versions without a token.
  app.get('/', async () => ({
    build: '4.6.0',
    versions: [{ status: 'CURRENT', links: [{ rel: 'self', href: `${v1()}/` }], id: 'v1.0', updated: '2015-03-19' }],
  }));
  const v1Index = async (request: FastifyRequest) => {
    await api.authenticate(request);
    return {
      version: '1.0',
      links: [{ rel: 'self', href: v1() }, ...V1_FAMILIES.map((name) => ({ rel: name, href: `${v1()}/${name}` }))],
    };
  };
  app.get('/v1', v1Index);
  archivePolicyRoutes(app, api);
  resourceTypeRoutes(app, api);
  resourceRoutes(app, api);
  metricRoutes(app, api);
}
