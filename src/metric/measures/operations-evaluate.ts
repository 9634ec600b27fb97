/**
 * Evaluates an operations tree over a grid of series sharing one
 * granularity and one time axis (NaN where a series has no point), as
 * gnocchi/rest/aggregates/operations.py defines each operator.
 */
import { unaggregable } from './errors.js';
import type { OperationNode, Reference } from './operations-parse.js';
import { acrossReducer, periodReducer, splitRate } from './reducers.js';
import { periodStart, type Sampling } from './calendar.js';

/** Series-major values: `values[series][time]`. */
export interface Evaluated {
  /** Seconds, or a calendar group's letter once resampled by one (Gnocchi prints the letter as the granularity). */
  granularity: Sampling;
  times: number[];
  values: number | number[][];
  /** True once series were combined into one (Gnocchi answers `aggregated` then). */
  aggregated: boolean;
}

export interface Grid {
  granularity: number;
  times: number[];
  /** One row per reference, in the order of `references`. */
  rows: number[][];
  references: Reference[];
}

const truth = (condition: boolean) => (condition ? 1 : 0);
const BINARY: Record<string, (a: number, b: number) => number> = {};
const define = (names: string[], fn: (a: number, b: number) => number) => names.forEach((name) => (BINARY[name] = fn));
define(['=', '==', 'eq'], (a, b) => truth(a === b));
define(['<', 'lt'], (a, b) => truth(a < b));
define(['>', 'gt'], (a, b) => truth(a > b));
define(['<=', '≤', 'le'], (a, b) => truth(a <= b));
define(['>=', '≥', 'ge'], (a, b) => truth(a >= b));
define(['!=', '≠', 'ne'], (a, b) => truth(a !== b));
// numpy.mod takes the divisor's sign, as Python's %.
define(['%', 'mod'], (a, b) => a - Math.floor(a / b) * b);
define(['+', 'add'], (a, b) => a + b);
define(['-', 'sub'], (a, b) => a - b);
define(['*', '×', 'mul'], (a, b) => a * b);
define(['/', '÷', 'div'], (a, b) => a / b);
define(['**', '^', 'pow'], (a, b) => a ** b);
define(['clip_min'], (a, b) => (a < b ? b : a));
define(['clip_max'], (a, b) => (a > b ? b : a));
// numpy.fmax: a NaN loses to a number.
define(['max'], (a, b) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b)));

const UNARY: Record<string, (a: number) => number> = {
  abs: Math.abs,
  absolute: Math.abs,
  neg: (a) => -a,
  negative: (a) => -a,
  cos: Math.cos,
  sin: Math.sin,
  tan: Math.tan,
  floor: Math.floor,
  ceil: Math.ceil,
};

const mapRows = (values: number[][], fn: (row: number[]) => number[]) => values.map(fn);
const diff = (row: number[]) => row.slice(1).map((v, i) => v - row[i]!);
const sameTimes = (a: number[], b: number[]) => a.length === b.length && a.every((t, i) => t === b[i]);

function combine(op: string, left: Evaluated, right: Evaluated, references: Reference[]): Evaluated {
  const fn = BINARY[op]!;
  const l = left.values;
  const r = right.values;
  if (typeof l === 'number' && typeof r === 'number') return { ...left, values: fn(l, r), aggregated: left.aggregated || right.aggregated };
  if (typeof l === 'number')
    return { ...right, values: mapRows(r as number[][], (row) => row.map((v) => fn(l, v))), aggregated: left.aggregated || right.aggregated };
  if (typeof r === 'number') return { ...left, values: mapRows(l, (row) => row.map((v) => fn(v, r))), aggregated: left.aggregated || right.aggregated };
  if (!sameTimes(left.times, right.times) || left.granularity !== right.granularity)
    throw unaggregable(references, `Can't compute timeseries with different granularity ${left.granularity} <> ${right.granularity}`);
  if (l.length !== r.length && l.length !== 1 && r.length !== 1)
    throw unaggregable(references, `operands could not be broadcast together with shapes (${l.length}) (${r.length})`);
  const count = Math.max(l.length, r.length);
  const values = Array.from({ length: count }, (_, s) => {
    const a = l[l.length === 1 ? 0 : s]!;
    const b = r[r.length === 1 ? 0 : s]!;
    return a.map((v, t) => fn(v, b[t]!));
  });
  return { granularity: left.granularity, times: left.times, values, aggregated: true };
}

function rows(value: Evaluated, references: Reference[]): number[][] {
  if (typeof value.values === 'number') throw unaggregable(references, 'Operation needs a timeseries, got a number');
  return value.values;
}

/** A rate method reduces, then takes the difference between consecutive results (its first point has none). */
function reduceThenRate(method: string, times: number[], series: number[][], reduceAt: (row: number[], reducer: (v: number[]) => number) => number[]) {
  const { base, rate } = splitRate(method);
  const reducer = acrossReducer(base)!;
  const reduced = series.map((row) => reduceAt(row, reducer));
  return rate ? { times: times.slice(1), values: reduced.map(diff) } : { times, values: reduced };
}

function resampleRow(times: number[], row: number[], method: string, sampling: Sampling): { times: number[]; values: number[] } {
  const { base, rate } = splitRate(method);
  const source = rate ? diff(row) : row;
  const sourceTimes = rate ? times.slice(1) : times;
  const reducer = periodReducer(base)!;
  const buckets = new Map<number, number[]>();
  sourceTimes.forEach((t, i) => {
    const bucket = periodStart(t, sampling);
    const list = buckets.get(bucket) ?? [];
    list.push(source[i]!);
    buckets.set(bucket, list);
  });
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  return { times: keys, values: keys.map((k) => reducer(buckets.get(k)!)) };
}

export function evaluate(node: OperationNode, grid: Grid): Evaluated {
  const refs = grid.references;
  switch (node.kind) {
    case 'number':
      return { granularity: grid.granularity, times: grid.times, values: node.value, aggregated: false };
    case 'metric': {
      const picked = grid.references.flatMap((ref, i) => (node.references.some(([n, a]) => n === ref[0] && a === ref[1]) ? [grid.rows[i]!] : []));
      return { granularity: grid.granularity, times: grid.times, values: picked, aggregated: false };
    }
    case 'binary':
      return combine(node.op, evaluate(node.left, grid), evaluate(node.right, grid), refs);
    case 'clip': {
      const low = combine('clip_min', evaluate(node.operand, grid), evaluate(node.min, grid), refs);
      return node.max ? combine('clip_max', low, evaluate(node.max, grid), refs) : low;
    }
    case 'unary': {
      const inner = evaluate(node.operand, grid);
      if (node.op === 'rateofchange') return { ...inner, times: inner.times.slice(1), values: rows(inner, refs).map(diff) };
      if (node.op === 'rateofchangesec') {
        const perSecond = rows(inner, refs).map((row) => row.map((v, t) => (t === 0 ? NaN : (v - row[t - 1]!) / (inner.times[t]! - inner.times[t - 1]!))));
        return { ...inner, values: perSecond };
      }
      const fn = UNARY[node.op]!;
      return { ...inner, values: typeof inner.values === 'number' ? fn(inner.values) : inner.values.map((row) => row.map(fn)) };
    }
    case 'aggregate': {
      const inner = evaluate(node.operand, grid);
      const series = rows(inner, refs);
      const { base, rate } = splitRate(node.method);
      const reducer = acrossReducer(base)!;
      const across = inner.times.map((_, t) => reducer(series.map((row) => row[t]!)));
      return { granularity: inner.granularity, times: rate ? inner.times.slice(1) : inner.times, values: [rate ? diff(across) : across], aggregated: true };
    }
    case 'rolling': {
      const inner = evaluate(node.operand, grid);
      const series = rows(inner, refs);
      if (node.window > inner.times.length) throw unaggregable(refs, `Rolling window '${node.window}' is greater than serie length '${inner.times.length}'`);
      const window = node.window;
      const rolled = reduceThenRate(node.method, inner.times.slice(window - 1), series, (row, reducer) =>
        row.slice(window - 1).map((_, i) => reducer(row.slice(i, i + window))),
      );
      return { granularity: inner.granularity, times: rolled.times, values: rolled.values, aggregated: inner.aggregated };
    }
    case 'resample': {
      const inner = evaluate(node.operand, grid);
      const resampled = rows(inner, refs).map((row) => resampleRow(inner.times, row, node.method, node.sampling));
      return { granularity: node.sampling, times: resampled[0]?.times ?? [], values: resampled.map((r) => r.values), aggregated: inner.aggregated };
    }
  }
}
