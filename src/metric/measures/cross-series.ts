/**
 * Several series under one operations tree (gnocchi/rest/aggregates/processor.py):
 * per granularity, coarsest first, the series go on one time axis, gaps are
 * filled or refused by the overlap rule, the tree is evaluated, and the answer
 * is `{aggregated: [...]}` or the per-metric (per-resource) lists.
 */
import type { Sampling } from './calendar.js';
import type { Json, JsonObject } from '../../core/json.js';
import type { AggregatedPoint } from '../timeseries/types.js';
import { unaggregable } from './errors.js';
import { evaluate, type Grid } from './operations-evaluate.js';
import type { OperationNode, Reference } from './operations-parse.js';
import { floorToGranularity, formatTimestamp } from './time.js';

export type Fill = number | 'null' | 'dropna' | 'ffill' | 'bfill' | 'full_ffill' | 'full_bfill';

/** One series the tree names, with its points per granularity. */
export interface SeriesInput {
  /** What `(metric ...)` nodes match: the id (or name pattern with a search) and the aggregation. */
  lookup: Reference;
  metricId: string;
  metricName: string | null;
  /** Set when the series was found through a resource search: the answer is keyed by resource then. */
  resourceId: string | null;
  aggregation: string;
  points: Map<number, AggregatedPoint[]>;
}

export interface CrossOptions {
  start?: number;
  stop?: number;
  /** Percent; Gnocchi's default 100. */
  neededOverlap: number;
  fill: Fill | null;
}

const DROPPING_FILLS: ReadonlySet<Json> = new Set(['dropna', 'ffill', 'bfill', 'full_ffill', 'full_bfill']);

function forwardFill(row: number[]): number[] {
  let last = NaN;
  return row.map((v) => (Number.isNaN(v) ? last : (last = v)));
}
const backwardFill = (row: number[]) => forwardFill([...row].reverse()).reverse();

function fillRow(row: number[], fill: Fill | null): number[] {
  switch (fill) {
    case 'ffill':
      return forwardFill(row);
    case 'bfill':
      return backwardFill(row);
    case 'full_ffill':
      return backwardFill(forwardFill(row));
    case 'full_bfill':
      return forwardFill(backwardFill(row));
    default:
      return row;
  }
}

/** The series of one granularity on one time axis, gaps as NaN or the fill value, trimmed by the overlap rule. */
function buildGrid(inputs: SeriesInput[], granularity: number, options: CrossOptions): Grid {
  const from = options.start === undefined ? undefined : floorToGranularity(options.start, granularity);
  const kept = inputs.map((input) =>
    (input.points.get(granularity) ?? []).filter(
      (p) => (from === undefined || p.timestamp >= from) && (options.stop === undefined || p.timestamp < options.stop),
    ),
  );
  let times = [...new Set(kept.flatMap((points) => points.map((p) => p.timestamp)))].sort((a, b) => a - b);
  const gap = typeof options.fill === 'number' ? options.fill : NaN;
  const index = new Map(times.map((t, i) => [t, i]));
  let rows = kept.map((points) => {
    const row: number[] = new Array<number>(times.length).fill(gap);
    for (const p of points) row[index.get(p.timestamp)!] = p.value;
    return fillRow(row, options.fill);
  });
  const lookups = inputs.map((i) => i.lookup);
  if (options.fill === null) {
    const overlap = times.flatMap((_, t) => (rows.every((row) => !Number.isNaN(row[t]!)) ? [t] : []));
    if (overlap.length === 0 && options.neededOverlap > 0) throw unaggregable(lookups, 'No overlap');
    if (times.length > 0) {
      let first = 0;
      let last = times.length - 1;
      // Without a boundary, the answer starts (ends) where the series begin (cease) to overlap.
      if (options.stop === undefined && overlap.length > 0) last = overlap[overlap.length - 1]!;
      if (options.start === undefined && overlap.length > 0) first = overlap[0]!;
      times = times.slice(first, last + 1);
      rows = rows.map((row) => row.slice(first, last + 1));
      const percent = (overlap.length * 100) / times.length;
      if (percent < options.neededOverlap)
        throw unaggregable(lookups, `Less than ${options.neededOverlap.toFixed(6)}% of datapoints overlap in this timespan (${percent.toFixed(2)}%)`);
    }
  }
  return { granularity, times, rows, references: lookups };
}

type Triple = [string, Sampling, number | null];

function triples(times: number[], granularity: Sampling, row: number[], fill: Fill | null): Triple[] {
  const out: Triple[] = [];
  times.forEach((t, i) => {
    const v = row[i]!;
    if (DROPPING_FILLS.has(fill) && !Number.isFinite(v)) return;
    out.push([formatTimestamp(t), granularity, Number.isNaN(v) ? null : v]);
  });
  return out;
}

function child(parent: JsonObject, key: string): JsonObject {
  return (parent[key] ??= {}) as JsonObject;
}

/** Evaluates `tree` over `inputs` at each granularity in `granularities` (any order; answered coarsest first). */
export function crossAggregate(tree: OperationNode, inputs: SeriesInput[], granularities: number[], options: CrossOptions): JsonObject {
  const results = [...granularities]
    .sort((a, b) => b - a)
    .map((granularity) => {
      const grid = buildGrid(inputs, granularity, options);
      return evaluate(tree, grid);
    });
  if (results.some((r) => r.aggregated)) {
    const aggregated = results.flatMap((r) => (typeof r.values === 'number' ? [] : triples(r.times, r.granularity, r.values[0] ?? [], options.fill)));
    return { aggregated };
  }
  const byMetric: JsonObject = {};
  const byResource: JsonObject = {};
  for (const result of results) {
    if (typeof result.values === 'number') continue;
    inputs.forEach((input, i) => {
      const row = (result.values as number[][])[i];
      if (!row) return;
      const points = triples(result.times, result.granularity, row, options.fill);
      const holder =
        input.resourceId === null ? child(byMetric, input.metricId) : child(child(byResource, input.resourceId), input.metricName ?? input.metricId);
      holder[input.aggregation] = [...((holder[input.aggregation] as Json[] | undefined) ?? []), ...points];
    });
  }
  return Object.keys(byResource).length > 0 ? byResource : byMetric;
}
