import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: domains, projects, users, groups, roles', () => {
  let cloud: TestServer;
  let admin: string;
  const v3 = (path: string) => `/identity/v3${path}`;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown) => cloud.request(method, v3(path), { token: admin, body });

  test('bootstrap: Default domain, admin/demo/service projects, roles with implications', async () => {
    const domain = await call('GET', '/domains/default');
    assert.equal(domain.status, 200);
    assert.equal(domain.body.domain.name, 'Default');
    const projects = (await call('GET', '/projects')).body.projects.map((p: { name: string }) => p.name);
    for (const name of ['admin', 'demo', 'service']) assert.ok(projects.includes(name), name);
    const roles = (await call('GET', '/roles')).body.roles.map((r: { name: string }) => r.name);
    for (const name of ['admin', 'member', 'reader', 'service', 'ResellerAdmin']) assert.ok(roles.includes(name), name);
    const inferences = (await call('GET', '/role_inferences')).body.role_inferences;
    const implied = Object.fromEntries(
      inferences.map((i: { prior_role: { name: string }; implies: Array<{ name: string }> }) => [i.prior_role.name, i.implies.map((r) => r.name)]),
    );
    assert.deepEqual(implied, { admin: ['member'], member: ['reader'] });
    const regions = (await call('GET', '/regions')).body.regions;
    assert.deepEqual(
      regions.map((r: { id: string }) => r.id),
      ['RegionOne'],
    );
  });

  test('domain lifecycle: create, duplicate 409, update, delete only when disabled', async () => {
    const created = await call('POST', '/domains', { domain: { name: 'dom-a', description: 'A', color: 'blue' } });
    assert.equal(created.status, 201);
    const domain = created.body.domain;
    assert.equal(domain.color, 'blue', 'extra attributes are kept');
    assert.equal(domain.links.self, `${cloud.identityUrl}/v3/domains/${domain.id}`);
    assert.equal((await call('POST', '/domains', { domain: { name: 'dom-a' } })).status, 409);
    const listed = await call('GET', '/domains?name=dom-a');
    assert.equal(listed.body.domains.length, 1);
    assert.equal((await call('DELETE', `/domains/${domain.id}`)).status, 403);
    const updated = await call('PATCH', `/domains/${domain.id}`, { domain: { enabled: false } });
    assert.equal(updated.body.domain.enabled, false);
    assert.equal((await call('DELETE', `/domains/${domain.id}`)).status, 204);
    assert.equal((await call('GET', `/domains/${domain.id}`)).status, 404);
  });

  test('bad input is 400 and creates nothing', async () => {
    for (const body of [
      {},
      { project: {} },
      { project: { name: 12 } },
      { project: { name: '' } },
      { project: { name: 'x', enabled: 'yes' } },
      { project: { name: 'x' }, extra: 1 },
    ]) {
      const response = await call('POST', '/projects', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 400);
      assert.equal(response.body.error.title, 'Bad Request');
    }
    const malformed = await cloud.request('POST', v3('/projects'), { token: admin, rawBody: '{not json' });
    assert.equal(malformed.status, 400);
    const unknownDomain = await call('POST', '/projects', { project: { name: 'orphan', domain_id: 'nope' } });
    assert.equal(unknownDomain.status, 400);
    assert.equal((await call('POST', '/users', { user: { name: 'orphan', domain_id: 'nope' } })).status, 404, 'as Keystone: DomainNotFound');
    const names = (await call('GET', '/projects')).body.projects.map((p: { name: string }) => p.name);
    assert.ok(!names.includes('x') && !names.includes('orphan'));
  });

  test('unknown ids are 404 with Keystone body', async () => {
    for (const path of ['/projects/nope', '/users/nope', '/groups/nope', '/roles/nope', '/domains/nope']) {
      const response = await call('GET', path);
      assert.equal(response.status, 404, path);
      assert.equal(response.body.error.title, 'Not Found');
      assert.match(response.body.error.message, /Could not find/);
    }
  });

  test('projects: hierarchy, tags and filters', async () => {
    const parent = (await call('POST', '/projects', { project: { name: 'parent', tags: ['blue'] } })).body.project;
    assert.equal(parent.parent_id, 'default');
    assert.equal(parent.domain_id, 'default');
    const child = (await call('POST', '/projects', { project: { name: 'child', parent_id: parent.id, tags: ['blue', 'green'] } })).body.project;
    assert.equal(child.parent_id, parent.id);
    assert.equal((await call('POST', '/projects', { project: { name: 'child' } })).status, 409);
    assert.deepEqual(
      (await call('GET', `/projects?parent_id=${parent.id}`)).body.projects.map((p: { id: string }) => p.id),
      [child.id],
    );
    assert.deepEqual(
      (await call('GET', '/projects?tags=blue,green')).body.projects.map((p: { id: string }) => p.id),
      [child.id],
    );
    assert.equal((await call('GET', '/projects?tags-any=blue')).body.projects.length, 2);
    assert.equal((await call('PUT', `/projects/${parent.id}/tags/red`)).status, 201);
    assert.deepEqual((await call('GET', `/projects/${parent.id}/tags`)).body.tags.sort(), ['blue', 'red']);
    assert.equal((await call('GET', `/projects/${parent.id}/tags/red`)).status, 204);
    assert.equal((await call('GET', `/projects/${parent.id}/tags/none`)).status, 404);
    assert.equal((await call('PATCH', `/projects/${child.id}`, { project: { parent_id: 'default' } })).status, 403);
    assert.equal((await call('DELETE', `/projects/${parent.id}`)).status, 403, 'not a leaf');
    assert.equal((await call('DELETE', `/projects/${child.id}`)).status, 204);
    assert.equal((await call('DELETE', `/projects/${parent.id}`)).status, 204);
  });

  test('users: create with password, show, filter, update, delete; passwords never shown', async () => {
    const created = await call('POST', '/users', { user: { name: 'alice', password: 'pw-1', email: 'alice@example.org' } });
    assert.equal(created.status, 201);
    const user = created.body.user;
    assert.equal(user.email, 'alice@example.org');
    assert.equal(user.password, undefined);
    assert.equal(user.password_expires_at, null);
    assert.equal((await call('POST', '/users', { user: { name: 'alice' } })).status, 409);
    assert.equal((await call('GET', '/users?name=alice')).body.users[0].id, user.id);
    const renamed = await call('PATCH', `/users/${user.id}`, { user: { name: 'alice2', email: null } });
    assert.equal(renamed.body.user.name, 'alice2');
    assert.equal(renamed.body.user.email, undefined);
    await cloud.token({ id: user.id, password: 'pw-1' }, 'unscoped');
    assert.equal((await call('DELETE', `/users/${user.id}`)).status, 204);
    assert.equal((await call('DELETE', `/users/${user.id}`)).status, 404);
  });

  test('groups and membership', async () => {
    const group = (await call('POST', '/groups', { group: { name: 'ops' } })).body.group;
    const user = (await call('POST', '/users', { user: { name: 'bob' } })).body.user;
    assert.equal((await call('HEAD', `/groups/${group.id}/users/${user.id}`)).status, 404);
    assert.equal((await call('PUT', `/groups/${group.id}/users/${user.id}`)).status, 204);
    assert.equal((await call('HEAD', `/groups/${group.id}/users/${user.id}`)).status, 204);
    assert.deepEqual(
      (await call('GET', `/groups/${group.id}/users`)).body.users.map((u: { id: string }) => u.id),
      [user.id],
    );
    assert.deepEqual(
      (await call('GET', `/users/${user.id}/groups`)).body.groups.map((g: { id: string }) => g.id),
      [group.id],
    );
    assert.equal((await call('PUT', `/groups/${group.id}/users/nope`)).status, 404);
    assert.equal((await call('DELETE', `/groups/${group.id}/users/${user.id}`)).status, 204);
    assert.equal((await call('DELETE', `/groups/${group.id}/users/${user.id}`)).status, 404);
    assert.equal((await call('DELETE', `/groups/${group.id}`)).status, 204);
  });

  test('roles: global and domain roles, implied roles without cycles', async () => {
    const a = (await call('POST', '/roles', { role: { name: 'role-a' } })).body.role;
    const b = (await call('POST', '/roles', { role: { name: 'role-b' } })).body.role;
    assert.equal(a.domain_id, null);
    assert.equal((await call('POST', '/roles', { role: { name: 'role-a' } })).status, 409);
    const scoped = await call('POST', '/roles', { role: { name: 'role-a', domain_id: 'default' } });
    assert.equal(scoped.status, 201, 'the same name may exist as a domain role');
    assert.equal((await call('PUT', `/roles/${a.id}/implies/${b.id}`)).status, 201);
    assert.equal((await call('HEAD', `/roles/${a.id}/implies/${b.id}`)).status, 204);
    assert.equal((await call('PUT', `/roles/${b.id}/implies/${a.id}`)).status, 403, 'cycle');
    assert.equal((await call('GET', `/roles/${a.id}/implies`)).body.role_inference.implies[0].id, b.id);
    assert.equal((await call('DELETE', `/roles/${b.id}`)).status, 204);
    assert.equal((await call('GET', `/roles/${a.id}/implies`)).body.role_inference.implies.length, 0);
  });

  test('the demo user is refused admin operations with 403', async () => {
    const demo = await cloud.demoToken();
    const asDemo = (method: string, path: string, body?: unknown) => cloud.request(method, v3(path), { token: demo, body });
    for (const [method, path, body] of [
      ['POST', '/users', { user: { name: 'mallory' } }],
      ['POST', '/projects', { project: { name: 'mine' } }],
      ['GET', '/users', undefined],
      ['POST', '/roles', { role: { name: 'superuser' } }],
      ['GET', '/role_assignments', undefined],
      ['DELETE', '/domains/default', undefined],
    ] as const) {
      const response = await asDemo(method, path, body);
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal(response.body.error.title, 'Forbidden');
    }
    const self = await asDemo('GET', '/auth/projects');
    assert.deepEqual(
      self.body.projects.map((p: { name: string }) => p.name),
      ['demo'],
    );
  });
});
