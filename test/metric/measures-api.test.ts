/**
 * The measures API over the real engine and a stand-in index: pushes (single,
 * batches, create_metrics), reads with Gnocchi's parameters and errors,
 * /v1/aggregates in both reference modes with groupby, the legacy
 * /v1/aggregation, capabilities and status.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../../src/core/json.js';
import { openMeasuresBed, POLICY } from './measures-bed.js';

const M1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const M2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const R1 = 'b1b2c3d4-0000-4000-8000-000000000001';
const R2 = 'b1b2c3d4-0000-4000-8000-000000000002';
const at = (minute: number, second = 0) => `2026-12-06T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}`;
const printed = (minute: number) => `2026-12-06T10:${String(minute).padStart(2, '0')}:00+00:00`;
const description = (json: Json) => (json as { description: Json }).description;

test("push and read one metric: 202, refresh, granularity, start/stop, resample and Gnocchi's errors", async (t) => {
  const bed = await openMeasuresBed(t);
  bed.addMetric(M1);
  const push = await bed.call('POST', `/metric/v1/metric/${M1}/measures`, [
    { timestamp: at(0, 10), value: 1 },
    { timestamp: at(0, 40), value: 3 },
    { timestamp: Date.parse(`${at(1)}Z`) / 1000, value: 5 },
    { timestamp: `${Date.parse(`${at(6)}Z`) / 1000}`, value: 7 },
  ]);
  assert.equal(push.status, 202);
  const all = await bed.call('GET', `/metric/v1/metric/${M1}/measures?refresh=true`);
  assert.equal(all.status, 200);
  assert.deepEqual(all.json, [
    [printed(0), 300, 3],
    [printed(5), 300, 7],
    [printed(0), 60, 2],
    [printed(1), 60, 5],
    [printed(6), 60, 7],
  ]);
  const fine = await bed.call('GET', `/metric/v1/metric/${M1}/measures?granularity=60&aggregation=max&start=${at(1)}&stop=${at(6)}`);
  assert.deepEqual(fine.json, [[printed(1), 60, 5]]);
  const resampled = await bed.call('GET', `/metric/v1/metric/${M1}/measures?granularity=60&resample=600&aggregation=sum`);
  assert.deepEqual(resampled.json, [[printed(0), 600, 16]]);

  const noMethod = await bed.call('GET', `/metric/v1/metric/${M1}/measures?aggregation=wtf`);
  assert.equal(noMethod.status, 404);
  assert.deepEqual(description(noMethod.json), {
    cause: 'Aggregation method does not exist for this metric',
    detail: { metric: M1, aggregation_method: 'wtf' },
  });
  const noGranularity = await bed.call('GET', `/metric/v1/metric/${M1}/measures?granularity=42`);
  assert.equal(noGranularity.status, 404);
  assert.equal(description(noGranularity.json), `Aggregation method 'mean' at granularity '42.0' for metric ${M1} does not exist`);
  const badGranularity = await bed.call('GET', `/metric/v1/metric/${M1}/measures?granularity=foobar`);
  assert.deepEqual(description(badGranularity.json), { cause: 'Argument value error', detail: 'granularity', reason: 'Unable to parse timespan' });
  const resampleAlone = await bed.call('GET', `/metric/v1/metric/${M1}/measures?resample=60`);
  assert.equal(description(resampleAlone.json), 'A granularity must be specified to resample');
  const beforeEpoch = await bed.call('POST', `/metric/v1/metric/${M1}/measures`, [{ timestamp: '1915-03-06T14:33:57', value: 1 }]);
  assert.equal(beforeEpoch.status, 400);
  assert.match(JSON.stringify(beforeEpoch.json), /Timestamp must be after Epoch/);
  const unknown = await bed.call('POST', `/metric/v1/metric/fake/measures`, [{ timestamp: at(0), value: 1 }]);
  assert.equal(unknown.status, 404);
  assert.equal(description(unknown.json), 'Metric fake does not exist');
});

test('batches: by metric id, by resource with and without create_metrics', async (t) => {
  const bed = await openMeasuresBed(t);
  bed.addMetric(M1);
  bed.addResource(R1, {}, { cpu: M2 });
  const unknownId = 'c0000000-0000-4000-8000-000000000000';
  const missing = await bed.call('POST', '/metric/v1/batch/metrics/measures', { [M1]: [{ timestamp: at(0), value: 1 }], [unknownId]: [] });
  assert.equal(missing.status, 400);
  assert.equal(description(missing.json), `Unknown metrics: ${unknownId}`);
  assert.equal((await bed.call('POST', '/metric/v1/batch/metrics/measures', { [M1]: [{ timestamp: at(0), value: 1 }] })).status, 202);
  const readonly = 'c0000000-0000-4000-8000-00000000000f';
  bed.addMetric(readonly, 'readonly');
  assert.equal((await bed.call('POST', '/metric/v1/batch/metrics/measures', { [M1]: [], [readonly]: [{ timestamp: at(0), value: 1 }] })).status, 403);
  assert.equal((await bed.call('POST', `/metric/v1/metric/${readonly}/measures`, [{ timestamp: at(0), value: 1 }])).status, 403);

  const body = { [R1]: { cpu: [{ timestamp: at(0), value: 4 }], disk: { archive_policy_name: 'low', measures: [{ timestamp: at(0), value: 9 }] } } };
  const refused = await bed.call('POST', '/metric/v1/batch/resources/metrics/measures', body);
  assert.equal(refused.status, 400);
  assert.equal(description(refused.json), `Unknown metrics: ${R1}/disk`);
  assert.equal((await bed.call('POST', '/metric/v1/batch/resources/metrics/measures?create_metrics=true', body)).status, 202);
  const disk = await bed.call('GET', `/metric/v1/resource/generic/${R1}/metric/disk/measures?refresh=true&granularity=60`);
  assert.deepEqual(disk.json, [[printed(0), 60, 9]]);
  const ghost = await bed.call('POST', '/metric/v1/batch/resources/metrics/measures?create_metrics=true', { [R2]: { cpu: [] } });
  assert.equal(ghost.status, 400);
  assert.deepEqual(description(ghost.json), { cause: 'Unknown resources', detail: [{ resource_id: R2, original_resource_id: R2 }] });
});

test('/v1/aggregates by metric ids and by resource search with groupby; legacy /v1/aggregation', async (t) => {
  const bed = await openMeasuresBed(t);
  bed.addResource(R1, { host: 'a' }, { cpu: M1 });
  bed.addResource(R2, { host: 'b' }, { cpu: M2 });
  await bed.call('POST', '/metric/v1/batch/metrics/measures', {
    [M1]: [
      { timestamp: at(0), value: 2 },
      { timestamp: at(1), value: 4 },
    ],
    [M2]: [
      { timestamp: at(0), value: 10 },
      { timestamp: at(1), value: 20 },
    ],
  });
  await bed.engine.refresh([M1, M2], async () => POLICY);

  const summed = await bed.call('POST', '/metric/v1/aggregates?granularity=60', { operations: `(aggregate sum (metric (${M1} mean) (${M2} mean)))` });
  assert.equal(summed.status, 200);
  assert.deepEqual(summed.json, {
    measures: {
      aggregated: [
        [printed(0), 60, 12],
        [printed(1), 60, 24],
      ],
    },
  });
  const scaled = await bed.call('POST', '/metric/v1/aggregates?granularity=60', { operations: ['*', 2, ['metric', M1, 'mean']] });
  assert.deepEqual(scaled.json, {
    measures: {
      [M1]: {
        mean: [
          [printed(0), 60, 4],
          [printed(1), 60, 8],
        ],
      },
    },
  });
  const unknown = await bed.call('POST', '/metric/v1/aggregates', { operations: `(metric c0000000-0000-4000-8000-000000000000 mean)` });
  assert.equal(unknown.status, 404);
  assert.equal((description(unknown.json) as { cause: string }).cause, 'Unknown metrics');
  const badOp = await bed.call('POST', '/metric/v1/aggregates', { operations: `(notexist (metric ${M1} mean))` });
  assert.equal(badOp.status, 400);

  const grouped = await bed.call('POST', '/metric/v1/aggregates?groupby=host&granularity=60', {
    resource_type: 'generic',
    search: {},
    operations: '(aggregate max (metric cpu mean))',
  });
  assert.deepEqual(grouped.json, [
    {
      group: { host: 'a' },
      measures: {
        measures: {
          aggregated: [
            [printed(0), 60, 2],
            [printed(1), 60, 4],
          ],
        },
      },
    },
    {
      group: { host: 'b' },
      measures: {
        measures: {
          aggregated: [
            [printed(0), 60, 10],
            [printed(1), 60, 20],
          ],
        },
      },
    },
  ]);
  const byName = await bed.call('POST', '/metric/v1/aggregates?granularity=60', {
    resource_type: 'generic',
    search: { '=': { host: 'a' } },
    operations: '(metric cpu mean)',
  });
  assert.deepEqual(byName.json, {
    measures: {
      [R1]: {
        cpu: {
          mean: [
            [printed(0), 60, 2],
            [printed(1), 60, 4],
          ],
        },
      },
    },
  });
  const detailed = await bed.call('POST', '/metric/v1/aggregates?granularity=60&details=true', {
    resource_type: 'generic',
    search: { '=': { host: 'b' } },
    operations: '(aggregate sum (metric cpu mean))',
  });
  assert.deepEqual((detailed.json as { references: Json }).references, [{ id: R2 }]);
  const noMetric = await bed.call('POST', '/metric/v1/aggregates', { resource_type: 'generic', search: {}, operations: '(metric mem mean)' });
  assert.equal(noMetric.status, 404);
  assert.equal(description(noMetric.json), "Metric ['mem'] does not exist");

  const legacy = await bed.call('GET', `/metric/v1/aggregation/metric?metric=${M1}&metric=${M2}&granularity=60&aggregation=mean`);
  assert.deepEqual(legacy.json, [
    [printed(0), 60, 6],
    [printed(1), 60, 12],
  ]);
  const legacyResource = await bed.call('POST', '/metric/v1/aggregation/resource/generic/metric/cpu?groupby=host&granularity=60&reaggregation=sum', {});
  assert.equal(legacyResource.status, 200);
  assert.equal((legacyResource.json as unknown[]).length, 2);
});

test('capabilities list every method; status reports the backlog to admins', async (t) => {
  const bed = await openMeasuresBed(t);
  const capabilities = (await bed.call('GET', '/metric/v1/capabilities')).json as { aggregation_methods: string[] };
  for (const method of ['mean', 'rate:last', '95pct', 'count']) assert.ok(capabilities.aggregation_methods.includes(method), method);
  bed.addMetric(M1);
  await bed.call('POST', `/metric/v1/metric/${M1}/measures`, [{ timestamp: at(0), value: 1 }]);
  const status = await bed.call('GET', '/metric/v1/status');
  assert.equal(status.status, 200);
  const summary = (status.json as { storage: { summary: { measures: number; metrics: number } } }).storage.summary;
  assert.ok(summary.measures <= 1 && summary.metrics <= 1);
});
