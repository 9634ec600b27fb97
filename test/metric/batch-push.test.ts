/**
 * The batch pushes over a real server and the real index: one look-up for the
 * whole batch must keep Gnocchi's answers (hidden metrics count as unknown,
 * `post measures` refused for a metric the caller only reads, create_metrics
 * creating a name once, unknown resources listed), and the batch routes take
 * a body far past the service's 1 MiB while the others keep it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
let demo: string;
const T0 = Math.floor(Date.now() / 1000 / 60) * 60 - 3600;
const at = (seconds: number) => new Date((T0 + seconds) * 1000).toISOString();
const measures = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ timestamp: at(from + i), value: i }));

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  demo = await cloud.demoToken();
});
after(() => cloud.close());

async function newMetric(token: string, body: object = {}): Promise<string> {
  const created = await cloud.request('POST', '/metric/v1/metric', { token, body: { archive_policy_name: 'high', ...body } });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

async function count(token: string, metricId: string): Promise<number> {
  const read = await cloud.request('GET', `/metric/v1/metric/${metricId}/measures?aggregation=count&granularity=60&refresh=true`, { token });
  assert.equal(read.status, 200, read.text);
  return (read.body as unknown as Array<[string, number, number]>).reduce((sum, point) => sum + point[2], 0);
}

test('by metric id: one look-up keeps unknown, hidden and forbidden metrics apart; ids in any case', async () => {
  const own = await newMetric(demo);
  const others = await newMetric(admin);
  const ghost = 'aaaaaaaa-0000-4000-8000-000000000000';
  const hidden = await cloud.request('POST', '/metric/v1/batch/metrics/measures', {
    token: demo,
    body: { [own]: measures(2), [others]: measures(2), [ghost]: [] },
  });
  assert.equal(hidden.status, 400);
  assert.equal(hidden.body.description, `Unknown metrics: ${[ghost, others].sort().join(', ')}`);

  const pushed = await cloud.request('POST', '/metric/v1/batch/metrics/measures', {
    token: admin,
    body: { [own.toUpperCase()]: measures(3), [others]: measures(4) },
  });
  assert.equal(pushed.status, 202, pushed.text);
  assert.equal(await count(admin, own), 3);
  assert.equal(await count(admin, others), 4);

  // Demo reads a metric of its project's resource that admin created (metric_owner) but may not post to it (creator only).
  const resource = await cloud.request('POST', '/metric/v1/resource/generic', {
    token: admin,
    body: { id: 'batch-owned-by-demo', project_id: (await cloud.request('GET', '/metric/v1/metric/' + own, { token: demo })).body.created_by_project_id },
  });
  assert.equal(resource.status, 201, resource.text);
  const readOnly = await newMetric(admin, { resource_id: 'batch-owned-by-demo', name: 'cpu' });
  assert.equal((await cloud.request('GET', `/metric/v1/metric/${readOnly}`, { token: demo })).status, 200);
  const refused = await cloud.request('POST', '/metric/v1/batch/metrics/measures', { token: demo, body: { [own]: measures(1), [readOnly]: measures(1) } });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(await count(admin, own), 3, 'a refused batch stores nothing');
});

test('by resource: unknown metrics and resources as Gnocchi lists them; create_metrics creates each name once', async () => {
  const made = await cloud.request('POST', '/metric/v1/resource/generic', {
    token: demo,
    body: { id: 'batch-host', metrics: { cpu: { archive_policy_name: 'high' } } },
  });
  assert.equal(made.status, 201, made.text);
  const uuid = made.body.id as string;
  const body = { 'batch-host': { cpu: measures(2), mem: { archive_policy_name: 'high', unit: 'B', measures: measures(5) } } };
  const unknown = await cloud.request('POST', '/metric/v1/batch/resources/metrics/measures', { token: demo, body });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.description, `Unknown metrics: ${uuid}/mem`);

  const created = await cloud.request('POST', '/metric/v1/batch/resources/metrics/measures?create_metrics=true', { token: demo, body });
  assert.equal(created.status, 202, created.text);
  const resource = await cloud.request('GET', '/metric/v1/resource/generic/batch-host', { token: demo });
  const metrics = resource.body.metrics as Record<string, string>;
  assert.deepEqual(Object.keys(metrics).sort(), ['cpu', 'mem']);
  assert.equal(await count(demo, metrics.mem!), 5);
  assert.equal(await count(demo, metrics.cpu!), 2);
  const again = await cloud.request('POST', '/metric/v1/batch/resources/metrics/measures?create_metrics=true', { token: demo, body });
  assert.equal(again.status, 202);
  assert.deepEqual((await cloud.request('GET', '/metric/v1/resource/generic/batch-host', { token: demo })).body.metrics, metrics);

  const missing = await cloud.request('POST', '/metric/v1/batch/resources/metrics/measures?create_metrics=true', {
    token: demo,
    body: { 'batch-host': { cpu: measures(1) }, 'no-such-host': { cpu: measures(1) } },
  });
  assert.equal(missing.status, 400);
  const detail = (missing.body.description as { cause: string; detail: Array<{ original_resource_id: string }> }) ?? {};
  assert.equal(detail.cause, 'Unknown resources');
  assert.deepEqual(
    detail.detail.map((d) => d.original_resource_id),
    ['no-such-host'],
  );
});

test('the batch routes take a body past 1 MiB; a single metric push keeps the limit', async () => {
  const ids = [await newMetric(admin), await newMetric(admin), await newMetric(admin)];
  const big = Object.fromEntries(ids.map((id, n) => [id, measures(8000, n)]));
  assert.ok(JSON.stringify(big).length > 1024 * 1024);
  const pushed = await cloud.request('POST', '/metric/v1/batch/metrics/measures', { token: admin, body: big });
  assert.equal(pushed.status, 202, pushed.text.slice(0, 300));
  assert.equal(await count(admin, ids[0]!), 8000);
  const single = await cloud.request('POST', `/metric/v1/metric/${ids[0]}/measures`, { token: admin, body: measures(24_000) });
  assert.equal(single.status, 413);
});
