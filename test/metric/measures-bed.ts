/**
 * A bed for the measures API before the index exists in this branch: the
 * measure routes on a bare Fastify app, the real time-series engine on a
 * fresh SQLite database, and a small in-memory MetricIndex stand-in
 * (metrics, resources, one archive policy; the search matches `=` filters).
 */
import type { TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serviceCaller, type CallerContext } from '../../src/core/context.js';
import { Forbidden } from '../../src/core/errors.js';
import type { Json, JsonObject } from '../../src/core/json.js';
import { measureOperations, measureRoutes, type MeasureDeps, type MeasureOperations } from '../../src/metric/measures/index.js';
import type { ArchivePolicy, TimeSeriesEngine } from '../../src/metric/timeseries/types.js';
import type { MetricIndex, MetricRecord, ResourceRecord, ResourceWithMetrics } from '../../src/metric/types.js';
import { eachDialect } from '../support/databases.js';
import { openEngine } from './timeseries-reference.js';

export const POLICY: ArchivePolicy = {
  name: 'low',
  backWindow: 0,
  definition: [
    { granularity: 300, points: 100, timespan: 30000 },
    { granularity: 60, points: 100, timespan: 6000 },
  ],
  aggregationMethods: ['mean', 'max', 'min', 'sum', 'count', 'last'],
};

export interface MeasuresBed {
  app: FastifyInstance;
  engine: TimeSeriesEngine;
  /** The measure half of the door over the same index and engine, and the caller the routes act as. */
  door: MeasureOperations;
  caller: CallerContext;
  addMetric(id: string, name?: string, resourceId?: string): MetricRecord;
  addResource(id: string, attributes: JsonObject, metrics: Record<string, string>): ResourceRecord;
  call(method: 'GET' | 'POST', url: string, body?: Json): Promise<{ status: number; json: Json }>;
}

export class StandInIndex implements MetricIndex {
  readonly metrics = new Map<string, MetricRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  async metric(_caller: CallerContext, id: string) {
    return this.metrics.get(id) ?? null;
  }
  async metricsByIds(caller: CallerContext, ids: readonly string[]) {
    const found = new Map<string, MetricRecord>();
    for (const id of ids) {
      const metric = await this.metric(caller, id.toLowerCase());
      if (metric) found.set(id.toLowerCase(), metric);
    }
    return found;
  }
  async resourcesByIds(_caller: CallerContext, ids: readonly string[]) {
    const found = new Map<string, ResourceWithMetrics>();
    for (const id of ids) {
      const resource = this.resources.get(id);
      if (resource)
        found.set(id, { resource, metrics: new Map(Object.entries(resource.metrics).map(([name, metricId]) => [name, this.metrics.get(metricId)!])) });
    }
    return found;
  }
  async resourceMetric(_caller: CallerContext, _type: string, resourceId: string, name: string) {
    const resource = this.resources.get(resourceId);
    const id = resource?.metrics[name];
    return id ? (this.metrics.get(id) ?? null) : null;
  }
  async resource(_caller: CallerContext, _type: string, id: string) {
    return this.resources.get(id) ?? null;
  }
  async archivePolicy(name: string) {
    return name === POLICY.name ? POLICY : null;
  }
  async policyOfMetric(id: string) {
    return this.metrics.has(id) ? POLICY : null;
  }
  async createResourceMetric(_caller: CallerContext, resourceId: string, name: string) {
    const metric = record(`${resourceId.slice(0, 24)}${String(this.metrics.size).padStart(12, '0')}`, name, resourceId);
    this.metrics.set(metric.id, metric);
    this.resources.get(resourceId)!.metrics[name] = metric.id;
    return metric;
  }
  async searchResources(_caller: CallerContext, _type: string, filter: Json | null) {
    const all = [...this.resources.values()];
    const equals = filter !== null && typeof filter === 'object' && !Array.isArray(filter) ? (filter['='] as JsonObject | undefined) : undefined;
    if (!equals) return all;
    return all.filter((r) => Object.entries(equals).every(([k, v]) => r.attributes[k] === v || (k === 'id' && r.id === v)));
  }
}

export function record(id: string, name: string | null, resourceId: string | null): MetricRecord {
  return { id, name, unit: null, resourceId, archivePolicyName: POLICY.name, creator: 'u:p', createdByUserId: 'u', createdByProjectId: 'p' };
}

export async function openMeasuresBed(t: TestContext): Promise<MeasuresBed> {
  const { engine } = await openEngine(eachDialect()[0]!, t);
  const index = new StandInIndex();
  const app = Fastify();
  const caller = serviceCaller('tester', { id: 'p' });
  // The stand-in's policy: status for admins; a metric named `readonly` takes no measures.
  const enforce: MeasureDeps['enforce'] = (who, rule, metric) => {
    if (rule === 'get status' && !who.roles.includes('admin')) throw new Forbidden('Access was denied to this resource.');
    if (rule === 'post measures' && metric?.name === 'readonly') throw new Forbidden('Access was denied to this resource.');
  };
  const sources: MeasureDeps = {
    index,
    engine,
    enforce,
    enforceAll: (who, rule, metrics) => metrics.forEach((metric) => enforce(who, rule, metric)),
  };
  await app.register(
    measureRoutes({
      ...sources,
      authenticate: async () => caller,
      views: { metric: (m) => ({ id: m.id, name: m.name }), resource: (r) => ({ id: r.id }) },
    }),
    { prefix: '/metric' },
  );
  t.after(() => app.close());
  return {
    app,
    engine,
    door: measureOperations(sources),
    caller,
    addMetric: (id, name, resourceId) => {
      const metric = record(id, name ?? null, resourceId ?? null);
      index.metrics.set(id, metric);
      return metric;
    },
    addResource: (id, attributes, metrics) => {
      const resource: ResourceRecord = {
        id,
        originalResourceId: id,
        type: 'generic',
        projectId: 'p',
        userId: 'u',
        creator: 'u:p',
        createdByUserId: 'u',
        createdByProjectId: 'p',
        startedAt: '2026-12-06T00:00:00.000000+00:00',
        endedAt: null,
        revisionStart: '2026-12-06T00:00:00.000000+00:00',
        revisionEnd: null,
        metrics,
        attributes,
      };
      index.resources.set(id, resource);
      for (const [name, metricId] of Object.entries(metrics)) index.metrics.set(metricId, record(metricId, name, id));
      return resource;
    },
    call: async (method, url, body) => {
      const response = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, json: response.body === '' ? null : (JSON.parse(response.body) as Json) };
    },
  };
}
