/**
 * The measure half of the metric door as Ceilometer's publisher and Aodh's
 * evaluator call it (no HTTP): the batch push with create_metrics, reads by
 * id and by resource, aggregates, and the legacy cross-metric aggregation
 * with re-aggregation and resampling.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFound } from '../../src/core/errors.js';
import { GnocchiNotFound } from '../../src/metric/measures/errors.js';
import { openMeasuresBed } from './measures-bed.js';

const R1 = 'd1b2c3d4-0000-4000-8000-000000000001';
const M1 = 'e1b2c3d4-0000-4000-8000-000000000001';
const T0 = Date.UTC(2026, 11, 6, 10) / 1000;

test('the door: publisher push with create_metrics, reads, aggregates, legacy aggregation', async (t) => {
  const bed = await openMeasuresBed(t);
  bed.addResource(R1, { host: 'a' }, { cpu: M1 });
  const minutes = (values: number[]) => values.map((value, i) => ({ timestamp: T0 + 60 * i, value }));
  await bed.door.pushResourceMeasures(
    bed.caller,
    [
      { resourceId: R1, metricName: 'cpu', measures: minutes([1, 2, 3, 4, 5]) },
      { resourceId: R1, metricName: 'memory', measures: minutes([10, 20, 30, 40, 50]), archivePolicyName: 'low' },
    ],
    true,
  );
  const cpu = await bed.door.metricMeasures(bed.caller, M1, { aggregation: 'mean', granularity: 60, refresh: true });
  assert.deepEqual(
    cpu.map((p) => p.value),
    [1, 2, 3, 4, 5],
  );
  const memory = await bed.door.resourceMetricMeasures(bed.caller, 'generic', R1, 'memory', { aggregation: 'max', granularity: 300, refresh: true });
  assert.deepEqual(memory, [{ timestamp: T0, granularity: 300, value: 50 }]);
  await assert.rejects(bed.door.resourceMetricMeasures(bed.caller, 'generic', R1, 'disk', { aggregation: 'mean' }), GnocchiNotFound);
  await assert.rejects(bed.door.resourceMetricMeasures(bed.caller, 'generic', 'nope', 'cpu', { aggregation: 'mean' }), NotFound);

  const ratio = await bed.door.aggregates(bed.caller, {
    operations: '(/ (metric memory mean) (metric cpu mean))',
    resourceType: 'generic',
    search: { '=': { host: 'a' } },
    granularity: 60,
  });
  const aggregated = (ratio as { measures: { aggregated: Array<[string, number, number]> } }).measures.aggregated;
  assert.deepEqual(
    aggregated.map(([, , value]) => value),
    [10, 10, 10, 10, 10],
  );
  const rolling = await bed.door.aggregates(bed.caller, { operations: ['rolling', 'sum', 2, ['metric', M1, 'mean']], granularity: 60 });
  assert.deepEqual(
    ((rolling as { measures: Record<string, { mean: Array<[string, number, number]> }> }).measures[M1]!.mean ?? []).map(([, , v]) => v),
    [3, 5, 7, 9],
  );

  const legacy = await bed.call('GET', `/metric/v1/aggregation/metric?metric=${M1}&granularity=60&resample=120&aggregation=max`);
  assert.deepEqual(
    (legacy.json as Array<[string, number, number]>).map(([, g, v]) => [g, v]),
    [
      [120, 2],
      [120, 4],
      [120, 5],
    ],
  );
});
