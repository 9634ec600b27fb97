/** identity/operations.ts: the calls other services (Heat, bootstrap) make, with Keystone's policy inside. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import type { IdentityOperations } from '../../src/identity/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { statusOf as status } from '../support/status.js';

describe('identity operations', () => {
  let cloud: TestServer;
  let identity: IdentityOperations;
  let admin: CallerContext;
  let demo: CallerContext;

  before(async () => {
    cloud = await startTestServer();
    identity = cloud.server.services.identity?.operations as IdentityOperations;
    admin = await identity.authenticate(await cloud.adminToken());
    demo = await identity.authenticate(await cloud.demoToken());
  });
  after(() => cloud.close());

  test('authenticate: the caller of a token; 401 for a bad one', async () => {
    assert.equal(admin.userName, 'admin');
    assert.equal(admin.project?.name, 'admin');
    assert.ok(admin.roles.includes('admin'));
    assert.equal(await status(identity.authenticate('not-a-token')), 401);
  });

  test('domains and projects: get, find by name or id, list by name', async () => {
    const domain = await identity.findDomain(admin, 'Default');
    assert.deepEqual(await identity.getDomain(admin, domain.id), domain);
    assert.equal(domain.enabled, true);
    const project = await identity.findProject(admin, 'demo');
    assert.equal(project.domainId, domain.id);
    assert.deepEqual(await identity.findProject(admin, project.id), project);
    assert.deepEqual(
      (await identity.listProjects(admin, { name: 'demo' })).map((p) => p.id),
      [project.id],
    );
    assert.equal(await status(identity.findProject(admin, 'no-such-project')), 404);
  });

  test('project lifecycle; a duplicate name is a 409; a member is refused as by the API', async () => {
    const created = await identity.createProject(admin, { name: 'ops-project', description: 'made in-process', tags: ['heat'] });
    assert.deepEqual(
      { ...created, id: '' },
      { id: '', name: 'ops-project', domainId: 'default', parentId: null, description: 'made in-process', enabled: true, tags: ['heat'] },
    );
    assert.equal(await status(identity.createProject(admin, { name: 'ops-project' })), 409);
    const updated = await identity.updateProject(admin, created.id, { enabled: false, description: null });
    assert.equal(updated.enabled, false);
    assert.equal(updated.description, null);
    assert.equal(await status(identity.createProject(demo, { name: 'by-member' })), 403);
    assert.equal(await status(identity.deleteProject(demo, created.id)), 403);
    await identity.deleteProject(admin, created.id);
    assert.equal(await status(identity.getProject(admin, created.id)), 404);
    assert.equal(await status(identity.deleteProject(admin, created.id)), 404);
  });

  test('users and role assignments: grant, check, revoke; the new user can then authenticate', async () => {
    const project = await identity.createProject(admin, { name: 'ops-users' });
    const user = await identity.createUser(admin, { name: 'ops-user', password: 'secret-1', email: 'ops@example.org', defaultProjectId: project.id });
    assert.equal(user.email, 'ops@example.org');
    assert.equal(user.defaultProjectId, project.id);
    assert.deepEqual(await identity.findUser(admin, 'ops-user', 'default'), user);
    const member = await identity.findRole(admin, 'member');
    assert.equal(member.domainId, null);
    const assignment = { roleId: member.id, actor: { kind: 'user' as const, id: user.id }, target: { kind: 'project' as const, id: project.id } };
    assert.equal(await identity.hasRole(admin, assignment), false);
    await identity.grantRole(admin, assignment);
    await identity.grantRole(admin, assignment);
    assert.equal(await identity.hasRole(admin, assignment), true);
    assert.equal(await status(identity.grantRole(demo, assignment)), 403);

    const token = await cloud.token({ id: user.id, password: 'secret-1' }, { project: { id: project.id } });
    const caller = await identity.authenticate(token);
    assert.equal(caller.userId, user.id);
    assert.deepEqual(caller.roles.sort(), ['member', 'reader']);

    await identity.revokeRole(admin, assignment);
    assert.equal(await identity.hasRole(admin, assignment), false);
    assert.equal(await status(identity.authenticate(token)), 401, 'revoking the role ends the tokens that carried it');
    const renamed = await identity.updateUser(admin, user.id, { name: 'ops-user-2', email: null });
    assert.equal(renamed.name, 'ops-user-2');
    assert.equal(renamed.email, null);
    await identity.deleteUser(admin, user.id);
    assert.equal(await status(identity.getUser(admin, user.id)), 404);
    await identity.deleteProject(admin, project.id);
  });

  test('roles, groups with members, domains: create, update, delete; a member is refused; an enabled domain is not deleted', async () => {
    const role = await identity.createRole(admin, { name: 'ops-role' });
    assert.equal((await identity.updateRole(admin, role.id, 'ops-role-2')).name, 'ops-role-2');
    assert.equal((await identity.findRole(admin, 'ops-role-2')).id, role.id);
    assert.equal(await status(identity.createRole(demo, { name: 'ops-denied' })), 403);
    await identity.deleteRole(admin, role.id);
    assert.equal(await status(identity.getRole(admin, role.id)), 404);

    const group = await identity.createGroup(admin, { name: 'ops-group', domainId: 'default', description: 'first' });
    assert.equal((await identity.updateGroup(admin, group.id, { description: 'second' })).description, 'second');
    assert.deepEqual(await identity.findGroup(admin, 'ops-group'), { ...group, description: 'second' });
    assert.deepEqual(
      (await identity.listGroups(admin, { name: 'ops-group' })).map((g) => g.id),
      [group.id],
    );
    const userId = (await identity.findUser(admin, 'demo')).id;
    await identity.addUserToGroup(admin, group.id, userId);
    await identity.addUserToGroup(admin, group.id, userId);
    await identity.removeUserFromGroup(admin, group.id, userId);
    assert.equal(await status(identity.removeUserFromGroup(admin, group.id, userId)), 404);
    await identity.deleteGroup(admin, group.id);
    assert.equal(await status(identity.getGroup(admin, group.id)), 404);

    const domain = await identity.createDomain(admin, { name: 'ops-domain', description: 'd' });
    assert.equal(domain.enabled, true);
    assert.equal(await status(identity.deleteDomain(admin, domain.id)), 403);
    assert.equal((await identity.updateDomain(admin, domain.id, { enabled: false })).enabled, false);
    await identity.deleteDomain(admin, domain.id);
    assert.equal(await status(identity.getDomain(admin, domain.id)), 404);
  });

  test('endpoints by service type, interface and region, with the project substituted', async () => {
    const [compute] = await identity.endpoints(demo, { serviceType: 'compute' });
    assert.ok(compute);
    assert.equal(compute.interface, 'public');
    assert.equal(compute.region, 'RegionOne');
    assert.match(compute.url, /\/compute\/v2\.1$/);
    const [objects] = await identity.endpoints(demo, { serviceType: 'object-store', region: 'RegionOne' });
    assert.ok(objects);
    assert.ok(objects.url.endsWith(`AUTH_${demo.project?.id}`), objects.url);
    assert.deepEqual(await identity.endpoints(demo, { serviceType: 'compute', region: 'Elsewhere' }), []);
    assert.deepEqual(await identity.endpoints(demo, { serviceType: 'no-such-type' }), []);
  });
});
