import { test } from 'node:test';
import type { Json } from '../../src/core/json.js';
import assert from 'node:assert/strict';
import { crossAggregate, type SeriesInput } from '../../src/metric/measures/cross-series.js';
import { GnocchiBadRequest } from '../../src/metric/measures/errors.js';
import { evaluate, type Grid } from '../../src/metric/measures/operations-evaluate.js';
import { parseOperations, readNestedLists, referencesOf } from '../../src/metric/measures/operations-parse.js';
import type { AggregatedPoint } from '../../src/metric/timeseries/types.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function grid(rows: number[][], times = rows[0]!.map((_, i) => i * 60), granularity = 60): Grid {
  return {
    granularity,
    times,
    rows,
    references: [
      [A, 'mean'],
      [B, 'mean'],
    ].slice(0, rows.length) as Grid['references'],
  };
}

const run = (text: string, g: Grid) => evaluate(parseOperations(text), g);

test('the string form reads as nested lists, with quoted words kept whole', () => {
  assert.deepEqual(readNestedLists(`(aggregate mean (metric ${A} mean))`), ['aggregate', 'mean', ['metric', A, 'mean']]);
  assert.deepEqual(readNestedLists('(metric ("cpu util" mean) (mem max))'), ['metric', ['cpu util', 'mean'], ['mem', 'max']]);
  assert.throws(
    () => readNestedLists('(aggregate mean (metric x mean)'),
    (e: unknown) => e instanceof GnocchiBadRequest && /Fail to parse/.test(JSON.stringify(e.description)),
  );
});

test('the JSON list form and the string form give the same tree; references are listed once, in order', () => {
  const fromString = parseOperations(`(+ (metric ${A} mean) (* 2 (metric (${B} mean) (${A} mean))))`);
  const fromJson = parseOperations(['+', ['metric', A, 'mean'], ['*', 2, ['metric', [B, 'mean'], [A, 'mean']]]]);
  assert.deepEqual(fromString, fromJson);
  assert.deepEqual(referencesOf(fromString), [
    [A, 'mean'],
    [B, 'mean'],
  ]);
});

test("unknown operators, bad methods and bad shapes are refused with Gnocchi's 400", () => {
  for (const bad of [
    `(notexist (absolute (metric ${A} mean)))`,
    `(aggregate last (metric ${A} mean))`,
    `(rolling mean 0 (metric ${A} mean))`,
    '(metric a)',
    '(resample mean foo (metric a mean))',
  ])
    assert.throws(
      () => parseOperations(bad),
      (e: unknown) => e instanceof GnocchiBadRequest && e.status === 400,
      bad,
    );
});

test('refusals are worded as Gnocchi words them', () => {
  const reason = (operations: Json) => {
    try {
      parseOperations(operations);
    } catch (e) {
      return ((e as GnocchiBadRequest).description as { reason: string }).reason;
    }
    return null;
  };
  assert.equal(reason([]), "Operation must not be empty for dictionary value @ data['operations']");
  assert.equal(reason({ foo: 'bar' }), "Expected a tuple/list, got a <class 'dict'> for dictionary value @ data['operations']");
  assert.equal(reason(['metric']), "Operation need at least one argument for dictionary value @ data['operations']");
  assert.equal(reason(`(rolling blah 2 (metric ${A} mean))`), "'rolling' operation invalid for dictionary value @ data['operations']");
  assert.equal(reason(`(notexist (absolute (metric ${A} mean)))`), "'notexist' operation invalid for dictionary value @ data['operations']");
});

test('arithmetic, unary and comparison operators apply point by point, numbers broadcast', () => {
  const g = grid([[1, -2, 3]]);
  assert.deepEqual(run(`(* 2 (metric ${A} mean))`, g).values, [[2, -4, 6]]);
  assert.deepEqual(run(`(abs (metric ${A} mean))`, g).values, [[1, 2, 3]]);
  assert.deepEqual(run(`(neg (metric ${A} mean))`, g).values, [[-1, 2, -3]]);
  assert.deepEqual(run(`(% (metric ${A} mean) 2)`, g).values, [[1, 0, 1]]);
  assert.deepEqual(run(`(** (metric ${A} mean) 2)`, g).values, [[1, 4, 9]]);
  assert.deepEqual(run(`(>= (metric ${A} mean) 1)`, g).values, [[1, 0, 1]]);
  assert.deepEqual(run(`(clip (metric ${A} mean) 0 2)`, g).values, [[1, 0, 2]]);
  assert.deepEqual(run(`(clip_min (metric ${A} mean) 0)`, g).values, [[1, 0, 3]]);
  assert.equal(run(`(* 2 (metric ${A} mean))`, g).aggregated, false);
});

test('two series combine point by point and count as aggregated', () => {
  const result = run(
    `(- (metric ${A} mean) (metric ${B} mean))`,
    grid([
      [5, 6, 7],
      [1, 2, 4],
    ]),
  );
  assert.deepEqual(result.values, [[4, 4, 3]]);
  assert.equal(result.aggregated, true);
});

test('aggregate reduces across series skipping gaps; its rate form differentiates', () => {
  const g = grid([
    [1, NaN, 9],
    [3, 4, 5],
  ]);
  const values = (text: string) => run(text, g).values as number[][];
  assert.deepEqual(values(`(aggregate mean (metric (${A} mean) (${B} mean)))`), [[2, 4, 7]]);
  assert.deepEqual(values(`(aggregate sum (metric (${A} mean) (${B} mean)))`), [[4, 4, 14]]);
  assert.deepEqual(values(`(aggregate count (metric (${A} mean) (${B} mean)))`), [[2, 1, 2]]);
  assert.deepEqual(values(`(aggregate max (metric (${A} mean) (${B} mean)))`), [[3, 4, 9]]);
  assert.deepEqual(values(`(aggregate std (metric (${A} mean) (${B} mean)))`), [[1, 0, 2]]);
  const rate = run(`(aggregate rate:sum (metric (${A} mean) (${B} mean)))`, g);
  assert.deepEqual(rate.values, [[0, 10]]);
  assert.deepEqual(rate.times, [60, 120]);
});

test('rolling windows and resampling', () => {
  const g = grid([[1, 2, 3, 4, 5, 6]]);
  const rolled = run(`(rolling sum 3 (metric ${A} mean))`, g);
  assert.deepEqual(rolled.values, [[6, 9, 12, 15]]);
  assert.deepEqual(rolled.times, [120, 180, 240, 300]);
  assert.throws(
    () => run(`(rolling sum 7 (metric ${A} mean))`, g),
    (e: unknown) => e instanceof GnocchiBadRequest && /greater than serie length '6'/.test(e.message),
  );
  const resampled = run(`(resample max 180 (metric ${A} mean))`, g);
  assert.equal(resampled.granularity, 180);
  assert.deepEqual(resampled.times, [0, 180]);
  assert.deepEqual(resampled.values, [[3, 6]]);
  const change = run(`(rateofchangesec (metric ${A} mean))`, grid([[0, 60, 180]]));
  assert.deepEqual((change.values as number[][])[0]!.slice(1), [1, 2]);
});

function input(id: string, points: Array<[number, number]>, granularity = 60): SeriesInput {
  const list: AggregatedPoint[] = points.map(([timestamp, value]) => ({ timestamp, granularity, value }));
  return { lookup: [id, 'mean'], metricId: id, metricName: null, resourceId: null, aggregation: 'mean', points: new Map([[granularity, list]]) };
}

test('cross aggregation: overlap rule, fills and the answer shapes', () => {
  const a = input(A, [
    [0, 1],
    [60, 2],
    [120, 3],
  ]);
  const b = input(B, [
    [60, 10],
    [120, 20],
    [180, 30],
  ]);
  const tree = parseOperations(`(aggregate sum (metric (${A} mean) (${B} mean)))`);
  // No fill and 100% overlap needed: the answer is where both exist, and only if they overlap entirely there.
  const strict = crossAggregate(tree, [a, b], [60], { neededOverlap: 0, fill: null });
  assert.deepEqual(strict, {
    aggregated: [
      ['1970-01-01T00:01:00+00:00', 60, 12],
      ['1970-01-01T00:02:00+00:00', 60, 23],
    ],
  });
  assert.throws(() => crossAggregate(tree, [a, b], [60], { neededOverlap: 100, fill: null, start: 0 }), /Less than 100.000000% of datapoints overlap/);
  const filled = crossAggregate(tree, [a, b], [60], { neededOverlap: 100, fill: 0 });
  assert.deepEqual(
    (filled.aggregated as unknown[]).map((p) => (p as unknown[])[2]),
    [1, 12, 23, 30],
  );
  const carried = crossAggregate(tree, [a, b], [60], { neededOverlap: 100, fill: 'ffill' });
  assert.deepEqual(
    (carried.aggregated as unknown[]).map((p) => (p as unknown[])[2]),
    [1, 12, 23, 33],
  );
  const perMetric = crossAggregate(parseOperations(`(metric (${A} mean) (${B} mean))`), [a, b], [60], { neededOverlap: 100, fill: 'dropna' });
  assert.deepEqual(Object.keys(perMetric), [A, B]);
  assert.deepEqual((perMetric[A] as Record<string, unknown[]>).mean!.length, 3);
  assert.throws(() => crossAggregate(tree, [input(A, [[0, 1]]), input(B, [[60, 1]])], [60], { neededOverlap: 100, fill: null }), /No overlap/);
});
