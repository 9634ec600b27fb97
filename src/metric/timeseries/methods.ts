/**
 * Gnocchi's aggregation methods over the values of one period: the names an
 * archive policy lists (`mean`, `95pct`, `rate:max`, ...) parsed once into a
 * reducer. A reducer returns null where Gnocchi stores no point (the sample
 * standard deviation of a single value).
 */

export type PeriodReducer = (valuesInTimeOrder: readonly number[]) => number | null;

export interface ParsedMethod {
  /** Aggregates the consecutive differences of the raw points instead of the points (`rate:<method>`). */
  rate: boolean;
  reduce: PeriodReducer;
}

const PERCENTILE = /^([1-9][0-9]?)pct$/;

const REDUCERS: Record<string, PeriodReducer> = {
  mean: (values) => sum(values) / values.length,
  sum,
  // Loops, not Math.min(...values): a period of a fine stream can hold more values than a call takes arguments.
  min: (values) => values.reduce((a, b) => (b < a ? b : a)),
  max: (values) => values.reduce((a, b) => (b > a ? b : a)),
  count: (values) => values.length,
  first: (values) => values[0] ?? null,
  last: (values) => values[values.length - 1] ?? null,
  median: (values) => {
    const sorted = ascending(values);
    const lower = Math.floor((sorted.length - 1) / 2);
    return ((sorted[lower] as number) + (sorted[sorted.length - 1 - lower] as number)) / 2;
  },
  std: (values) => {
    if (values.length < 2) return null;
    const mean = sum(values) / values.length;
    let squares = 0;
    for (const value of values) squares += (value - mean) ** 2;
    return Math.sqrt(squares / (values.length - 1));
  },
};

/** The method's reducer, or null when Gnocchi knows no such method. */
export function parseMethod(name: string): ParsedMethod | null {
  const rate = name.startsWith('rate:');
  const base = rate ? name.slice('rate:'.length) : name;
  const percentile = PERCENTILE.exec(base);
  if (percentile) return { rate, reduce: (values) => quantile(values, Number(percentile[1])) };
  const reduce = Object.hasOwn(REDUCERS, base) ? REDUCERS[base] : undefined;
  return reduce ? { rate, reduce } : null;
}

/** numpy's default (linear) interpolation between the two closest ranks. */
function quantile(values: readonly number[], percent: number): number {
  const sorted = ascending(values);
  const position = (sorted.length - 1) * (percent / 100);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  if (below === above) return low;
  return low * (above - position) + (sorted[above] as number) * (position - below);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
