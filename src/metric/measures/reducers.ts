/**
 * Aggregation methods as reducers of a list of values. Two families, as in
 * Gnocchi: the methods an archive policy aggregates a period with (carbonara:
 * `std` is the sample deviation, a period of one value has none), and the
 * methods `aggregate` and `rolling` apply across series (numpy's NaN-skipping
 * reducers: `std` and `var` over the population, `sum` of nothing is 0).
 */

/** A reducer answers NaN when the values make no point (e.g. a sample std of one value). */
type Reducer = (values: number[]) => number;

const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
const mean = (values: number[]) => (values.length ? sum(values) / values.length : NaN);

function quantile(values: number[], percent: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * (percent / 100);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

function deviation(values: number[], delta: number): number {
  if (values.length - delta <= 0) return NaN;
  const average = mean(values);
  return Math.sqrt(sum(values.map((v) => (v - average) ** 2)) / (values.length - delta));
}

const extreme = (pick: (a: number, b: number) => number) => (values: number[]) => (values.length ? values.reduce((a, b) => pick(a, b)) : NaN);

const COMMON: Record<string, Reducer> = {
  mean,
  sum,
  min: extreme(Math.min),
  max: extreme(Math.max),
  median: (values) => quantile(values, 50),
  count: (values) => values.length,
};

/** Carbonara's methods for points of one period (resampling, a policy's aggregation). */
const PERIOD: Record<string, Reducer> = {
  ...COMMON,
  std: (values) => deviation(values, 1),
  first: (values) => (values.length ? values[0]! : NaN),
  last: (values) => (values.length ? values[values.length - 1]! : NaN),
};

/** numpy's NaN-skipping reducers (`aggregate` and `rolling`). */
const ACROSS: Record<string, Reducer> = {
  ...COMMON,
  std: (values) => deviation(values, 0),
  var: (values) => deviation(values, 0) ** 2,
};

const PERCENTILE = /^([1-9]\d?)pct$/;

/** The base method of `rate:<method>` and whether it is a rate. */
export function splitRate(method: string): { base: string; rate: boolean } {
  return method.startsWith('rate:') ? { base: method.slice(5), rate: true } : { base: method, rate: false };
}

/** A period reducer (NaN values skipped), or null for a name carbonara lacks. */
export function periodReducer(method: string): Reducer | null {
  const percentile = PERCENTILE.exec(method);
  const reducer = percentile ? (values: number[]) => quantile(values, Number(percentile[1])) : PERIOD[method];
  return reducer ? (values) => reducer(values.filter((v) => !Number.isNaN(v))) : null;
}

/** A reducer across series (NaN values skipped), or null for a name numpy's map lacks. */
export function acrossReducer(method: string): Reducer | null {
  const reducer = ACROSS[method];
  if (!reducer) return null;
  return (values) => {
    const present = values.filter((v) => !Number.isNaN(v));
    // numpy's nanmean & co answer NaN for a slice of nothing but NaN; nansum 0 and count 0.
    if (present.length === 0 && method !== 'sum' && method !== 'count') return NaN;
    return reducer(present);
  };
}

/** The names `aggregate` and `rolling` accept: numpy's reducers and their rates. */
export const ACROSS_METHODS: string[] = Object.keys(ACROSS).flatMap((name) => [name, `rate:${name}`]);

/** The names `resample` accepts (carbonara's, without `var` but with the percentiles). */
export const RESAMPLE_METHODS: string[] = [
  ...ACROSS_METHODS.filter((name) => name !== 'var' && name !== 'rate:var'),
  'last',
  'first',
  ...Array.from({ length: 99 }, (_, i) => `${i + 1}pct`),
];

/** Every method an archive policy may name (Gnocchi's capabilities). */
export const VALID_AGGREGATION_METHODS: string[] = (() => {
  const base = ['mean', 'sum', 'last', 'max', 'min', 'std', 'median', 'first', 'count', ...Array.from({ length: 99 }, (_, i) => `${i + 1}pct`)];
  return [...base, ...base.map((name) => `rate:${name}`)].sort();
})();
