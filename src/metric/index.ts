/**
 * The metric service (Gnocchi v1) as a Nimbus service module: the index
 * (archive policies and rules, resource types, resources with their
 * history, metrics, search) under /metric, Gnocchi's policy and error
 * bodies, the catalog entry `metric`/`gnocchi`, and the door other services
 * call. First start creates what gnocchi-upgrade and ceilometer-upgrade
 * create: the default archive policies and rule, `generic` and Ceilometer's
 * resource types.
 */
import type { MetricConfig } from './config.js';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { indexRoutes, METRIC_PREFIX } from './api/index.js';
import { gnocchiSchemaError, renderGnocchiError } from './errors.js';
import { metricMigrations } from './migrations/index.js';
import { metricOperations } from './operations.js';
import { measureOperations, measureRoutes, type MeasureDeps } from './measures/index.js';
import { createTimeSeriesEngine } from './timeseries/index.js';
import { metricRow, metricView, resourceView } from './api/views.js';
import { installGnocchiWire } from './api/wire.js';
import { metricPolicyDefaults } from './policies.js';
import { indexService, metricIndex } from './service/index.js';
import { metricDb } from './store/tables.js';
import type { MetricRecord, ResourceRecord } from './types.js';

type MetricSections = { metric: MetricConfig };

export const metricModule: ServiceModule<MetricSections> = {
  name: 'metric',
  prefix: METRIC_PREFIX,
  // The index's and the time-series room's tables share the service's one migration history.
  migrations: metricMigrations,
  policyDefaults: metricPolicyDefaults,
  catalog: [{ type: 'metric', name: 'gnocchi', path: METRIC_PREFIX }],
  init: initMetric,
};

async function initMetric(deps: ServiceDeps<MetricSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ service: 'metric' });
  const engine = createTimeSeriesEngine({ db: deps.db, dataDir: deps.dataDir, log });
  const index = indexService({
    db: metricDb(deps.db),
    dialect: deps.db.dialect,
    policy: deps.policy,
    config: deps.config.metric,
    engine: () => engine,
  });
  const door = metricIndex(index);
  const measureDeps: MeasureDeps = {
    index: door,
    engine,
    // The measure rules see the metric as the index's rules do (its creator and its resource's project).
    async enforce(caller, rule, metric) {
      if (metric) await index.metrics.visible(caller, metric.id, rule);
      else index.enforce(caller, rule);
    },
    enforceAll: (caller, rule, metrics) => index.metrics.enforceAll(caller, metrics, rule),
  };
  const authenticate = requestAuthenticator(deps);
  return {
    operations: metricOperations(index, measureOperations(measureDeps)),
    internals: { index, metricIndex: door, engine },
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderGnocchiError, schemaError: gnocchiSchemaError });
      installGnocchiWire(scope);
      indexRoutes(scope, { index, authenticate, publicUrl: deps.publicUrl });
      const views = { metric: (metric: MetricRecord) => metricView(metricRow(metric)), resource: (r: ResourceRecord) => resourceView(r, true) };
      await scope.register(measureRoutes({ ...measureDeps, authenticate, views }));
    },
    async ready() {
      await index.types.ensureDefaults();
      await index.policies.ensureDefaults();
      engine.start(door.policyOfMetric);
    },
    async stop() {
      await engine.close();
    },
  };
}

export type { MetricOperations } from './operations.js';
