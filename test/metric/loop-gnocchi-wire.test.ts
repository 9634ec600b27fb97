/**
 * Gnocchi's wire format where clients match raw bodies (telemetry-tempest-plugin's
 * gabbi files): JSON spaced as Python writes it, and 415 for a body that is not
 * JSON, after routing (a wrong method stays 405) and not for a body-less search.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pythonJson } from '../../src/metric/api/wire.js';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
});
after(() => cloud?.close());

test('pythonJson: Python separators, nested values, undefined members dropped, dates as JSON', () => {
  assert.equal(pythonJson({ id: 'x', a: [1, 2.5, null, 'é'], b: { c: true }, d: undefined }), '{"id": "x", "a": [1, 2.5, null, "é"], "b": {"c": true}}');
  assert.equal(pythonJson([]), '[]');
  assert.equal(pythonJson({}), '{}');
  assert.equal(pythonJson(new Date(0)), '"1970-01-01T00:00:00.000Z"');
  assert.deepEqual(JSON.parse(pythonJson({ s: 'a"b\n' })), { s: 'a"b\n' });
});

test('responses are spaced as Gnocchi writes them', async () => {
  const policy = await cloud.request('GET', '/metric/v1/archive_policy/low', { token: admin });
  assert.equal(policy.status, 200);
  assert.match(policy.text, /^\{"name": "low", /);
  assert.equal(policy.headers.get('content-type'), 'application/json');
  const missing = await cloud.request('GET', '/metric/v1/metric/6f4c7b0e-0000-4000-8000-000000000000', { token: admin });
  assert.equal(missing.status, 404);
  assert.match(missing.text, /^\{"code": 404, /);
});

test('406 for an Accept that rules out JSON; a list that includes it is served', async () => {
  const refused = await cloud.request('GET', '/metric/v1/archive_policy/low', { token: admin, headers: { accept: 'text/plain' } });
  assert.equal(refused.status, 406);
  assert.match(refused.text, /^406 Not Acceptable/);
  const served = await cloud.request('GET', '/metric/v1/archive_policy/low', { token: admin, headers: { accept: 'text/plain, application/json; q=0.8' } });
  assert.equal(served.status, 200);
  const zero = await cloud.request('GET', '/metric/v1/archive_policy/low', { token: admin, headers: { accept: 'application/json; q=0' } });
  assert.equal(zero.status, 406);
});

test('415 for a body that is not JSON; 405 for a wrong method first; a search by ?filter= needs no body', async () => {
  for (const type of ['text/plain', 'plain/text']) {
    const refused = await cloud.request('POST', '/metric/v1/archive_policy', { token: admin, headers: { 'content-type': type }, rawBody: '{"name": "x"}' });
    assert.equal(refused.status, 415, refused.text);
    assert.match(refused.text, /Unsupported Media Type/);
  }
  const declaredOnly = await cloud.request('POST', '/metric/v1/archive_policy_rule', { token: admin, headers: { 'content-type': 'text/plain' } });
  assert.equal(declaredOnly.status, 415);
  const wrongMethod = await cloud.request('PUT', '/metric/v1/archive_policy', { token: admin, headers: { 'content-type': 'application/json' }, rawBody: '{}' });
  assert.equal(wrongMethod.status, 405);
  const search = await cloud.request('POST', `/metric/v1/search/resource/generic?filter=${encodeURIComponent("id='nope'")}`, { token: admin });
  assert.equal(search.status, 200, search.text);
  assert.equal(search.text, '[]');
});
