/**
 * Malformed identity requests get Keystone's 4xx, never a 500: auth bodies
 * with impossible scopes, methods or references, ids of the wrong shape,
 * oversized bodies, and values that cannot go into a header.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: hostile input', () => {
  let cloud: TestServer;
  let admin: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  const demoUser = () => ({ name: 'demo', domain: { id: 'default' }, password: cloud.demoPassword });
  const issue = (auth: unknown) => cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth } });
  const withScope = (scope: unknown) => issue({ identity: { methods: ['password'], password: { user: demoUser() } }, scope });

  test('a scope naming no kind, or two, is a 400 as Keystone words it', async () => {
    for (const scope of [
      {},
      { nothing: {} },
      { '': '' },
      { project: { name: 'demo', domain: { id: 'default' } }, domain: { id: 'default' } },
      { system: { all: true }, unscoped: {} },
    ]) {
      const response = await withScope(scope);
      assert.equal(response.status, 400, JSON.stringify(scope));
      assert.equal(response.body.error.code, 400);
      assert.match(response.body.error.message, /^Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope\./);
    }
  });

  test('{"unscoped": {}} (old keystoneauth) is an unscoped token', async () => {
    const response = await withScope({ unscoped: {} });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.token.project, undefined);
    assert.equal(response.body.token.roles, undefined);
  });

  test('scope parts of the wrong type, or naming neither id nor name, are 400s', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ project: 'demo' }, /scope/],
      [{ project: { id: 7 } }, /scope\.project\.id/],
      [{ project: {} }, /^Invalid input for field scope\/project: id or name must be present\.$/],
      [{ project: { name: 'demo', domain: {} } }, /^Invalid input for field scope\/project\/domain: id or name must be present\.$/],
      [{ domain: {} }, /^Invalid input for field scope\/domain: id or name must be present\.$/],
      [{ domain: { id: ['default'] } }, /scope\.domain\.id/],
      [{ system: { all: 'yes' } }, /scope\.system\.all/],
      [{ 'OS-TRUST:trust': { id: 1 } }, /OS-TRUST:trust/],
      ['scoped', /scope/],
      [17, /scope/],
    ];
    for (const [scope, message] of cases) {
      const response = await withScope(scope);
      assert.equal(response.status, 400, JSON.stringify(scope));
      assert.match(response.body.error.message, message, JSON.stringify(scope));
    }
  });

  test('a trust scope naming no trust, or one that does not exist, is refused, not crashed on', async () => {
    const unknown = await withScope({ 'OS-TRUST:trust': { id: 'abc' } });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.message, 'Could not find trust: abc.');
    for (const trust of [{}, { id: '' }, { id: 42 }]) {
      assert.equal((await withScope({ 'OS-TRUST:trust': trust })).status, 400, JSON.stringify(trust));
    }
  });

  test('identity methods: repeats are dropped, unknown ones are 401, missing data is 400', async () => {
    const repeated = await issue({ identity: { methods: ['password', 'password'], password: { user: demoUser() } } });
    assert.equal(repeated.status, 201, repeated.text);
    assert.deepEqual(repeated.body.token.methods, ['password']);

    const unknown = await issue({ identity: { methods: ['kerberos'], kerberos: {} } });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.message, 'Attempted to authenticate with an unsupported method.');

    const missing = await issue({ identity: { methods: ['password'] } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /^Expecting to find password in identity\./);

    for (const methods of ['password', [1], [null], {}]) {
      const wrong = await issue({ identity: { methods, password: { user: demoUser() } } });
      assert.equal(wrong.status, 400, JSON.stringify(methods));
    }
  });

  test('password users of the wrong shape are 400s; unknown ones 401 whatever their size', async () => {
    for (const user of [
      { password: 'x' },
      { name: 'demo', password: 'x', domain: {} },
      { name: 5, password: 'x' },
      { id: 'x', password: 5 },
      { id: 'x', password: null },
      'demo',
    ]) {
      const response = await issue({ identity: { methods: ['password'], password: { user } } });
      assert.equal(response.status, 400, JSON.stringify(user));
    }
    const huge = await issue({ identity: { methods: ['password'], password: { user: { id: 'x'.repeat(100_000), password: 'p\u0000w' } } } });
    assert.equal(huge.status, 401);
  });

  test("a body over Keystone's max_request_body_size (114688 bytes) is 413 before any work", async () => {
    const response = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user: { id: 'x'.repeat(200 * 1024), password: 'x' } } } } },
    });
    // Depends on the HTTP core answering Fastify's body-too-large as 413.
    assert.equal(response.status, 413, response.text);
    assert.equal(response.body.error.code, 413);
  });

  test('a body just under the limit is read (and judged on its content)', async () => {
    const response = await issue({ identity: { methods: ['password'], password: { user: { id: 'x'.repeat(110 * 1024), password: 'x' } } } });
    assert.equal(response.status, 401);
  });

  test('ids that are empty, of the wrong type or shape are 400s in entity bodies', async () => {
    const cases: Array<[string, unknown]> = [
      ['/projects', { project: { name: 'p-empty-parent', parent_id: '' } }],
      ['/projects', { project: { name: 'p-numeric-parent', parent_id: 5 } }],
      ['/projects', { project: { name: 'p-slash-parent', parent_id: '../default' } }],
      ['/projects', { project: { name: 'p-nul-domain', domain_id: 'de\u0000fault' } }],
      ['/projects', { project: { name: 'p-object-domain', domain_id: { id: 'default' } } }],
      ['/projects', { project: { name: 'p-long-parent', parent_id: 'a'.repeat(65) } }],
      ['/users', { user: { name: 'u-empty-domain', domain_id: '' } }],
      ['/users', { user: { name: 'u-bad-project', default_project_id: ['x'] } }],
      ['/groups', { group: { name: 'g-bad-domain', domain_id: 'a b' } }],
      ['/roles', { role: { name: 'r-bad-domain', domain_id: '' } }],
      ['/domains', { domain: { name: 'd-bad-id', explicit_domain_id: '' } }],
    ];
    for (const [path, body] of cases) {
      const response = await cloud.request('POST', `/identity/v3${path}`, { token: admin, body });
      assert.equal(response.status, 400, `${path} ${JSON.stringify(body)}: ${response.text}`);
      assert.equal(response.body.error.code, 400);
    }
    const listed = await cloud.request('GET', '/identity/v3/projects?name=p-empty-parent', { token: admin });
    assert.deepEqual(listed.body.projects, [], 'nothing was created');
  });

  test('a project tag with CR or NUL in the path is stored and its Location header encoded', async () => {
    const project = await cloud.request('POST', '/identity/v3/projects', { token: admin, body: { project: { name: 'tagged' } } });
    const id = project.body.project.id as string;
    const response = await cloud.request('PUT', `/identity/v3/projects/${id}/tags/a%0Db%00c`, { token: admin });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.headers.get('location'), `${cloud.identityUrl}/v3/projects/${id}/tags/a%0Db%00c`);
    const tags = await cloud.request('GET', `/identity/v3/projects/${id}/tags`, { token: admin });
    assert.deepEqual(tags.body.tags, ['a\rb\u0000c']);
  });

  test('an empty limit or registered-limit update changes nothing and answers 200', async () => {
    const service = await cloud.request('POST', '/identity/v3/services', { token: admin, body: { service: { type: 'widget' } } });
    const serviceId = service.body.service.id as string;
    const registered = await cloud.request('POST', '/identity/v3/registered_limits', {
      token: admin,
      body: { registered_limits: [{ service_id: serviceId, resource_name: 'widgets', default_limit: 3 }] },
    });
    const registeredId = registered.body.registered_limits[0].id as string;
    const emptyRegistered = await cloud.request('PATCH', `/identity/v3/registered_limits/${registeredId}`, { token: admin, body: { registered_limit: {} } });
    assert.equal(emptyRegistered.status, 200, emptyRegistered.text);
    assert.equal(emptyRegistered.body.registered_limit.default_limit, 3);

    const projects = await cloud.request('GET', '/identity/v3/projects?name=demo', { token: admin });
    const limit = await cloud.request('POST', '/identity/v3/limits', {
      token: admin,
      body: { limits: [{ service_id: serviceId, project_id: projects.body.projects[0].id, resource_name: 'widgets', resource_limit: 5 }] },
    });
    const limitId = limit.body.limits[0].id as string;
    const emptyLimit = await cloud.request('PATCH', `/identity/v3/limits/${limitId}`, { token: admin, body: { limit: {} } });
    assert.equal(emptyLimit.status, 200, emptyLimit.text);
    assert.equal(emptyLimit.body.limit.resource_limit, 5);
  });
});
