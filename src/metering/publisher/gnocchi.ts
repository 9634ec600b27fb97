/**
 * Ceilometer's gnocchi:// publisher over the metric service's door: samples
 * are grouped by resource, each resource is created or its attributes
 * updated when they differ from what this publisher last wrote (Ceilometer
 * keeps the same cache to spare Gnocchi an update per sample), then every
 * measure goes in one batch push with `create_metrics`, each metric with its
 * archive policy and the meter's unit. Samples of meters no resource type
 * takes are dropped, as Ceilometer does.
 */
import type { CallerContext } from '../../core/context.js';
import type { JsonObject } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import type { Sample } from '../samples.js';
import type { MeasuresOfMetric, MetricWriter } from './metric-door.js';
import { ARCHIVE_POLICY_DEFAULT, attributesOf, definitionOf } from './resources.js';

interface ResourceBatch {
  resourceType: string;
  projectId: string | null;
  userId: string | null;
  attributes: JsonObject;
  metrics: Record<string, { archivePolicyName: string; unit: string }>;
  measures: Map<string, MeasuresOfMetric>;
}

export class GnocchiPublisher {
  /** Resource id → what was last written for it (type, attributes, metric names). */
  readonly #written = new Map<string, string>();

  constructor(
    private readonly metric: () => MetricWriter,
    /** The publisher's `archive_policy` option: one policy for every metric, or null for the definitions' own. */
    private readonly archivePolicy: string | null,
    private readonly log: Logger,
  ) {}

  /** Forgets what was written, so that the next cycle writes each resource again (the metric service's rows were replaced). */
  forgetWritten(): void {
    this.#written.clear();
  }

  /** Writes as `caller`, which becomes the creator of what it makes (Ceilometer's user in the service project). */
  async publish(caller: CallerContext, samples: readonly Sample[]): Promise<void> {
    const resources = this.#group(samples);
    if (resources.size === 0) return;
    const door = this.metric();
    for (const [id, resource] of resources) {
      const fingerprint = JSON.stringify([resource.resourceType, resource.attributes, Object.keys(resource.metrics).sort()]);
      if (this.#written.get(id) === fingerprint) continue;
      await door.upsertResource(caller, resource.resourceType, {
        id,
        projectId: resource.projectId,
        userId: resource.userId,
        attributes: resource.attributes,
        metrics: resource.metrics,
      });
      this.#written.set(id, fingerprint);
    }
    await door.pushResourceMeasures(
      caller,
      [...resources.values()].flatMap((r) => [...r.measures.values()]),
      true,
    );
  }

  /** Sets ended_at on a resource whose object was deleted, and forgets it. */
  async end(caller: CallerContext, resourceType: string, resourceId: string, endedAt: string): Promise<void> {
    await this.metric().endResource(caller, resourceType, resourceId, endedAt);
    this.#written.delete(resourceId);
  }

  #group(samples: readonly Sample[]): Map<string, ResourceBatch> {
    const resources = new Map<string, ResourceBatch>();
    for (const sample of samples) {
      const definition = definitionOf(sample.meter.name);
      if (!definition) {
        this.log.debug({ meter: sample.meter.name }, 'no resource type takes this meter: sample dropped');
        continue;
      }
      const archivePolicyName = this.archivePolicy ?? definition.metrics[sample.meter.name] ?? ARCHIVE_POLICY_DEFAULT;
      let resource = resources.get(sample.resourceId);
      if (!resource) {
        resource = {
          resourceType: definition.resourceType,
          projectId: sample.projectId,
          userId: sample.userId,
          attributes: {},
          metrics: {},
          measures: new Map(),
        };
        resources.set(sample.resourceId, resource);
      }
      // The latest sample's metadata describes the resource, as each sample overwrites the attributes in Ceilometer.
      resource.attributes = attributesOf(definition, sample.resourceMetadata);
      resource.metrics[sample.meter.name] = { archivePolicyName, unit: sample.meter.unit };
      const measures = resource.measures.get(sample.meter.name) ?? {
        resourceId: sample.resourceId,
        metricName: sample.meter.name,
        measures: [],
        archivePolicyName,
        unit: sample.meter.unit,
      };
      measures.measures.push({ timestamp: Date.parse(sample.timestamp) / 1000, value: sample.volume });
      resource.measures.set(sample.meter.name, measures);
    }
    return resources;
  }
}
