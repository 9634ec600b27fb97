/**
 * The Prometheus exporter as a Nimbus service module: GET /metrics with the
 * server's own health, the cloud's state in openstack-exporter's names and
 * the metering agent's latest samples in Ceilometer's. No OpenStack service
 * has this API, so it publishes no catalog entry and no policy rule; who may
 * scrape is its own configuration (config.ts, README.md).
 */
import type { ServiceDeps, ServiceModule } from '../core/service-module.js';
import { metricsRoutes } from './api.js';
import type { ExporterConfig } from './config.js';
import { ProcessMetrics } from './process-metrics.js';
import { Scraper } from './scrape.js';

type ExporterSections = { exporter: ExporterConfig };

export const exporterModule: ServiceModule<ExporterSections> = {
  name: 'exporter',
  prefix: '/metrics',
  migrations: {},
  policyDefaults: {},
  catalog: [],
  async init(deps: ServiceDeps<ExporterSections>) {
    const config = deps.config.exporter;
    // Disabled: no route, so /metrics answers 404 like any path the server does not serve, and nothing is counted.
    if (!config.enabled) return { async routes() {} };
    const scraper = new Scraper(deps.services, deps.log.child({ service: 'exporter' }));
    const prefixes = new Set(deps.catalog.map((entry) => entry.path.split('/')[1] ?? ''));
    const process = new ProcessMetrics(scraper.registry, { tasks: deps.tasks, db: deps.db, prefixes });
    return {
      async routes(scope) {
        metricsRoutes(scope, scraper, config);
      },
      onResponse: (request, reply) => process.observe(request, reply),
    };
  },
};
