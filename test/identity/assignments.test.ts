import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

describe('identity: role assignments', () => {
  let cloud: TestServer;
  let admin: string;
  const ids: Record<string, string> = {};
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    const post = async (path: string, body: unknown) => (await cloud.request('POST', `/identity/v3${path}`, { token: admin, body })).body;
    ids.parent = (await post('/projects', { project: { name: 'ra-parent' } })).project.id;
    ids.child = (await post('/projects', { project: { name: 'ra-child', parent_id: ids.parent } })).project.id;
    ids.user = (await post('/users', { user: { name: 'ra-user', password: 'pw-ra-user' } })).user.id;
    ids.group = (await post('/groups', { group: { name: 'ra-group' } })).group.id;
    const roles = (await cloud.request('GET', '/identity/v3/roles', { token: admin })).body.roles as Array<{ id: string; name: string }>;
    for (const role of roles) ids[role.name] = role.id;
  });
  after(() => cloud.close());

  const put = (path: string) => cloud.request('PUT', `/identity/v3${path}`, { token: admin });
  const list = async (query: string) =>
    (await cloud.request('GET', `/identity/v3/role_assignments?${query}`, { token: admin })).body.role_assignments as Array<Json>;

  test('grants on projects, domains and the system; unknown entities 404', async () => {
    assert.equal((await put(`/projects/${ids.parent}/users/${ids.user}/roles/${ids.member}`)).status, 204);
    assert.equal((await put(`/projects/${ids.parent}/users/${ids.user}/roles/nope`)).status, 404);
    assert.equal((await put(`/projects/nope/users/${ids.user}/roles/${ids.member}`)).status, 404);
    assert.equal((await cloud.request('HEAD', `/identity/v3/projects/${ids.parent}/users/${ids.user}/roles/${ids.member}`, { token: admin })).status, 204);
    const roles = (await cloud.request('GET', `/identity/v3/projects/${ids.parent}/users/${ids.user}/roles`, { token: admin })).body.roles;
    assert.deepEqual(
      roles.map((r: { name: string }) => r.name),
      ['member'],
    );
    assert.equal((await put(`/system/users/${ids.user}/roles/${ids.reader}`)).status, 204);
    const system = await list(`user.id=${ids.user}&scope.system=all`);
    assert.deepEqual(
      system.map((a) => a.scope),
      [{ system: { all: true } }],
    );
  });

  test('effective: groups expand to members, inherited grants to projects below, implied roles added', async () => {
    assert.equal((await put(`/groups/${ids.group}/users/${ids.user}`)).status, 204);
    assert.equal((await put(`/OS-INHERIT/projects/${ids.parent}/groups/${ids.group}/roles/${ids.admin}/inherited_to_projects`)).status, 204);
    const direct = await list(`group.id=${ids.group}`);
    assert.equal(direct.length, 1);
    assert.equal(direct[0]?.scope['OS-INHERIT:inherited_to'], 'projects');

    const effective = await list(`effective&user.id=${ids.user}&scope.project.id=${ids.child}&include_names`);
    const names = effective.map((a) => a.role.name).sort();
    assert.deepEqual(names, ['admin', 'member', 'reader']);
    const viaGroup = effective.find((a) => a.role.name === 'admin');
    assert.equal(viaGroup?.user.name, 'ra-user');
    assert.equal(viaGroup?.scope.project.name, 'ra-child');
    assert.match(viaGroup?.links.membership ?? '', new RegExp(`/groups/${ids.group}/users/${ids.user}$`));
    assert.match(viaGroup?.links.assignment ?? '', /OS-INHERIT\/projects\/.+\/inherited_to_projects$/);

    const token = await cloud.token({ id: ids.user, password: 'pw-ra-user' }, { project: { id: ids.child } });
    const shown = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.deepEqual(shown.body.token.roles.map((r: { name: string }) => r.name).sort(), ['admin', 'member', 'reader']);
  });

  test('inherited grants do not apply to their own target', async () => {
    const onParent = await list(`effective&user.id=${ids.user}&scope.project.id=${ids.parent}`);
    assert.deepEqual(onParent.map((a) => a.role.id).sort(), [ids.member, ids.reader].sort());
  });

  test('domain-specific roles: they imply roles, are never effective themselves, and no global role implies them', async () => {
    const post = async (body: unknown) => (await cloud.request('POST', '/identity/v3/roles', { token: admin, body })).body.role;
    const domainRole = await post({ role: { name: 'ra-domain-role', domain_id: 'default' } });
    assert.equal((await put(`/roles/${domainRole.id}/implies/${ids.reader}`)).status, 201, 'domain role → global role');
    assert.equal((await put(`/roles/${ids.member}/implies/${domainRole.id}`)).status, 403, 'global role → domain role');
    const project = (await cloud.request('POST', '/identity/v3/projects', { token: admin, body: { project: { name: 'ra-domain-roles' } } })).body.project;
    assert.equal((await put(`/projects/${project.id}/users/${ids.user}/roles/${domainRole.id}`)).status, 204);
    const effective = await list(`effective&user.id=${ids.user}&scope.project.id=${project.id}`);
    assert.deepEqual(
      effective.map((a) => a.role.id),
      [ids.reader],
    );
    assert.equal(effective[0]?.links.prior_role, `${cloud.identityUrl}/v3/roles/${domainRole.id}`);
  });

  test('revoking a grant that does not exist is 404', async () => {
    const response = await cloud.request('DELETE', `/identity/v3/domains/default/users/${ids.user}/roles/${ids.member}`, { token: admin });
    assert.equal(response.status, 404);
  });
});
