/** Glance's error answers: 401 with WWW-Authenticate, JSON or text bodies by Accept, 404 and 405. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

describe('image API: errors', () => {
  let cloud: TestServer;
  let token: string;

  before(async () => {
    cloud = await startTestServer();
    token = await cloud.demoToken();
  });
  after(() => cloud?.close());

  test('no token or a bad one: 401 as keystonemiddleware answers, naming Keystone', async () => {
    const headerSets: Array<Record<string, string>> = [{}, { 'x-auth-token': 'not-a-token' }];
    for (const headers of headerSets) {
      const response = await fetch(`${cloud.url}/image/v2/images`, { headers });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), `Keystone uri="${cloud.url}/identity"`);
      const body = (await response.json()) as { error: { code: number; title: string } };
      assert.equal(body.error.code, 401);
      assert.equal(body.error.title, 'Unauthorized');
    }
    // Version discovery needs no token.
    assert.equal((await fetch(`${cloud.url}/image`)).status, 300);
  });

  test('error bodies follow Accept: JSON for JSON clients, plain text otherwise', async () => {
    const path = `${cloud.url}/image/v2/images/0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11`;
    const json = await fetch(path, { headers: { 'x-auth-token': token, accept: 'application/json' } });
    assert.equal(json.status, 404);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await json.json(), {
      message: 'No image found with ID 0c7a4cba-1a25-4a6b-9e4a-2e9c1b7b4b11',
      code: '404 Not Found',
      title: 'Not Found',
    });
    for (const accept of [undefined, '*/*', 'text/plain', 'application/json;q=0.5, text/plain']) {
      const response = await fetch(path, { headers: { 'x-auth-token': token, ...(accept && { accept }) } });
      assert.equal(response.status, 404);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/, String(accept));
      assert.match(await response.text(), /^404 Not Found\n\nNo image found with ID/);
    }
    assert.ok(json.headers.get('x-openstack-request-id')?.startsWith('req-'));
  });

  test('unknown paths are 404, known paths with another method 405 with Allow', async () => {
    const call = (method: string, path: string) =>
      fetch(`${cloud.url}/image${path}`, { method, headers: { 'x-auth-token': token, accept: 'application/json' } });
    assert.equal((await call('GET', '/v2/nothing')).status, 404);
    assert.equal((await call('GET', '/v2/images/x/nothing')).status, 404);
    const cases: Array<[string, string, string]> = [
      ['PUT', '/v2/images', 'GET, POST'],
      ['POST', '/v2/images/abc', 'GET, PATCH, DELETE'],
      ['POST', '/v2/images/abc/file', 'GET, PUT'],
      ['GET', '/v2/images/abc/import', 'POST'],
      ['GET', '/v2/images/abc/actions/deactivate', 'POST'],
      ['GET', '/v2/images/abc/tags/t', 'PUT, DELETE'],
      ['PATCH', '/v2/images/abc/members', 'GET, POST'],
      ['POST', '/v2/info/import', 'GET'],
      ['DELETE', '/v2/schemas/image', 'GET'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await call(method, path);
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get('allow'), allow, `${method} ${path}`);
    }
  });
});
