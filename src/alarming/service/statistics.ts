/**
 * The datapoints a threshold rule compares: asked of the metric service's
 * door as the alarm's owner, over `granularity * (evaluation_periods + 1)`
 * seconds back (plus `additional_ingestion_lag`), kept to the rule's granularity and its last
 * `evaluation_periods` points. What Gnocchi cannot give becomes
 * "insufficient data" with Aodh's reason.
 */
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import type { MetricReader } from './metric-reader.js';
import type { ThresholdType } from './rules.js';

export class InsufficientData extends Error {
  constructor(
    readonly reason: string,
    readonly statistics: number[],
  ) {
    super(reason);
  }
}

interface Point {
  granularity: number;
  value: number;
}

/** Aodh looks one period further back than it compares, for late measures. */
const LOOK_BACK_PERIODS = 1;

function withoutRate(method: string): string {
  return method.startsWith('rate:') ? method.slice('rate:'.length) : method;
}

/** `{measures: {aggregated: [[time, granularity, value], ...]}}` from /v1/aggregates. */
function aggregatedPoints(answer: Json): Point[] {
  const measures = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer.measures : null;
  const aggregated = typeof measures === 'object' && measures !== null && !Array.isArray(measures) ? measures.aggregated : null;
  if (!Array.isArray(aggregated)) return [];
  return aggregated.flatMap((row) =>
    Array.isArray(row) && typeof row[1] === 'number' && typeof row[2] === 'number' ? [{ granularity: row[1], value: row[2] }] : [],
  );
}

/** Which of Gnocchi's 404s it was, from its message (`Metric ... does not exist`, `Resource ... does not exist`). */
function missing(error: unknown): 'metric' | 'resource' | 'other' | null {
  if (!(error instanceof NimbusError) || error.status !== 404) return null;
  if (/^Metric/i.test(error.message)) return 'metric';
  if (/^Resource/i.test(error.message)) return 'resource';
  return 'other';
}

async function fetchPoints(
  metric: MetricReader,
  owner: CallerContext,
  type: ThresholdType,
  rule: JsonObject,
  window: { start: number; stop: number },
): Promise<Point[]> {
  const method = String(rule.aggregation_method);
  const granularity = Number(rule.granularity);
  try {
    switch (type) {
      case 'gnocchi_resources_threshold':
        return await metric.resourceMetricMeasures(owner, 'generic', String(rule.resource_id), String(rule.metric), {
          aggregation: method,
          granularity,
          ...window,
        });
      case 'gnocchi_aggregation_by_metrics_threshold': {
        const metrics = Array.isArray(rule.metrics) ? rule.metrics.map(String) : [];
        // Gnocchi's `aggregate` takes one operand: the metrics go in one `metric` node (Aodh lists a node per metric, which Gnocchi's schema refuses).
        const operations: Json = ['aggregate', method, ['metric', ...metrics.map((id) => [id, withoutRate(method)])]];
        return aggregatedPoints(await metric.aggregates(owner, { operations, granularity, ...window, neededOverlap: 0 }));
      }
      case 'gnocchi_aggregation_by_resources_threshold': {
        const operations: Json = ['aggregate', method, ['metric', String(rule.metric), withoutRate(method)]];
        const search = JSON.parse(String(rule.query)) as Json;
        return aggregatedPoints(
          await metric.aggregates(owner, { operations, search, resourceType: String(rule.resource_type), granularity, ...window, neededOverlap: 0 }),
        );
      }
    }
  } catch (err) {
    throw new InsufficientData(missingReason(type, rule, err), []);
  }
}

function missingReason(type: ThresholdType, rule: JsonObject, err: unknown): string {
  const kind = missing(err);
  const method = String(rule.aggregation_method);
  if (kind === null) return `alarm statistics retrieval failed: ${err instanceof Error ? err.message : String(err)}`;
  if (type === 'gnocchi_resources_threshold') {
    if (kind === 'metric') return `metric ${String(rule.metric)} for resource ${String(rule.resource_id)} does not exists`;
    if (kind === 'resource') return `resource ${String(rule.resource_id)} does not exists`;
    return `aggregation ${method} does not exist for metric ${String(rule.metric)} of resource ${String(rule.resource_id)}`;
  }
  if (type === 'gnocchi_aggregation_by_metrics_threshold') {
    const metrics = `[${(Array.isArray(rule.metrics) ? rule.metrics : []).map((m) => `'${String(m)}'`).join(', ')}]`;
    return kind === 'metric'
      ? `At least of metrics in ${metrics} does not exist`
      : `aggregation ${method} does not exist for at least one metrics in ${metrics}`;
  }
  return kind === 'metric' ? `metric ${String(rule.metric)} does not exists` : `aggregation ${method} does not exist for at least one metric of the query`;
}

/** When a round evaluates, and how many seconds further back it looks for measures still being ingested (Aodh's `additional_ingestion_lag`). */
export interface EvaluationTime {
  now: Date;
  ingestionLag: number;
}

/** The rule's last `evaluation_periods` values, oldest first; throws InsufficientData. */
export async function ruleStatistics(metric: MetricReader, owner: CallerContext, type: ThresholdType, rule: JsonObject, at: EvaluationTime): Promise<number[]> {
  const granularity = Number(rule.granularity);
  const periods = Number(rule.evaluation_periods);
  const stop = at.now.getTime() / 1000;
  const start = stop - granularity * (periods + LOOK_BACK_PERIODS) - at.ingestionLag;
  const points = await fetchPoints(metric, owner, type, rule, { start, stop });
  const values = points.filter((p) => p.granularity === granularity).map((p) => p.value);
  if (values.length === 0) throw new InsufficientData(`No datapoint for granularity ${granularity}`, []);
  const statistics = values.slice(-periods);
  if (statistics.length < periods) throw new InsufficientData(`${periods} datapoints are unknown`, statistics);
  return statistics;
}
