/** Gnocchi's version documents, archive policies and archive policy rules over a real server. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
let demo: string;

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  demo = await cloud.demoToken();
});
after(() => cloud.close());

test('the root lists v1 without a token; /v1 lists the families', async () => {
  const root = await cloud.request('GET', '/metric/');
  assert.equal(root.status, 200);
  assert.deepEqual(root.body.versions, [{ status: 'CURRENT', links: [{ rel: 'self', href: `${cloud.url}/metric/v1/` }], id: 'v1.0', updated: '2015-03-19' }]);
  assert.equal((await cloud.request('GET', '/metric/v1')).status, 401);
  const v1 = await cloud.request('GET', '/metric/v1', { token: demo });
  assert.equal(v1.body.version, '1.0');
  assert.equal((v1.body.links as unknown[]).length, 13);
});

test('first start creates the default and Ceilometer archive policies and the default rule', async () => {
  const list = await cloud.request('GET', '/metric/v1/archive_policy', { token: demo });
  assert.equal(list.status, 200);
  const names = (list.body as unknown as { name: string }[]).map((p) => p.name).sort();
  assert.deepEqual(names, ['bool', 'ceilometer-high', 'ceilometer-high-rate', 'ceilometer-low', 'ceilometer-low-rate', 'high', 'low', 'medium']);
  const low = await cloud.request('GET', '/metric/v1/archive_policy/low', { token: demo });
  assert.deepEqual(low.body, {
    name: 'low',
    back_window: 0,
    definition: [{ timespan: '30 days, 0:00:00', granularity: '0:05:00', points: 8640 }],
    aggregation_methods: ['count', 'max', 'mean', 'min', 'std', 'sum'],
  });
  const rules = await cloud.request('GET', '/metric/v1/archive_policy_rule', { token: demo });
  assert.deepEqual(rules.body, [{ name: 'default', metric_pattern: '*', archive_policy_name: 'low' }]);
});

test('create fills the third of granularity/points/timespan and refuses what Gnocchi refuses', async () => {
  const created = await cloud.request('POST', '/metric/v1/archive_policy', {
    token: admin,
    body: {
      name: 'cookies',
      aggregation_methods: ['-max', '+rate:mean'],
      definition: [
        { granularity: '1 minute', points: 60 },
        { granularity: 3600, timespan: '1 day' },
      ],
    },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), `${cloud.url}/metric/v1/archive_policy/cookies`);
  assert.deepEqual(created.body.definition, [
    { timespan: '1:00:00', granularity: '0:01:00', points: 60 },
    { timespan: '1 day, 0:00:00', granularity: '1:00:00', points: 24 },
  ]);
  assert.deepEqual(created.body.aggregation_methods, ['count', 'mean', 'min', 'rate:mean', 'std', 'sum']);

  const again = await cloud.request('POST', '/metric/v1/archive_policy', {
    token: admin,
    body: { name: 'cookies', definition: [{ granularity: 1, points: 1 }] },
  });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { code: 409, description: 'Archive policy cookies already exists', title: 'Conflict' });

  const cases: [unknown, number, string | Record<string, unknown>][] = [
    [
      { name: 'x', definition: [{ granularity: 1 }], whaa: 1 },
      400,
      { cause: 'Invalid input', reason: "extra keys not allowed @ data['whaa']", detail: ['whaa'] },
    ],
    [{ name: 'x' }, 400, { cause: 'Invalid input', reason: "required key not provided @ data['definition']", detail: ['definition'] }],
    [
      { name: 'x', definition: [] },
      400,
      { cause: 'Invalid input', reason: "length of value must be at least 1 for dictionary value @ data['definition']", detail: ['definition'] },
    ],
    [{ name: 'x', definition: [{ points: 10 }] }, 400, 'At least two of granularity/points/timespan must be provided'],
    [{ name: 'x', definition: [{ granularity: 10, points: 10, timespan: 60 }] }, 400, 'timespan ≠ granularity × points'],
    [
      {
        name: 'x',
        definition: [
          { granularity: 1, points: 1 },
          { granularity: 1, points: 2 },
        ],
      },
      400,
      "More than one archive policy uses granularity `1.0'",
    ],
    [
      { name: 'x', definition: [{ granularity: -1, points: 1 }] },
      400,
      {
        cause: 'Invalid input',
        reason: "Timespan must be positive for dictionary value @ data['definition'][0]['granularity']",
        detail: ['definition', '0', 'granularity'],
      },
    ],
  ];
  for (const [body, status, description] of cases) {
    const response = await cloud.request('POST', '/metric/v1/archive_policy', { token: admin, body });
    assert.equal(response.status, status, JSON.stringify(body));
    assert.deepEqual(response.body.description, description, JSON.stringify(body));
  }
  const asDemo = await cloud.request('POST', '/metric/v1/archive_policy', { token: demo, body: { name: 'mine', definition: [{ granularity: 1, points: 1 }] } });
  assert.equal(asDemo.status, 403);
});

test('update changes points of the same granularities only; delete refuses a policy in use', async () => {
  const updated = await cloud.request('PATCH', '/metric/v1/archive_policy/cookies', {
    token: admin,
    body: {
      definition: [
        { granularity: '1 minute', points: 120 },
        { granularity: '1 hour', points: 48 },
      ],
    },
  });
  assert.equal(updated.status, 200, updated.text);
  assert.equal((updated.body.definition as { points: number }[])[0]?.points, 120);
  const dropped = await cloud.request('PATCH', '/metric/v1/archive_policy/cookies', {
    token: admin,
    body: { definition: [{ granularity: '1 minute', points: 1 }] },
  });
  assert.equal(dropped.status, 400);
  assert.equal(dropped.body.description, 'Archive policy cookies does not support change: Cannot add or drop granularities');
  assert.equal((await cloud.request('PATCH', '/metric/v1/archive_policy/nope', { token: admin, body: { definition: [] } })).status, 404);

  const inUse = await cloud.request('DELETE', '/metric/v1/archive_policy/low', { token: admin });
  assert.equal(inUse.status, 400);
  assert.equal(inUse.body.description, 'Archive policy low is still in use');
  const missing = await cloud.request('DELETE', '/metric/v1/archive_policy/nope', { token: admin });
  assert.deepEqual(missing.body, { code: 404, description: 'Archive policy nope does not exist', title: 'Not Found' });
});

test('rules: the longest matching pattern picks the policy of a metric created without one', async () => {
  const bad = await cloud.request('POST', '/metric/v1/archive_policy_rule', {
    token: admin,
    body: { name: 'r', metric_pattern: 'x', archive_policy_name: 'not-exists' },
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.description, { cause: 'Archive policy does not exist', detail: 'not-exists' });
  const rule = await cloud.request('POST', '/metric/v1/archive_policy_rule', {
    token: admin,
    body: { name: 'disk', metric_pattern: 'disk.*', archive_policy_name: 'cookies' },
  });
  assert.equal(rule.status, 201);
  assert.equal(
    (await cloud.request('POST', '/metric/v1/archive_policy_rule', { token: demo, body: { name: 'd2', metric_pattern: 'a', archive_policy_name: 'low' } }))
      .status,
    403,
  );

  const disk = await cloud.request('POST', '/metric/v1/metric', { token: demo, body: { name: 'disk.io.rate', unit: 'B/s' } });
  assert.equal(disk.status, 201);
  assert.equal(disk.body.archive_policy_name, 'cookies');
  const other = await cloud.request('POST', '/metric/v1/metric', { token: demo, body: { name: 'cpu' } });
  assert.equal(other.body.archive_policy_name, 'low');

  const renamed = await cloud.request('PATCH', '/metric/v1/archive_policy_rule/disk', { token: admin, body: { name: 'disks' } });
  assert.deepEqual(renamed.body, { name: 'disks', metric_pattern: 'disk.*', archive_policy_name: 'cookies' });
  assert.equal((await cloud.request('GET', '/metric/v1/archive_policy_rule/disk', { token: demo })).status, 404);
  assert.equal((await cloud.request('DELETE', '/metric/v1/archive_policy_rule/disks', { token: admin })).status, 204);
  const noRule = await cloud.request('DELETE', '/metric/v1/archive_policy_rule/default', { token: admin });
  assert.equal(noRule.status, 204);
  const unmatched = await cloud.request('POST', '/metric/v1/metric', { token: demo, body: { name: 'volume.io.rate' } });
  assert.equal(unmatched.status, 400);
  assert.equal(unmatched.body.description, 'No archive policy name specified and no archive policy rule found matching the metric name volume.io.rate');
});
