/**
 * Accepting measures: the wire's measure lists checked as Gnocchi checks
 * them, and the three pushes (one metric, a batch by metric id, a batch by
 * resource and metric name, with create_metrics for Ceilometer's publisher).
 * The engine has them durably before the 202.
 */
import { createHash } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import type { MetricRecord, ResourceMeasures } from '../types.js';
import type { Measure, MeasureBatch } from '../timeseries/types.js';
import { GnocchiBadRequest, invalidInput } from './errors.js';
import type { SeriesSources } from './series-read.js';
import { parseTimestamp } from './time.js';

/** A measure list from the wire: `[{timestamp, value}, ...]`; 400 with Gnocchi's reasons otherwise. */
export function parseMeasureList(body: Json | undefined, now?: () => number): Measure[] {
  if (!Array.isArray(body) || !body.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m) && 'timestamp' in m))
    throw invalidInput('unexpected measures format');
  const measures: Measure[] = [];
  for (const item of body as Array<{ timestamp: Json; value?: Json }>) {
    let timestamp: number;
    try {
      timestamp = parseTimestamp(item.timestamp, now);
    } catch (error) {
      throw invalidInput(`unexpected timestamp '${(error as Error).message}'`);
    }
    measures.push({ timestamp, value: floatOf(item.value) });
  }
  return measures;
}

/** Python's float(): numbers, booleans and numeric strings. */
function floatOf(value: Json | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan)\s*$/i.test(value)) {
    const text = value
      .trim()
      .toLowerCase()
      .replace(/^([+-]?)inf(inity)?$/, '$1Infinity');
    return text.endsWith('nan') ? NaN : Number(text);
  }
  throw invalidInput('unexpected measures value');
}

/** A UUID as Python's uuid.UUID reads one (dashes optional). */
export const isUuid = (text: string) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text);

const RESOURCE_ID_NAMESPACE = '0a7a15ff-aa13-4ac2-897c-9bdf30ce175b';

/** Gnocchi's id of a resource named by a non-UUID original id: uuid5 of `<original>\0<creator>`. */
export function resourceUuid(originalId: string, creator: string): string {
  if (isUuid(originalId)) {
    const hex = originalId.replaceAll('-', '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const digest = createHash('sha1')
    .update(Buffer.from(RESOURCE_ID_NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(`${originalId}\u0000${creator}`, 'utf8')
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const creatorOf = (caller: CallerContext) => `${caller.userId}:${caller.project?.id ?? ''}`;

/** `POST /v1/batch/metrics/measures`: every id must name a metric the caller sees, else 400 listing the unknown ones. */
export async function pushMetricBatch(sources: SeriesSources, caller: CallerContext, batch: Map<string, Measure[]>): Promise<void> {
  const ids = [...batch.keys()];
  const found = await sources.index.metricsByIds(caller, ids);
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length > 0) throw new GnocchiBadRequest(`Unknown metrics: ${missing.sort().join(', ')}`);
  const metrics = ids.map((id) => found.get(id.toLowerCase())!);
  await sources.enforceAll(caller, 'post measures', metrics);
  await sources.engine.accept(ids.map((id, i) => ({ metricId: metrics[i]!.id, measures: batch.get(id)! })));
}

/** The batch by resource and metric name; with `createMetrics` the missing metrics are created first. */
export async function pushResourceBatch(sources: SeriesSources, caller: CallerContext, batch: ResourceMeasures[], createMetrics: boolean): Promise<void> {
  const { index } = sources;
  const resources = await index.resourcesByIds(
    caller,
    batch.map((item) => item.resourceId),
  );
  const accepted: MeasureBatch[] = [];
  const metrics: MetricRecord[] = [];
  const unknownMetrics: string[] = [];
  const unknownResources: Array<{ resource_id: string; original_resource_id: string }> = [];
  for (const item of batch) {
    const found = resources.get(item.resourceId);
    let metric = found?.metrics.get(item.metricName);
    if (!metric) {
      const uuid = found?.resource.id ?? resourceUuid(item.resourceId, creatorOf(caller));
      if (!createMetrics) {
        unknownMetrics.push(`${uuid}/${item.metricName}`);
        continue;
      }
      if (!found) {
        if (!unknownResources.some((r) => r.resource_id === uuid)) unknownResources.push({ resource_id: uuid, original_resource_id: item.resourceId });
        continue;
      }
      const options: { archivePolicyName?: string; unit?: string } = {};
      if (item.archivePolicyName !== undefined) options.archivePolicyName = item.archivePolicyName;
      if (item.unit !== undefined) options.unit = item.unit;
      metric = { ...(await index.createResourceMetric(caller, found.resource.id, item.metricName, options)), resourceProjectId: found.resource.projectId };
      // A later item naming the same metric finds it rather than creating it again.
      found.metrics.set(item.metricName, metric);
    }
    metrics.push(metric);
    accepted.push({ metricId: metric.id, measures: item.measures });
  }
  if (unknownResources.length > 0) throw new GnocchiBadRequest({ cause: 'Unknown resources', detail: unknownResources });
  if (unknownMetrics.length > 0) throw new GnocchiBadRequest(`Unknown metrics: ${unknownMetrics.sort().join(', ')}`);
  await sources.enforceAll(caller, 'post measures', metrics);
  await sources.engine.accept(accepted);
}
