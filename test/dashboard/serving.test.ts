/** The server side of the dashboard: where it is served, the SPA fallback, and `/` for browsers and for API clients. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
before(async () => {
  cloud = await startTestServer();
});
after(async () => cloud.close());

const html = { accept: 'text/html,application/xhtml+xml' };

test('a browser opening the root is sent to the dashboard', async () => {
  const response = await fetch(`${cloud.url}/`, { headers: html, redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), '/dashboard/');
});

test('an API client asking the root gets the 404 it got before the dashboard existed', async () => {
  const response = await cloud.request('GET', '/', { headers: { accept: 'application/json' } });
  assert.equal(response.status, 404);
});

test('the app is served under /dashboard, and its own routes fall back to index.html', async () => {
  // The server ignores a trailing slash: /dashboard is the app as /dashboard/ is.
  for (const path of ['/dashboard', '/dashboard/', '/dashboard/instances', '/dashboard/admin/hypervisors']) {
    const response = await fetch(`${cloud.url}${path}`, { headers: html });
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /<div id="root">/);
  }
});

test('hashed assets are cached for good, a missing one is a 404 rather than index.html', async () => {
  const index = await (await fetch(`${cloud.url}/dashboard/`)).text();
  const script = index.match(/src="(\/dashboard\/assets\/[^"]+\.js)"/)?.[1];
  assert.ok(script, 'index.html names its script');
  const asset = await fetch(`${cloud.url}${script}`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  const missing = await fetch(`${cloud.url}/dashboard/assets/nothing-here.js`);
  assert.equal(missing.status, 404);
});

test('no path climbs out of the built app', async () => {
  for (const path of ['/dashboard/..%2f..%2fpackage.json', '/dashboard/assets/..%2f..%2f..%2fpackage.json', '/dashboard/%2e%2e/%2e%2e/package.json']) {
    const response = await fetch(`${cloud.url}${path}`);
    const text = await response.text();
    assert.ok(response.status < 500, `${path}: ${response.status}`);
    assert.doesNotMatch(text, /"name": "nimbus"/, path);
  }
});
