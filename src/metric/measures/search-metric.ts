/**
 * `POST /v1/search/metric?metric_id=...`: the points of each named metric
 * whose value the body's predicate keeps, at every granularity of its policy
 * (coarsest first) or the ones asked, between start and stop, answered as
 * `{metric_id: [[time, granularity, value], ...]}`. An unknown id is left
 * out, as Gnocchi's listing leaves it out; a metric the caller may not
 * search is a 403.
 */
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import { queryValues, type QueryInput } from '../../core/pagination/query.js';
import { aggregationDoesNotExist, argumentError, GnocchiBadRequest } from './errors.js';
import { first } from './query.js';
import { policyOf, readGranularity, type SeriesSources } from './series-read.js';
import { parseTimespan, parseTimestamp, renderPoints } from './time.js';
import { parseValueQuery } from './value-query.js';

function bound(query: QueryInput, name: 'start' | 'stop'): number | undefined {
  const value = first(query, name);
  if (value === undefined) return undefined;
  try {
    return parseTimestamp(value);
  } catch {
    throw new GnocchiBadRequest(`Invalid value for ${name}`);
  }
}

function granularities(query: QueryInput): number[] | undefined {
  const values = queryValues(query, 'granularity');
  if (values.length === 0) return undefined;
  try {
    return values.map((value) => parseTimespan(value)).sort((a, b) => b - a);
  } catch (error) {
    throw argumentError('granularity', (error as Error).message);
  }
}

export async function searchMetricValues(sources: SeriesSources, caller: CallerContext, query: QueryInput, body: Json | undefined): Promise<Json> {
  const ids = queryValues(query, 'metric_id');
  if (ids.length === 0) throw new GnocchiBadRequest('Missing argument: metric_id');
  const found = [];
  for (const id of new Set(ids)) {
    const metric = await sources.index.metric(caller, id);
    if (!metric) continue;
    await sources.enforce(caller, 'search metric', metric);
    found.push(metric);
  }
  if (body === undefined || body === null) throw new GnocchiBadRequest('No query specified in body');
  const keep = parseValueQuery(body);
  const start = bound(query, 'start');
  const stop = bound(query, 'stop');
  const asked = granularities(query);
  const aggregation = first(query, 'aggregation') ?? 'mean';
  const answer: Record<string, Json> = {};
  for (const metric of found) {
    const policy = await policyOf(sources, metric);
    const levels = asked ?? policy.definition.map((item) => item.granularity).sort((a, b) => b - a);
    for (const granularity of levels)
      if (!policy.aggregationMethods.includes(aggregation) || !policy.definition.some((item) => item.granularity === granularity))
        throw aggregationDoesNotExist(aggregation, granularity);
    const points = [];
    for (const granularity of levels) points.push(...(await readGranularity(sources, metric.id, policy, aggregation, granularity, start, stop)));
    answer[metric.id] = renderPoints(points.filter((point) => keep(point.value)));
  }
  return answer;
}
