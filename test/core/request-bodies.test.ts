/**
 * Issue 12: a body can neither overflow the stack nor fill the heap. Deep JSON
 * is a 400 and an oversize body a 413, in each service's own error format,
 * before the service does any work; unauthenticated token requests included.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

let cloud: TestServer;
let admin: string;
let projectId: string;

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  const projects = await cloud.request('GET', '/identity/v3/projects?name=admin', { token: admin });
  projectId = projects.body.projects[0].id;
});
after(() => cloud.close());

const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** One JSON write route per JSON service, and where its error text lives in its body. */
function writeRoutes(): Array<{ service: string; method: string; path: string; message: (body: Json, text: string) => unknown }> {
  return [
    { service: 'identity', method: 'POST', path: '/identity/v3/auth/tokens', message: (b) => b.error?.message },
    { service: 'identity', method: 'POST', path: '/identity/v3/projects', message: (b) => b.error?.message },
    { service: 'compute', method: 'POST', path: '/compute/v2.1/servers', message: (b) => b.overLimit?.message },
    { service: 'network', method: 'POST', path: '/network/v2.0/networks', message: (b) => b.NeutronError?.message },
    // Glance's errors are webob's plain-text pages.
    { service: 'image', method: 'POST', path: '/image/v2/images', message: (_b, text) => (text.startsWith('413 ') ? text : undefined) },
    { service: 'volume', method: 'POST', path: `/volume/v3/${projectId}/volumes`, message: (b) => b.overLimit?.message },
    { service: 'placement', method: 'POST', path: '/placement/resource_providers', message: (b) => b.errors?.[0]?.detail },
  ];
}

test('5,000 levels of nesting: 400 from every JSON service, and the server lives on', async () => {
  for (const route of writeRoutes()) {
    const response = await cloud.request(route.method, route.path, { token: admin, rawBody: deep(5000) });
    assert.equal(response.status, 400, `${route.service} ${route.path}: ${response.text}`);
  }
  assert.equal((await cloud.request('GET', '/healthcheck')).status, 200);
});

test("oversize bodies: 413 in the service's own body, refused from Content-Length", async () => {
  const big = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
  for (const route of writeRoutes()) {
    const response = await cloud.request(route.method, route.path, { token: admin, rawBody: big });
    assert.equal(response.status, 413, `${route.service} ${route.path}: ${response.text}`);
    assert.equal(typeof route.message(response.body, response.text), 'string', `${route.service}: ${response.text}`);
  }
});

test("Keystone, Nova and Cinder take at most oslo sizelimit's 112 KiB; the others up to 1 MiB", async () => {
  const body = JSON.stringify({ pad: 'x'.repeat(200 * 1024) });
  const anonymous = await cloud.request('POST', '/identity/v3/auth/tokens', { rawBody: body });
  assert.equal(anonymous.status, 413, anonymous.text);
  assert.equal(anonymous.body.error.code, 413);
  const nova = await cloud.request('POST', '/compute/v2.1/servers', { token: admin, rawBody: body });
  assert.equal(nova.status, 413, nova.text);
  // 200 KiB passes Neutron's limit: the answer is about the body's content, not its size.
  const neutron = await cloud.request('POST', '/network/v2.0/networks', { token: admin, rawBody: body });
  assert.equal(neutron.status, 400, neutron.text);
});
