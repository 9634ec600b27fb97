/**
 * GET /v3/auth/tokens answers from a cache of rendered bodies (see
 * identity/service/token-cache.ts). These tests warm that cache, then change
 * what the answer depends on and check that the very next validation refuses
 * the token: revocation, a disabled user, a removed role, the cloud's clock
 * passing the expiry. One server for the file; the clock test runs last.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
let demoProjectId: string;
let memberRoleId: string;

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
  demoProjectId = (await cloud.request('GET', '/identity/v3/projects?name=demo', { token: admin })).body.projects[0].id;
  memberRoleId = (await cloud.request('GET', '/identity/v3/roles?name=member', { token: admin })).body.roles[0].id;
});
after(() => cloud.close());

const validate = (subject: string, token = admin, query = '') =>
  cloud.request('GET', `/identity/v3/auth/tokens${query}`, { token, headers: { 'X-Subject-Token': subject } });

/** Validates twice: the second answer comes from the cache, and must equal the first. */
async function warmed(subject: string, token = admin, query = ''): Promise<void> {
  const first = await validate(subject, token, query);
  assert.equal(first.status, 200, first.text);
  const second = await validate(subject, token, query);
  assert.equal(second.status, 200, second.text);
  assert.equal(second.text, first.text);
  for (const header of ['content-type', 'x-subject-token']) assert.equal(second.headers.get(header), first.headers.get(header), header);
}

let users = 0;
/** A fresh user with the member role on the demo project, and a token of theirs scoped there. */
async function memberWithToken(): Promise<{ userId: string; token: string }> {
  const name = `cached-${++users}`;
  const created = await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name, password: 'pw-cached-1', domain_id: 'default' } } });
  assert.equal(created.status, 201, created.text);
  const userId = created.body.user.id as string;
  const granted = await cloud.request('PUT', `/identity/v3/projects/${demoProjectId}/users/${userId}/roles/${memberRoleId}`, { token: admin });
  assert.equal(granted.status, 204, granted.text);
  return { userId, token: await cloud.token({ id: userId, password: 'pw-cached-1' }, { project: { id: demoProjectId } }) };
}

test('a cached answer has the same body and headers; nocatalog and the caller are kept apart', async () => {
  const { token } = await memberWithToken();
  await warmed(token);
  await warmed(token, admin, '?nocatalog=1');
  assert.ok((await validate(token)).body.token.catalog, 'the full answer keeps its catalog');
  assert.equal((await validate(token, admin, '?nocatalog=1')).body.token.catalog, undefined);
  // A member may validate only their own tokens: the admin's cached answer is not theirs to see.
  const demo = await cloud.demoToken();
  assert.equal((await validate(token, demo)).status, 403);
  await warmed(token, token);
});

test('a revoked token is refused right after its answer was cached', async () => {
  const { token } = await memberWithToken();
  await warmed(token);
  await warmed(token, token);
  const revoked = await cloud.request('DELETE', '/identity/v3/auth/tokens', { token: admin, headers: { 'X-Subject-Token': token } });
  assert.equal(revoked.status, 204, revoked.text);
  assert.equal((await validate(token)).status, 404);
  assert.equal((await validate(token, token)).status, 401, 'nor may it authenticate');
});

test('a disabled user’s token is refused right after its answer was cached', async () => {
  const { userId, token } = await memberWithToken();
  await warmed(token);
  const disabled = await cloud.request('PATCH', `/identity/v3/users/${userId}`, { token: admin, body: { user: { enabled: false } } });
  assert.equal(disabled.status, 200, disabled.text);
  assert.equal((await validate(token)).status, 404);
});

test('a token whose role was removed is refused right after its answer was cached', async () => {
  const { userId, token } = await memberWithToken();
  await warmed(token);
  const removed = await cloud.request('DELETE', `/identity/v3/projects/${demoProjectId}/users/${userId}/roles/${memberRoleId}`, { token: admin });
  assert.equal(removed.status, 204, removed.text);
  assert.equal((await validate(token)).status, 404);
});

test('cached answers end when the cloud clock passes the expiry of either token', async () => {
  const { token } = await memberWithToken();
  await warmed(token);
  await warmed(token, token);
  const moved = await cloud.request('POST', '/_nimbus/clock', { token: admin, body: { advance_seconds: 3601 } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal((await validate(token)).status, 401, 'the cached caller’s own token expired');
  assert.equal((await validate(token, token)).status, 401);
  const fresh = await cloud.adminToken();
  assert.equal((await validate(token, fresh)).status, 404, 'the subject expired');
  assert.equal((await validate(fresh, fresh)).status, 200);
});
