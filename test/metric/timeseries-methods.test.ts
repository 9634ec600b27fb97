/** The aggregation methods on hand-computed values (numpy's results), and the names Gnocchi refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMethod } from '../../src/metric/timeseries/methods.js';

function reduce(method: string, values: number[]): number | null {
  const parsed = parseMethod(method);
  assert.ok(parsed, `${method} parses`);
  return parsed.reduce(values);
}

test('each method over one period', () => {
  const values = [4, 1, 3, 2];
  assert.equal(reduce('mean', values), 2.5);
  assert.equal(reduce('sum', values), 10);
  assert.equal(reduce('min', values), 1);
  assert.equal(reduce('max', values), 4);
  assert.equal(reduce('count', values), 4);
  assert.equal(reduce('first', values), 4);
  assert.equal(reduce('last', values), 2);
  assert.equal(reduce('median', values), 2.5);
  assert.equal(reduce('median', [5, 1, 3]), 3);
  // numpy.percentile([1, 2, 3, 4], 95) and 10: linear interpolation between ranks.
  assert.ok(Math.abs((reduce('95pct', values) as number) - 3.85) < 1e-12);
  assert.ok(Math.abs((reduce('10pct', values) as number) - 1.3) < 1e-12);
  assert.equal(reduce('50pct', [7]), 7);
  // Sample standard deviation (ddof=1); one value has none, so Gnocchi stores no point.
  assert.ok(Math.abs((reduce('std', [2, 4, 4, 4, 5, 5, 7, 9]) as number) - Math.sqrt(32 / 7)) < 1e-12);
  assert.equal(reduce('std', [3]), null);
});

test('rate: methods aggregate differences', () => {
  assert.deepEqual(parseMethod('rate:95pct')?.rate, true);
  assert.deepEqual(parseMethod('mean')?.rate, false);
});

test('names Gnocchi does not know parse to null', () => {
  for (const name of ['average', '0pct', '100pct', '5.5pct', 'rate:', 'rate:rate:mean', 'toString', 'constructor', 'pct'])
    assert.equal(parseMethod(name), null, name);
});

test('a period larger than a call takes arguments still has a min and max', () => {
  const values = Array.from({ length: 300_000 }, (_, i) => i % 1000);
  assert.equal(reduce('min', values), 0);
  assert.equal(reduce('max', values), 999);
});
