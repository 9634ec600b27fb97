import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: tokens', () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud.close());

  const passwordAuth = (name: string, password: string, scope?: unknown) => ({
    auth: {
      identity: { methods: ['password'], password: { user: { name, domain: { name: 'Default' }, password } } },
      ...(scope === undefined ? {} : { scope }),
    },
  });

  test('version discovery: 300 at the root, v3 document, media types', async () => {
    const root = await cloud.request('GET', '/identity');
    assert.equal(root.status, 300);
    const [version] = root.body.versions.values;
    assert.equal(version.id, 'v3.14');
    assert.equal(version.status, 'stable');
    assert.equal(version.links[0].href, `${cloud.identityUrl}/v3/`);
    assert.equal(version['media-types'][0].type, 'application/vnd.openstack.identity-v3+json');
    const v3 = await cloud.request('GET', '/identity/v3');
    assert.equal(v3.status, 200);
    assert.equal(v3.body.version.id, 'v3.14');
  });

  test('every response carries x-openstack-request-id, errors too', async () => {
    for (const path of ['/identity/v3', '/identity/v3/nothing-here', '/healthcheck', '/identity/v3/users']) {
      const response = await cloud.request('GET', path);
      assert.match(response.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/, path);
    }
  });

  test('password auth with project scope returns the token, catalog and roles', async () => {
    const response = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: passwordAuth('admin', cloud.adminPassword, { project: { name: 'admin', domain: { name: 'Default' } } }),
    });
    assert.equal(response.status, 201);
    const token = response.headers.get('x-subject-token');
    assert.ok(token && token.length > 100 && token.length < 255);
    const body = response.body.token;
    assert.deepEqual(body.methods, ['password']);
    assert.equal(body.user.name, 'admin');
    assert.deepEqual(body.user.domain, { id: 'default', name: 'Default' });
    assert.equal(body.project.name, 'admin');
    assert.equal(body.is_domain, false);
    assert.deepEqual(body.roles.map((r: { name: string }) => r.name).sort(), ['admin', 'member', 'reader']);
    assert.match(body.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(body.audit_ids.length, 1);
    const identity = body.catalog.find((s: { type: string }) => s.type === 'identity');
    assert.deepEqual(identity.endpoints.map((e: { interface: string }) => e.interface).sort(), ['admin', 'internal', 'public']);
    assert.equal(identity.endpoints[0].url, cloud.identityUrl);
    assert.equal(identity.endpoints[0].region, 'RegionOne');
  });

  test('nocatalog leaves the catalog out', async () => {
    const response = await cloud.request('POST', '/identity/v3/auth/tokens?nocatalog', {
      body: passwordAuth('admin', cloud.adminPassword, { project: { name: 'admin', domain: { name: 'Default' } } }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.body.token.catalog, undefined);
  });

  test('without a scope the user gets their default project; "unscoped" forces none', async () => {
    const scoped = await cloud.request('POST', '/identity/v3/auth/tokens', { body: passwordAuth('demo', cloud.demoPassword) });
    assert.equal(scoped.body.token.project.name, 'demo');
    const unscoped = await cloud.request('POST', '/identity/v3/auth/tokens', { body: passwordAuth('demo', cloud.demoPassword, 'unscoped') });
    assert.equal(unscoped.status, 201);
    assert.equal(unscoped.body.token.project, undefined);
    assert.equal(unscoped.body.token.roles, undefined);
  });

  test('domain and system scopes', async () => {
    const domain = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: passwordAuth('admin', cloud.adminPassword, { domain: { id: 'default' } }),
    });
    assert.equal(domain.status, 201);
    assert.deepEqual(domain.body.token.domain, { id: 'default', name: 'Default' });
    const system = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: passwordAuth('admin', cloud.adminPassword, { system: { all: true } }),
    });
    assert.equal(system.status, 201);
    assert.deepEqual(system.body.token.system, { all: true });
    const demoSystem = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: passwordAuth('demo', cloud.demoPassword, { system: { all: true } }),
    });
    assert.equal(demoSystem.status, 401);
  });

  test('bad credentials: 401 with Keystone body and WWW-Authenticate', async () => {
    for (const body of [
      passwordAuth('admin', 'wrong'),
      passwordAuth('nobody', 'x'),
      passwordAuth('demo', cloud.demoPassword, { project: { name: 'admin', domain: { id: 'default' } } }),
      passwordAuth('demo', cloud.demoPassword, { project: { id: 'does-not-exist' } }),
    ]) {
      const response = await cloud.request('POST', '/identity/v3/auth/tokens', { body });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 401);
      assert.equal(response.body.error.title, 'Unauthorized');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Keystone uri="http:\/\/127\.0\.0\.1:\d+\/identity"$/);
    }
  });

  test('malformed auth requests are 400, unknown methods 401', async () => {
    const malformed = await cloud.request('POST', '/identity/v3/auth/tokens', { rawBody: '{"auth": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 400);
    const missing = await cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth: {} } });
    assert.equal(missing.status, 400);
    const wrongType = await cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: 'password' } } } });
    assert.equal(wrongType.status, 400);
    // Keystone checks that every method has its data (400) before whether it supports the method (401).
    const totpWithoutData = await cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['totp'] } } } });
    assert.equal(totpWithoutData.status, 400);
    const totp = await cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['totp'], totp: {} } } } });
    assert.equal(totp.status, 401);
  });

  test('validate (GET), check (HEAD), revoke (DELETE) with X-Subject-Token', async () => {
    const admin = await cloud.adminToken();
    const demo = await cloud.demoToken();
    const validate = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } });
    assert.equal(validate.status, 200);
    assert.equal(validate.body.token.user.name, 'demo');
    assert.equal(validate.headers.get('x-subject-token'), demo);
    const check = await cloud.request('HEAD', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } });
    assert.equal(check.status, 200);

    const revoke = await cloud.request('DELETE', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    assert.equal(revoke.status, 204);
    const after = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } });
    assert.equal(after.status, 404);
    const used = await cloud.request('GET', '/identity/v3/auth/projects', { token: demo });
    assert.equal(used.status, 401);
    const exchanged = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: demo } } } },
    });
    assert.equal(exchanged.status, 404, 'the token method answers 404 for a revoked token, as Keystone does');
  });

  test("a user may validate their own token but not another user's", async () => {
    const demo = await cloud.demoToken();
    const admin = await cloud.adminToken();
    const own = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    assert.equal(own.status, 200);
    const other = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': admin } });
    assert.equal(other.status, 403);
  });

  test('garbage tokens: 401 as X-Auth-Token, 404 as X-Subject-Token', async () => {
    const admin = await cloud.adminToken();
    const asAuth = await cloud.request('GET', '/identity/v3/users', { token: 'gAAAAABnot-a-token' });
    assert.equal(asAuth.status, 401);
    const asSubject = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': 'nope' } });
    assert.equal(asSubject.status, 404);
    const none = await cloud.request('GET', '/identity/v3/users');
    assert.equal(none.status, 401);
  });

  test('token method: rescoping keeps expiry and chains audit ids', async () => {
    const unscoped = await cloud.token({ name: 'admin', password: cloud.adminPassword }, 'unscoped');
    const response = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: unscoped } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } },
    });
    assert.equal(response.status, 201);
    assert.deepEqual(response.body.token.methods.sort(), ['password', 'token']);
    assert.equal(response.body.token.audit_ids.length, 2);
    const parent = await cloud.request('GET', '/identity/v3/auth/tokens', { token: unscoped, headers: { 'x-subject-token': unscoped } });
    assert.equal(response.body.token.expires_at, parent.body.token.expires_at);
    assert.equal(response.body.token.audit_ids[1], parent.body.token.audit_ids[0]);

    const rescoped = response.headers.get('x-subject-token') as string;
    assert.equal((await cloud.request('DELETE', '/identity/v3/auth/tokens', { token: unscoped, headers: { 'x-subject-token': rescoped } })).status, 204);
    const parentAfter = await cloud.request('GET', '/identity/v3/auth/tokens', { token: unscoped, headers: { 'x-subject-token': unscoped } });
    assert.equal(parentAfter.status, 200, 'revoking the rescoped token leaves the one it came from alone');
  });

  test('application credential by name with its user; expired or deleted credentials fail', async () => {
    const demo = await cloud.demoToken();
    const self = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } })).body.token;
    const path = `/identity/v3/users/${self.user.id}/application_credentials`;
    const created = await cloud.request('POST', path, { token: demo, body: { application_credential: { name: 'by-name', secret: 'app-secret' } } });
    assert.equal(created.status, 201);
    const byName = (secret: string) =>
      cloud.request('POST', '/identity/v3/auth/tokens', {
        body: {
          auth: {
            identity: {
              methods: ['application_credential'],
              application_credential: { name: 'by-name', secret, user: { name: 'demo', domain: { name: 'Default' } } },
            },
          },
        },
      });
    const issued = await byName('app-secret');
    assert.equal(issued.status, 201);
    assert.deepEqual(issued.body.token.methods, ['application_credential']);
    assert.equal(issued.body.token.project.id, self.project.id);
    assert.deepEqual(issued.body.token.application_credential, { id: created.body.application_credential.id, name: 'by-name', restricted: true });
    assert.equal((await byName('wrong')).status, 401);
    const scoped = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['application_credential'], application_credential: { id: created.body.application_credential.id, secret: 'app-secret' } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      },
    });
    assert.equal(scoped.status, 401, 'an application credential cannot ask for another scope');
    await cloud.request('DELETE', `${path}/${created.body.application_credential.id}`, { token: demo });
    const appToken = issued.headers.get('x-subject-token') as string;
    const afterDelete = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': appToken } });
    assert.equal(afterDelete.status, 404, 'tokens of a deleted application credential stop working');
  });

  test('tokens die with their user, project or role assignment', async () => {
    const admin = await cloud.adminToken();
    const create = (path: string, body: unknown) => cloud.request('POST', `/identity/v3${path}`, { token: admin, body });
    const project = (await create('/projects', { project: { name: 'doomed' } })).body.project;
    const user = (await create('/users', { user: { name: 'short-lived', password: 'secret-1', default_project_id: project.id } })).body.user;
    const roles = (await cloud.request('GET', '/identity/v3/roles?name=member', { token: admin })).body.roles;
    const grant = `/identity/v3/projects/${project.id}/users/${user.id}/roles/${roles[0].id}`;
    assert.equal((await cloud.request('PUT', grant, { token: admin })).status, 204);

    const valid = (token: string) => cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    const issue = () => cloud.token({ id: user.id, password: 'secret-1' }, { project: { id: project.id } });

    let token = await issue();
    assert.equal((await valid(token)).status, 200);
    assert.equal((await cloud.request('DELETE', grant, { token: admin })).status, 204);
    assert.equal((await valid(token)).status, 404, 'role removed');

    await cloud.request('PUT', grant, { token: admin });
    token = await issue();
    await cloud.request('PATCH', `/identity/v3/users/${user.id}`, { token: admin, body: { user: { enabled: false } } });
    assert.equal((await valid(token)).status, 404, 'user disabled');
    await cloud.request('PATCH', `/identity/v3/users/${user.id}`, { token: admin, body: { user: { enabled: true } } });
    assert.equal((await valid(token)).status, 404, 're-enabling does not revive old tokens');

    await new Promise((resolve) => setTimeout(resolve, 1100)); // revocations cover the second they happened in
    token = await issue();
    assert.equal((await cloud.request('DELETE', `/identity/v3/projects/${project.id}`, { token: admin })).status, 204);
    assert.equal((await valid(token)).status, 404, 'project deleted');
  });
});
