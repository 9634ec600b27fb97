/** `/_nimbus/faults` HTTP rules on a running server: the REST surface, matching, and each service's own error body. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { faultRulesOf } from './faults-support.js';

let cloud: TestServer;
let admin: string;
let demo: string;
let demoProject: string;

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  demo = await cloud.demoToken();
  const me = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } });
  demoProject = me.body.token.project.id;
});
after(async () => cloud.close());
const rules = faultRulesOf(
  () => cloud,
  () => admin,
);
const addRule = rules.add;

test('a rule is created with its id, listed, shown, and removed; an unknown id is 404', async () => {
  const rule = await addRule({ service: 'nova', method: 'get', path: '/flavors', status: 500 });
  assert.match(rule.id, /^[0-9a-f-]{36}$/);
  assert.equal(rule.service, 'compute');
  assert.equal(rule.method, 'GET');
  assert.equal(rule.hits, 0);
  assert.equal(rule.probability, 1);
  assert.deepEqual(
    (await rules.list()).map((r) => r.id),
    [rule.id],
  );
  assert.equal((await cloud.request('GET', `/_nimbus/faults/${rule.id}`, { token: admin })).body.path, '/flavors');
  assert.equal((await cloud.request('DELETE', `/_nimbus/faults/${rule.id}`, { token: admin })).status, 204);
  const again = await cloud.request('DELETE', `/_nimbus/faults/${rule.id}`, { token: admin });
  assert.equal(again.status, 404);
  assert.match(again.body.error.message, /could not be found/);
  assert.equal((await cloud.request('GET', `/_nimbus/faults/${rule.id}`, { token: admin })).status, 404);
});

test('DELETE /_nimbus/faults removes every rule', async () => {
  await addRule({ service: 'compute', status: 503 });
  await addRule({ service: 'network', latency_ms: 1 });
  assert.equal((await cloud.request('DELETE', '/_nimbus/faults', { token: admin })).status, 204);
  assert.deepEqual(await rules.list(), []);
});

test('invalid rules are refused with 400 naming the problem', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ service: 'nowhere', status: 500 }, /Unknown service 'nowhere'/],
    [{ status: 500 }, /service is required/],
    [{ service: 'compute', status: 302 }, /status must be/],
    [{ service: 'compute', status: 500, probability: 1.5 }, /probability must be/],
    [{ service: 'compute', status: 500, count: 0 }, /count must be/],
    [{ service: 'compute', status: 500, path: 'servers' }, /starts with \//],
    [{ service: 'compute', status: 500, path: '^(' }, /regular expression/],
    [{ service: 'compute' }, /needs a status/],
    [{ service: 'compute', status: 500, action: 'drop' }, /not both/],
    [{ service: 'compute', status: 500, colour: 'red' }, /Unknown fault rule field\(s\): colour/],
    [{ service: 'compute', status: 500, expires_at: '2000-01-01T00:00:00Z' }, /in the past/],
    [{ driver_fault: 'meltdown' }, /driver_fault must be one of/],
    [{ driver_fault: 'build', service: 'volume' }, /belongs to the compute service/],
    [{ driver_fault: 'slow_hypervisor' }, /needs a latency_ms/],
  ];
  for (const [body, message] of cases) {
    const response = await cloud.request('POST', '/_nimbus/faults', { token: admin, body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match(response.body.error.message, message, JSON.stringify(body));
  }
  assert.deepEqual(await rules.list(), []);
});

test('only the cloud admin manages rules', async () => {
  assert.equal((await cloud.request('GET', '/_nimbus/faults', { token: demo })).status, 403);
  assert.equal((await cloud.request('POST', '/_nimbus/faults', { body: { service: 'compute', status: 500 } })).status, 401);
});

test("compute answers an injected 500 in Nova's body, on the method and path asked only, and counts the hit", async () => {
  const rule = await addRule({ service: 'compute', method: 'GET', path: '/flavors', status: 500, message: 'hypervisor on fire' });
  const hit = await cloud.request('GET', '/compute/v2.1/flavors', { token: admin });
  assert.equal(hit.status, 500);
  assert.deepEqual(hit.body, { computeFault: { code: 500, message: 'hypervisor on fire' } });
  assert.match(hit.headers.get('x-openstack-request-id') ?? '', /^req-/);
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors/detail', { token: admin })).status, 200);
  assert.equal((await cloud.request('POST', '/compute/v2.1/flavors', { token: admin, body: {} })).status, 400);
  assert.equal((await rules.list()).find((r) => r.id === rule.id)?.hits, 1);
});

test('network, identity and object storage answer in their own error bodies', async () => {
  await addRule({ service: 'neutron', path: '/v2.0/networks', status: 500 });
  await addRule({ service: 'identity', path: '/v3/projects', status: 500 });
  await addRule({ service: 'swift', path: '/**', status: 507 });
  const network = await cloud.request('GET', '/network/v2.0/networks', { token: admin });
  assert.equal(network.status, 500);
  assert.equal(network.body.NeutronError.type, 'HTTPInternalServerError');
  const identity = await cloud.request('GET', '/identity/v3/projects', { token: admin });
  assert.equal(identity.status, 500);
  assert.equal(identity.body.error.code, 500);
  assert.equal(identity.body.error.title, 'Internal Server Error');
  const objects = await cloud.request('GET', `/object-store/v1/AUTH_${demoProject}`, { token: demo });
  assert.equal(objects.status, 507);
  assert.match(objects.headers.get('content-type') ?? '', /text\/html/);
});

test('a glob matches one segment with * and any depth with **; a regex is searched', async () => {
  await addRule({ service: 'compute', path: '/flavors/*', status: 404 });
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors/detail', { token: admin })).status, 404);
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors/x/os-extra_specs', { token: admin })).status, 404);
  await rules.clear();
  await addRule({ service: 'compute', path: '^/v2\\.1/os-(keypairs|hypervisors)$', status: 409 });
  assert.equal((await cloud.request('GET', '/compute/v2.1/os-keypairs', { token: admin })).status, 409);
  assert.equal((await cloud.request('GET', '/compute/v2.1/os-availability-zone', { token: admin })).status, 200);
});

test("a rule for a project or a user touches only that caller's requests", async () => {
  await addRule({ service: 'compute', path: '/servers', project_id: demoProject, status: 500 });
  assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token: admin })).status, 200);
  assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token: demo })).status, 500);
  await rules.clear();
  const adminUser = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } })).body.token.user.id;
  await addRule({ service: 'compute', path: '/servers', user_id: adminUser, status: 500 });
  assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token: admin })).status, 500);
  assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token: demo })).status, 200);
});

test('probability 0 never fires; count uses the rule up and removes it', async () => {
  const never = await addRule({ service: 'compute', path: '/flavors', status: 500, probability: 0 });
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors', { token: admin })).status, 200);
  assert.equal((await rules.list()).find((r) => r.id === never.id)?.hits, 0);
  await rules.clear();
  await addRule({ service: 'compute', path: '/flavors', status: 500, count: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await cloud.request('GET', '/compute/v2.1/flavors', { token: admin })).status);
  assert.deepEqual(statuses, [500, 500, 200]);
  assert.deepEqual(await rules.list(), []);
});

test('latency delays the answer, alone or before a status', async () => {
  await addRule({ service: 'compute', path: '/flavors', latency_ms: 200, count: 1 });
  let started = Date.now();
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors', { token: admin })).status, 200);
  assert.ok(Date.now() - started >= 190, `waited ${Date.now() - started} ms`);
  await addRule({ service: 'compute', path: '/flavors', latency_ms: 100, status: 503, count: 1 });
  started = Date.now();
  assert.equal((await cloud.request('GET', '/compute/v2.1/flavors', { token: admin })).status, 503);
  assert.ok(Date.now() - started >= 90);
});

test('action drop closes the connection without an answer', async () => {
  await addRule({ service: 'image', path: '/v2/images', action: 'drop', count: 1 });
  await assert.rejects(fetch(`${cloud.url}/image/v2/images`, { headers: { 'x-auth-token': admin } }), TypeError);
  assert.equal((await cloud.request('GET', '/image/v2/images', { token: admin })).status, 200);
});

test('expires_in becomes the rule expires_at (faults-rules.test.ts moves a clock past it)', async () => {
  const before = Date.now();
  const rule = await addRule({ service: 'compute', path: '/flavors', status: 500, expires_in: 3600 });
  const expires = Date.parse(rule.expires_at);
  assert.ok(expires >= before + 3_600_000 && expires <= Date.now() + 3_600_000, rule.expires_at);
});
