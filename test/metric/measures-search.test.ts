/**
 * Gnocchi's measure search (`POST /v1/search/metric`) and calendar
 * resampling (`resample=Y|H|Q|M|W`) over a real server, with a daily
 * archive policy and the measures of Gnocchi's own calendar scenario.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { calendarGroupStart } from '../../src/metric/measures/calendar.js';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
let metricId: string;
let otherId: string;

const MEASURES = [
  ['2015-03-01T14:34:12', 10],
  ['2015-03-06T14:34:12', 12],
  ['2015-04-01T14:34:12', 2],
  ['2015-04-06T14:34:12', 4],
  ['2015-10-06T14:34:12', 7],
  ['2016-01-06T14:34:12', 12],
  ['2016-02-06T14:34:12', 4],
] as const;

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  const policy = await cloud.request('POST', '/metric/v1/archive_policy', {
    token: admin,
    body: { name: 'daily', definition: [{ granularity: '1 day' }], aggregation_methods: ['mean', 'max'] },
  });
  assert.equal(policy.status, 201, policy.text);
  const create = async () => {
    const metric = await cloud.request('POST', '/metric/v1/metric', { token: admin, body: { archive_policy_name: 'daily' } });
    assert.equal(metric.status, 201, metric.text);
    return metric.body.id as string;
  };
  metricId = await create();
  otherId = await create();
  const pushed = await cloud.request('POST', `/metric/v1/metric/${metricId}/measures`, {
    token: admin,
    body: MEASURES.map(([timestamp, value]) => ({ timestamp, value })),
  });
  assert.equal(pushed.status, 202);
  await cloud.request('POST', `/metric/v1/metric/${otherId}/measures`, { token: admin, body: [{ timestamp: '2015-03-01T10:00:00', value: 1 }] });
  for (const id of [metricId, otherId]) await cloud.request('GET', `/metric/v1/metric/${id}/measures?refresh=true`, { token: admin });
});
after(() => cloud.close());

const day = (date: string) => `${date}T00:00:00+00:00`;
const measures = async (query: string) => cloud.request('GET', `/metric/v1/metric/${metricId}/measures?${query}`, { token: admin });

test('calendar groups start on the first day of the year, half, quarter, month and on Sunday', () => {
  const at = (text: string) => Date.parse(`${text}Z`) / 1000;
  const start = (text: string, group: 'Y' | 'H' | 'Q' | 'M' | 'W') => new Date(calendarGroupStart(at(text), group) * 1000).toISOString().slice(0, 10);
  assert.equal(start('2015-10-06T14:34:12', 'Y'), '2015-01-01');
  assert.equal(start('2015-10-06T14:34:12', 'H'), '2015-07-01');
  assert.equal(start('2015-05-31T23:59:59', 'Q'), '2015-04-01');
  assert.equal(start('2016-02-29T12:00:00', 'M'), '2016-02-01');
  assert.equal(start('2015-03-01T00:00:00', 'W'), '2015-03-01');
  assert.equal(start('2015-03-07T23:59:59', 'W'), '2015-03-01');
  assert.equal(start('1970-01-01T00:00:00', 'W'), '1969-12-28');
});

test('resample by calendar group: each group named by its first day, the letter as granularity', async () => {
  assert.deepEqual((await measures('resample=Y&granularity=86400')).body, [
    [day('2015-01-01'), 'Y', 7],
    [day('2016-01-01'), 'Y', 8],
  ]);
  assert.deepEqual((await measures('resample=H&granularity=86400')).body, [
    [day('2015-01-01'), 'H', 7],
    [day('2015-07-01'), 'H', 7],
    [day('2016-01-01'), 'H', 8],
  ]);
  assert.deepEqual((await measures('resample=Q&granularity=86400')).body, [
    [day('2015-01-01'), 'Q', 11],
    [day('2015-04-01'), 'Q', 3],
    [day('2015-10-01'), 'Q', 7],
    [day('2016-01-01'), 'Q', 8],
  ]);
  assert.deepEqual((await measures('resample=M&granularity=86400&aggregation=max')).body, [
    [day('2015-03-01'), 'M', 12],
    [day('2015-04-01'), 'M', 4],
    [day('2015-10-01'), 'M', 7],
    [day('2016-01-01'), 'M', 12],
    [day('2016-02-01'), 'M', 4],
  ]);
  assert.deepEqual((await measures('resample=W&granularity=86400')).body, [
    [day('2015-03-01'), 'W', 11],
    [day('2015-03-29'), 'W', 2],
    [day('2015-04-05'), 'W', 4],
    [day('2015-10-04'), 'W', 7],
    [day('2016-01-03'), 'W', 12],
    [day('2016-01-31'), 'W', 4],
  ]);
  const legacy = await cloud.request('GET', `/metric/v1/aggregation/metric?metric=${metricId}&granularity=86400&resample=Y`, { token: admin });
  assert.deepEqual(legacy.body, [
    [day('2015-01-01'), 'Y', 7],
    [day('2016-01-01'), 'Y', 8],
  ]);
  const alone = await measures('resample=M');
  assert.equal(alone.status, 400);
  assert.equal(alone.body.description, 'A granularity must be specified to resample');
  const wrong = await measures('resample=X&granularity=86400');
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.description, 'Unable to parse timespan');
});

test('legacy aggregation across metrics resamples by calendar group; the operations language keeps seconds only; use_history read as 4.4 reads it', async () => {
  const across = (query: string) =>
    cloud.request('GET', `/metric/v1/aggregation/metric?metric=${metricId}&metric=${otherId}&granularity=86400&resample=M&${query}`, { token: admin });
  const filled = await across('fill=0');
  assert.equal(filled.status, 200, filled.text);
  assert.deepEqual(filled.body, [
    [day('2015-03-01'), 'M', 5.75],
    [day('2015-04-01'), 'M', 1.5],
    [day('2015-10-01'), 'M', 3.5],
    [day('2016-01-01'), 'M', 6],
    [day('2016-02-01'), 'M', 2],
  ]);
  // Without a fill only the day both metrics hold survives the overlap rule, before the resampling.
  assert.deepEqual((await across('reaggregation=max')).body, [[day('2015-03-01'), 'M', 10]]);
  const operations = await cloud.request('POST', '/metric/v1/aggregates', {
    token: admin,
    body: { operations: `(resample mean M (metric ${metricId} mean))` },
  });
  assert.equal(operations.status, 400);
  const body = { operations: `(metric ${metricId} mean)` };
  const plain = await cloud.request('POST', '/metric/v1/aggregates?granularity=86400', { token: admin, body });
  const withHistory = await cloud.request('POST', '/metric/v1/aggregates?granularity=86400&use_history=true', { token: admin, body });
  assert.equal(withHistory.status, 200, withHistory.text);
  assert.deepEqual(withHistory.body, plain.body);
});

const search = (query: string, body?: unknown) =>
  cloud.request('POST', `/metric/v1/search/metric?${query}`, body === undefined ? { token: admin } : { token: admin, body });

test('search/metric: the points whose value the predicate keeps, per metric', async () => {
  const both = await search(`metric_id=${metricId}&metric_id=${otherId}`, { '>=': 10 });
  assert.equal(both.status, 200, both.text);
  assert.deepEqual(both.body, {
    [metricId]: [
      [day('2015-03-01'), 86400, 10],
      [day('2015-03-06'), 86400, 12],
      [day('2016-01-06'), 86400, 12],
    ],
    [otherId]: [],
  });
  const nested = await search(`metric_id=${metricId}`, { and: [{ '=': [{ '%': 2 }, 0] }, { '<': 10 }] });
  assert.deepEqual(
    nested.body[metricId].map((point: unknown[]) => point[2]),
    [2, 4, 4],
  );
  const either = await search(`metric_id=${metricId}&start=2015-04-01&stop=2016-01-01`, { or: [{ '≤': 2 }, { '∧': [{ '>': [{ '×': 2 }, 10] }, { ne: 12 }] }] });
  assert.deepEqual(either.body, {
    [metricId]: [
      [day('2015-04-01'), 86400, 2],
      [day('2015-10-06'), 86400, 7],
    ],
  });
  const maxima = await search(`metric_id=${metricId}&aggregation=max&granularity=1d`, { '>': 11 });
  assert.deepEqual(Object.keys(maxima.body), [metricId]);
  assert.equal(maxima.body[metricId].length, 2);
  const unknown = await search('metric_id=00000000-0000-4000-8000-000000000000', { '=': 1 });
  assert.deepEqual(unknown.body, {});
});

test("search/metric: Gnocchi's 400s", async () => {
  const noBody = await search(`metric_id=${metricId}`);
  assert.equal(noBody.status, 400);
  assert.equal(noBody.body.description, 'No query specified in body');
  const notOperator = await search(`metric_id=${metricId}`, { not: [{ '=': 1 }] });
  assert.equal(notOperator.status, 400);
  assert.equal(notOperator.body.description, 'Unknown operator not');
  const unknownOperator = await search(`metric_id=${metricId}`, { like: 1 });
  assert.equal(unknownOperator.status, 400);
  assert.equal(unknownOperator.body.description.cause, 'Invalid input');
  const twoKeys = await search(`metric_id=${metricId}`, { '=': 1, '<': 2 });
  assert.equal(twoKeys.status, 400);
  const badStart = await search(`metric_id=${metricId}&start=yesterday-ish`, { '=': 1 });
  assert.equal(badStart.body.description, 'Invalid value for start');
  const noGranularity = await search(`metric_id=${metricId}&granularity=60`, { '=': 1 });
  assert.equal(noGranularity.status, 400);
  assert.deepEqual(noGranularity.body.description, { cause: 'Aggregation does not exist', detail: { granularity: 60, aggregation_method: 'mean' } });
  const noMethod = await search(`metric_id=${metricId}&aggregation=last`, { '=': 1 });
  assert.equal(noMethod.status, 400);
  const noIds = await search('', { '=': 1 });
  assert.equal(noIds.status, 400);
});
