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
import { absentMeasures, metricOperations } from './operations.js';
import { metricPolicyDefaults } from './policies.js';
import { indexService, metricIndex } from './service/index.js';
import { metricDb } from './store/tables.js';

type MetricSections = { metric: MetricConfig };

export const metricModule: ServiceModule<MetricSections> = {
  name: 'metric',
  prefix: METRIC_PREFIX,
  migrations: metricMigrations,
  policyDefaults: metricPolicyDefaults,
  catalog: [{ type: 'metric', name: 'gnocchi', path: METRIC_PREFIX }],
  init: initMetric,
};

async function initMetric(deps: ServiceDeps<MetricSections>): Promise<ServiceInstance> {
  const index = indexService({
    db: metricDb(deps.db),
    dialect: deps.db.dialect,
    policy: deps.policy,
    config: deps.config.metric,
    // The time-series engine joins when the timeseries room is merged; until then no series exist to delete.
    engine: () => null,
  });
  const authenticate = requestAuthenticator(deps);
  return {
    operations: metricOperations(index, absentMeasures),
    internals: { index, metricIndex: metricIndex(index) },
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderGnocchiError, schemaError: gnocchiSchemaError });
      indexRoutes(scope, { index, authenticate, publicUrl: deps.publicUrl });
    },
    async ready() {
      await index.types.ensureDefaults();
      await index.policies.ensureDefaults();
    },
  };
}

export type { MetricOperations } from './operations.js';
