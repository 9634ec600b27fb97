/**
 * The metric service's (Gnocchi v1's) records and its public door as other
 * services call it: Ceilometer's publisher (src/metering/) creates resources
 * and pushes measures as the gnocchi publisher does; Aodh's evaluator
 * (src/alarming/) reads measures and aggregates; Heat's OS::Aodh types and the
 * Prometheus exporter read what they need. `operations.ts` builds the door
 * from the index (resources, metrics, policies: src/metric/index-store and
 * friends) and the measures room (src/metric/measures/).
 *
 * Every call takes the caller first and applies Gnocchi's policy as the REST
 * API does (a project sees the resources and metrics it created or that name
 * it as project; admin sees all). Failures are NimbusErrors carrying Gnocchi's
 * messages (404 `Metric <id> does not exist`, 400 `Invalid input: ...`).
 */
import type { CallerContext } from '../core/context.js';
import type { Json, JsonObject } from '../core/json.js';
import type { AggregatedPoint, ArchivePolicy, Measure, SeriesQuery } from './timeseries/types.js';

export interface MetricRecord {
  id: string;
  name: string | null;
  unit: string | null;
  resourceId: string | null;
  archivePolicyName: string;
  /** `<user id>:<project id>`, as Gnocchi's creator field. */
  creator: string;
  createdByUserId: string;
  createdByProjectId: string;
  /** The project of the resource it belongs to, when the look-up brought it (the batch push's); policy targets need it. */
  resourceProjectId?: string | null;
}

export interface ResourceRecord {
  /** Gnocchi's UUID (an original id that is not a UUID is mapped by uuid5, as Gnocchi does). */
  id: string;
  originalResourceId: string;
  type: string;
  projectId: string | null;
  userId: string | null;
  creator: string;
  createdByUserId: string;
  createdByProjectId: string;
  /** ISO 8601 with microseconds and `+00:00`, as Gnocchi prints them. */
  startedAt: string;
  endedAt: string | null;
  revisionStart: string;
  revisionEnd: string | null;
  /** Metric name → metric id. */
  metrics: Record<string, string>;
  /** The resource type's own attributes (e.g. `flavor_id`, `server_group` for `instance`). */
  attributes: JsonObject;
}

/** What the index tells the measures room (implemented by the index; the measures room never queries tables itself). */
export interface MetricIndex {
  /** A metric the caller may read; null when absent or hidden from it. */
  metric(caller: CallerContext, metricId: string): Promise<MetricRecord | null>;
  /**
   * Many metrics by id in one look-up, as `metric` sees each, keyed by the lower-case id (absent or hidden ones left out),
   * each with its resource's project.
   */
  metricsByIds(caller: CallerContext, metricIds: readonly string[]): Promise<Map<string, MetricRecord>>;
  /** Many resources (any type) by id or original id in one look-up, as `resource` sees each, keyed by the id asked, with their metrics. */
  resourcesByIds(caller: CallerContext, resourceIds: readonly string[]): Promise<Map<string, ResourceWithMetrics>>;
  /** A metric of a resource (type `generic` matches any type), by the resource's id or original id. */
  resourceMetric(caller: CallerContext, resourceType: string, resourceId: string, metricName: string): Promise<MetricRecord | null>;
  /** A resource by id or original id; null when absent or hidden. */
  resource(caller: CallerContext, resourceType: string, resourceId: string): Promise<ResourceRecord | null>;
  archivePolicy(name: string): Promise<ArchivePolicy | null>;
  /** The policy of a metric regardless of caller (for background aggregation); null once the metric is deleted. */
  policyOfMetric(metricId: string): Promise<ArchivePolicy | null>;
  /** Creates a resource's metric for `create_metrics=true`: the archive policy from the rules when none is given. */
  createResourceMetric(
    caller: CallerContext,
    resourceId: string,
    metricName: string,
    options: { archivePolicyName?: string; unit?: string },
  ): Promise<MetricRecord>;
  /** Gnocchi's search over one resource type with its filter language (JSON form, or the string form already parsed). */
  searchResources(caller: CallerContext, resourceType: string, filter: Json | null): Promise<ResourceRecord[]>;
}

export interface ResourceWithMetrics {
  resource: ResourceRecord;
  /** Metric name → metric, each with the resource's project. */
  metrics: Map<string, MetricRecord>;
}

/** Measures of one metric of one resource, for the batch push. */
export interface ResourceMeasures {
  /** The resource's id or original id. */
  resourceId: string;
  metricName: string;
  measures: Measure[];
  /** With create_metrics: the new metric's policy and unit. */
  archivePolicyName?: string;
  unit?: string;
}

/** `POST /v1/aggregates` as an object: Gnocchi's body and query parameters. */
export interface AggregatesRequest {
  /** The operations, as a string `(aggregate mean (metric ...))` or its JSON list form. */
  operations: string | Json;
  /** With a search: the resources whose metrics `(metric <name> <agg>)` names. */
  search?: Json;
  resourceType?: string;
  groupby?: string[];
  start?: number;
  stop?: number;
  granularity?: number;
  /** Percentage of overlap required between the series (Gnocchi's default 100). */
  neededOverlap?: number;
  /** Gnocchi's fills: a number, `null` (keep gaps), `dropna` (drop them), or carry values forward/backward. */
  fill?: number | 'null' | 'dropna' | 'ffill' | 'bfill' | 'full_ffill' | 'full_bfill';
}

/** The metric service's door (`deps.services.metric`). */
export interface MetricOperations {
  /** Creates the resource or updates its attributes and adds missing metrics (Ceilometer's publisher). */
  upsertResource(
    caller: CallerContext,
    resourceType: string,
    resource: {
      id: string;
      projectId?: string | null;
      userId?: string | null;
      attributes: JsonObject;
      metrics: Record<string, { archivePolicyName?: string; unit?: string }>;
    },
  ): Promise<ResourceRecord>;
  /** Sets ended_at (a server deleted, a volume gone). Absent resources are ignored. */
  endResource(caller: CallerContext, resourceType: string, resourceId: string, endedAt: string): Promise<void>;
  /** The batch push; with createMetrics, missing metrics are created first. Durable once resolved. */
  pushResourceMeasures(caller: CallerContext, batch: ResourceMeasures[], createMetrics: boolean): Promise<void>;
  /** `GET /v1/metric/{id}/measures`. */
  metricMeasures(caller: CallerContext, metricId: string, query: SeriesQuery & { refresh?: boolean }): Promise<AggregatedPoint[]>;
  /** `GET /v1/resource/{type}/{id}/metric/{name}/measures`. */
  resourceMetricMeasures(
    caller: CallerContext,
    resourceType: string,
    resourceId: string,
    metricName: string,
    query: SeriesQuery & { refresh?: boolean },
  ): Promise<AggregatedPoint[]>;
  /** `POST /v1/aggregates`: the JSON Gnocchi answers (`{measures: ...}` or the groupby list). */
  aggregates(caller: CallerContext, request: AggregatesRequest): Promise<Json>;
  /** Searches resources (for Heat and the exporter). */
  searchResources(caller: CallerContext, resourceType: string, filter: Json | null): Promise<ResourceRecord[]>;
}
