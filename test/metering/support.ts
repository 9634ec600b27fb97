/**
 * A stand-in for the metric service's door that records what Ceilometer's
 * publisher writes, and polling agents wired to a running test server's
 * real services with that stand-in as `metric`.
 */
import type { CallerContext } from '../../src/core/context.js';
import type { ServiceRegistry } from '../../src/core/service-module.js';
import { createLogger } from '../../src/core/logger.js';
import type { MetricOperations, ResourceMeasures, ResourceRecord } from '../../src/metric/types.js';
import { meteringDefaults, type MeteringConfig } from '../../src/metering/config.js';
import { PollingAgent } from '../../src/metering/agent.js';
import { LatestSamples } from '../../src/metering/latest-samples.js';
import { GnocchiPublisher } from '../../src/metering/publisher/gnocchi.js';
import { MeteringStore } from '../../src/metering/store/index.js';
import type { TestServer } from '../support/server.js';

export interface RecordedUpsert {
  /** The writer's project name: the creator of what it makes. */
  callerProject: string | null;
  resourceType: string;
  resource: Parameters<MetricOperations['upsertResource']>[2];
}

export class RecordingMetric implements MetricOperations {
  readonly upserts: RecordedUpsert[] = [];
  readonly pushes: ResourceMeasures[][] = [];
  readonly ended: Array<{ resourceType: string; resourceId: string }> = [];

  async upsertResource(caller: CallerContext, resourceType: string, resource: RecordedUpsert['resource']): Promise<ResourceRecord> {
    this.upserts.push({ callerProject: caller.project?.name ?? null, resourceType, resource });
    return {
      id: resource.id,
      originalResourceId: resource.id,
      type: resourceType,
      projectId: resource.projectId ?? null,
      userId: resource.userId ?? null,
      creator: 'nimbus-metering:',
      createdByUserId: 'nimbus-metering',
      createdByProjectId: '',
      startedAt: new Date().toISOString(),
      endedAt: null,
      revisionStart: new Date().toISOString(),
      revisionEnd: null,
      metrics: {},
      attributes: resource.attributes,
    };
  }
  async endResource(_caller: CallerContext, resourceType: string, resourceId: string): Promise<void> {
    this.ended.push({ resourceType, resourceId });
  }
  async pushResourceMeasures(_caller: CallerContext, batch: ResourceMeasures[]): Promise<void> {
    this.pushes.push(batch);
  }
  /** Every measure pushed for one metric of one resource, in order. */
  measuresOf(resourceId: string, metricName: string): ResourceMeasures[] {
    return this.pushes.flat().filter((m) => m.resourceId === resourceId && m.metricName === metricName);
  }
  metricMeasures(): never {
    throw new Error('not used by the publisher');
  }
  resourceMetricMeasures(): never {
    throw new Error('not used by the publisher');
  }
  aggregates(): never {
    throw new Error('not used by the publisher');
  }
  searchResources(): never {
    throw new Error('not used by the publisher');
  }
}

/** A polling agent over the server's own services, publishing to `metric`. */
export function agentFor(cloud: TestServer, metric: MetricOperations, configure?: (config: MeteringConfig) => void): PollingAgent {
  const services: ServiceRegistry = Object.fromEntries(Object.entries(cloud.server.services).map(([name, instance]) => [name, instance.operations]));
  services.metric = metric;
  const config = meteringDefaults();
  config.polling.interval = 1;
  configure?.(config);
  const log = createLogger('silent', 'json');
  const publisher = new GnocchiPublisher(() => metric, config.publisher_gnocchi.archive_policy, log);
  const latest = new LatestSamples(() => 2 * config.polling.interval * 1000);
  return new PollingAgent({ config, store: new MeteringStore(cloud.server.db), services, publisher, latest, log });
}
