/** Resource types, resources (revisions, history, search, batch delete) and metrics over a real server. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
let demo: string;
const INSTANCE = 'f93450f2-d8a5-4d67-9985-02511241e7d1';

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  demo = await cloud.demoToken();
});
after(() => cloud.close());

test('resource types: generic and Ceilometer types exist; create, patch with fill, delete', async () => {
  const instance = await cloud.request('GET', '/metric/v1/resource_type/instance', { token: demo });
  assert.deepEqual(instance.body.attributes?.flavor_id, { type: 'string', required: true, min_length: 0, max_length: 255 });
  const created = await cloud.request('POST', '/metric/v1/resource_type', {
    token: admin,
    body: {
      name: 'my_custom',
      attributes: { name: { type: 'string', required: true, min_length: 2, max_length: 5 }, size: { type: 'number', required: false, min: 0 } },
    },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal((await cloud.request('POST', '/metric/v1/resource_type', { token: admin, body: { name: 'my_custom' } })).status, 409);
  assert.equal((await cloud.request('POST', '/metric/v1/resource_type', { token: demo, body: { name: 'nope' } })).status, 403);
  const bad = await cloud.request('POST', '/metric/v1/resource_type', { token: admin, body: { name: 'bad', attributes: { id: { type: 'string' } } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.description, 'Invalid input: Resource attribute name id is invalid');

  const resource = await cloud.request('POST', '/metric/v1/resource/my_custom', { token: admin, body: { id: 'my-thing', name: 'abc' } });
  assert.equal(resource.status, 201, resource.text);
  const noFill = await cloud.request('PATCH', '/metric/v1/resource_type/my_custom', {
    token: admin,
    headers: { 'content-type': 'application/json-patch+json' },
    body: [{ op: 'add', path: '/attributes/flag', value: { type: 'bool', required: true, options: {} } }],
  });
  assert.equal(noFill.body.description, "Invalid input: Option 'fill' of resource attribute flag is invalid: must not be empty if required=True");
  const patched = await cloud.request('PATCH', '/metric/v1/resource_type/my_custom', {
    token: admin,
    headers: { 'content-type': 'application/json-patch+json' },
    body: [
      { op: 'add', path: '/attributes/flag', value: { type: 'bool', required: true, options: { fill: true } } },
      { op: 'remove', path: '/attributes/size' },
    ],
  });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(Object.keys(patched.body.attributes as object).sort(), ['flag', 'name']);
  const filled = await cloud.request('GET', '/metric/v1/resource/my_custom/my-thing', { token: admin });
  assert.equal(filled.body.flag, true);
  const inUse = await cloud.request('DELETE', '/metric/v1/resource_type/my_custom', { token: admin });
  assert.equal(inUse.body.description, 'Resource type my_custom is still in use');
});

test('resources: create with metrics, 409 on the same id, original ids mapped by uuid5, attribute checks', async () => {
  const body = {
    id: INSTANCE,
    started_at: '2014-01-03T02:02:02.000000',
    user_id: 'u1',
    project_id: 'p1',
    flavor_id: '1',
    host: 'h',
    display_name: 'vm',
    flavor_name: 'm1',
  };
  const created = await cloud.request('POST', '/metric/v1/resource/instance', {
    token: admin,
    body: { ...body, metrics: { 'cpu.util': { archive_policy_name: 'low' } } },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), `${cloud.url}/metric/v1/resource/instance/${INSTANCE}`);
  assert.equal(created.body.started_at, '2014-01-03T02:02:02+00:00');
  assert.equal(created.body.display_name, 'vm');
  assert.ok(typeof (created.body.metrics as Record<string, string>)['cpu.util'] === 'string');
  assert.equal((await cloud.request('POST', '/metric/v1/resource/instance', { token: admin, body })).status, 409);
  const missing = await cloud.request('POST', '/metric/v1/resource/instance', { token: admin, body: { id: 'x', flavor_id: '1' } });
  assert.deepEqual(missing.body.description, { cause: 'Invalid input', reason: "required key not provided @ data['host']", detail: ['host'] });

  const named = await cloud.request('POST', '/metric/v1/resource/generic', { token: demo, body: { id: 'my-host' } });
  assert.equal(named.status, 201);
  assert.equal(named.body.original_resource_id, 'my-host');
  assert.match(named.body.id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal((await cloud.request('GET', '/metric/v1/resource/generic/my-host', { token: demo })).body.id, named.body.id);
  assert.equal((await cloud.request('GET', '/metric/v1/resource/generic/my-host', { token: admin })).status, 404, 'another creator maps to another uuid');
  assert.equal((await cloud.request('GET', `/metric/v1/resource/generic/${INSTANCE}`, { token: demo })).status, 403);
  const generic = await cloud.request('GET', `/metric/v1/resource/generic/${INSTANCE}`, { token: admin });
  assert.equal(generic.body.display_name, undefined);
});

test('PATCH makes a revision only when something changes; history lists them with paging links', async () => {
  const url = `/metric/v1/resource/instance/${INSTANCE}`;
  const first = await cloud.request('PATCH', url, { token: admin, body: { display_name: 'renamed' } });
  assert.equal(first.status, 200, first.text);
  const same = await cloud.request('PATCH', url, { token: admin, body: { display_name: 'renamed' } });
  assert.equal(same.body.revision_start, first.body.revision_start);
  const withId = await cloud.request('PATCH', url, { token: admin, body: { id: 'foobar' } });
  assert.deepEqual(withId.body.description, { cause: 'Invalid input', reason: "extra keys not allowed @ data['id']", detail: ['id'] });
  const badMetric = await cloud.request('PATCH', url, { token: admin, body: { metrics: { 'disk.iops': 'f3d41b77-0cc1-4f0b-b94a-1d5be9c0e3ea' } } });
  assert.equal(badMetric.body.description, 'Metric f3d41b77-0cc1-4f0b-b94a-1d5be9c0e3ea does not exist');

  const history = await cloud.request('GET', `${url}/history`, { token: admin });
  assert.equal((history.body as unknown as unknown[]).length, 2);
  const page = await cloud.request('GET', `${url}/history?limit=1`, { token: admin });
  const link = page.headers.get('link') ?? '';
  assert.match(link, /marker=f93450f2-d8a5-4d67-9985-02511241e7d1%40\d+/);
  const next = await cloud.request('GET', link.slice(1, link.indexOf('>')), { token: admin });
  assert.equal((next.body as unknown as { display_name: string }[])[0]?.display_name, 'renamed');
});

test('search: JSON body and the filter string, policy restriction, batch delete', async () => {
  const json = await cloud.request('POST', '/metric/v1/search/resource/instance', {
    token: admin,
    body: { and: [{ '=': { project_id: 'p1' } }, { like: { display_name: 'ren%' } }, { '>=': { started_at: '2014-01-01' } }] },
  });
  assert.equal(json.status, 200, json.text);
  assert.deepEqual(
    (json.body as unknown as { id: string }[]).map((r) => r.id),
    [INSTANCE],
  );
  const text = await cloud.request('POST', `/metric/v1/search/resource/instance?filter=${encodeURIComponent("project_id='p1' and not display_name='vm'")}`, {
    token: admin,
  });
  assert.equal((text.body as unknown as unknown[]).length, 1, text.text);
  const unknown = await cloud.request('POST', '/metric/v1/search/resource/instance', { token: admin, body: { '=': { nope: 1 } } });
  assert.equal(unknown.body.description, 'Resource type instance has no nope attribute');
  const badOp = await cloud.request('POST', '/metric/v1/search/resource/generic', { token: admin, body: { foo: { id: 'x' } } });
  assert.equal(badOp.status, 400);
  const demoSees = await cloud.request('POST', '/metric/v1/search/resource/generic', { token: demo, body: {} });
  assert.deepEqual(
    (demoSees.body as unknown as { original_resource_id: string }[]).map((r) => r.original_resource_id),
    ['my-host'],
  );
  const empty = await cloud.request('DELETE', '/metric/v1/resource/generic', { token: admin });
  assert.equal(empty.status, 400);
  const deleted = await cloud.request('DELETE', '/metric/v1/resource/generic', { token: demo, body: { like: { original_resource_id: 'my-%' } } });
  assert.deepEqual(deleted.body, { deleted: 1 });
});

test('metrics: show with its policy and resource, resource metrics, list paging, delete', async () => {
  const resource = await cloud.request('GET', `/metric/v1/resource/instance/${INSTANCE}`, { token: admin });
  const cpu = (resource.body.metrics as Record<string, string>)['cpu.util'] as string;
  const shown = await cloud.request('GET', `/metric/v1/metric/${cpu}`, { token: admin });
  assert.equal((shown.body.archive_policy as { name: string }).name, 'low');
  assert.equal((shown.body.resource as { id: string }).id, INSTANCE);
  const added = await cloud.request('POST', `/metric/v1/resource/instance/${INSTANCE}/metric`, {
    token: admin,
    body: { 'disk.io': { archive_policy_name: 'medium' } },
  });
  assert.equal(added.status, 200, added.text);
  assert.equal((added.body as unknown as unknown[]).length, 2);
  const duplicate = await cloud.request('POST', `/metric/v1/resource/instance/${INSTANCE}/metric`, { token: admin, body: { 'disk.io': {} } });
  assert.equal(duplicate.status, 409);
  const page = await cloud.request('GET', '/metric/v1/metric?limit=1', { token: admin });
  assert.equal((page.body as unknown as unknown[]).length, 1);
  assert.match(page.headers.get('link') ?? '', /rel="next"/);
  assert.equal((await cloud.request('GET', '/metric/v1/metric?sort=nonexistent_key:asc', { token: admin })).status, 400);
  assert.equal((await cloud.request('DELETE', `/metric/v1/metric/${cpu}`, { token: demo })).status, 403);
  assert.equal((await cloud.request('DELETE', `/metric/v1/metric/${cpu}`, { token: admin })).status, 204);
  assert.equal((await cloud.request('GET', `/metric/v1/metric/${cpu}`, { token: admin })).status, 404);
  assert.equal((await cloud.request('DELETE', `/metric/v1/resource/instance/${INSTANCE}`, { token: admin })).status, 204);
  assert.equal((await cloud.request('GET', `/metric/v1/resource/instance/${INSTANCE}`, { token: admin })).status, 404);
});
