import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

describe('identity API: application credentials', () => {
  let cloud: TestServer;
  let demo: string;
  let demoUserId: string;
  let demoProjectId: string;
  before(async () => {
    cloud = await startTestServer();
    demo = await cloud.demoToken();
    const self = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    demoUserId = self.body.token.user.id;
    demoProjectId = self.body.token.project.id;
  });
  after(() => cloud.close());

  const path = (suffix = '') => `/identity/v3/users/${demoUserId}/application_credentials${suffix}`;
  const authWith = (id: string, secret: string) =>
    cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } },
    });

  test('create shows the secret once; the credential authenticates scoped to its project and roles', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const created = await cloud.request('POST', path(), {
      token: demo,
      body: { application_credential: { name: 'ci', description: 'CI runner', roles: [{ name: 'reader' }], expires_at: expiresAt.toISOString() } },
    });
    assert.equal(created.status, 201);
    const credential = created.body.application_credential;
    assert.deepEqual(Object.keys(credential).sort(), ['description', 'expires_at', 'id', 'links', 'name', 'project_id', 'roles', 'secret', 'unrestricted']);
    assert.equal(credential.project_id, demoProjectId);
    assert.equal(credential.unrestricted, false);
    assert.equal(credential.expires_at, expiresAt.toISOString().replace(/\.(\d{3})Z$/, '.$1000'));
    assert.deepEqual(
      credential.roles.map((r: { name: string; domain_id: null }) => [r.name, r.domain_id]),
      [['reader', null]],
    );
    assert.equal(credential.links.self, `${cloud.url}${path(`/${credential.id}`)}`);
    assert.match(credential.secret, /^[A-Za-z0-9_-]{86}$/);

    const shown = await cloud.request('GET', path(`/${credential.id}`), { token: demo });
    assert.equal(shown.body.application_credential.secret, undefined);
    const listed = await cloud.request('GET', path('?name=ci'), { token: demo });
    assert.deepEqual(
      listed.body.application_credentials.map((c: { id: string }) => c.id),
      [credential.id],
    );

    const token = await authWith(credential.id, credential.secret);
    assert.equal(token.status, 201);
    assert.equal(token.body.token.project.id, demoProjectId);
    assert.deepEqual(
      token.body.token.roles.map((r: { name: string }) => r.name),
      ['reader'],
    );
    assert.equal((await authWith(credential.id, 'wrong')).status, 401);

    // A restricted credential's token cannot make or remove credentials.
    const appToken = token.headers.get('x-subject-token') as string;
    const nested = await cloud.request('POST', path(), { token: appToken, body: { application_credential: { name: 'nested' } } });
    assert.equal(nested.status, 403);
    assert.equal((await cloud.request('DELETE', path(`/${credential.id}`), { token: appToken })).status, 403);

    assert.equal((await cloud.request('DELETE', path(`/${credential.id}`), { token: demo })).status, 204);
    assert.equal((await authWith(credential.id, credential.secret)).status, 401);
    assert.equal((await cloud.request('GET', path(`/${credential.id}`), { token: demo })).status, 404);
  });

  test("bad input is 400, a taken name 409, another user's collection 403", async () => {
    for (const body of [
      { application_credential: { name: 'x', colour: 'red' } },
      { application_credential: { name: 'x', roles: [{ id: 'a', name: 'b' }] } },
      { application_credential: { name: 'x', roles: [{ name: 'admin' }] } },
      { application_credential: { name: 'x', expires_at: '2001-01-01T00:00:00Z' } },
      { application_credential: {} },
    ]) {
      const response = await cloud.request('POST', path(), { token: demo, body });
      assert.equal(response.status, 400, JSON.stringify(body));
    }
    assert.equal((await cloud.request('POST', path(), { token: demo, body: { application_credential: { name: 'dup' } } })).status, 201);
    assert.equal((await cloud.request('POST', path(), { token: demo, body: { application_credential: { name: 'dup' } } })).status, 409);
    const admin = await cloud.adminToken();
    const adminSelf = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
    const others = `/identity/v3/users/${adminSelf.body.token.user.id}/application_credentials`;
    assert.equal((await cloud.request('GET', others, { token: demo })).status, 403);
    assert.equal((await cloud.request('GET', path(), { token: admin })).status, 200);
  });
});
