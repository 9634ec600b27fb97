/**
 * What deleting or un-granting one identity entity does to the others,
 * checked against Keystone: resource_api._post_delete_cleanup_project,
 * application_credential's notification callbacks, and the foreign keys
 * Keystone does (not) have.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  authContext,
  openIdentityDeps,
  seedAppCredential,
  seedDomain,
  seedProject,
  seedRole,
  seedUser,
  type IdentityTestDeps,
} from '../../../test/support/identity-deps.js';
import * as store from '../store/index.js';
import { identityServiceOps, type IdentityServiceOps } from './index.js';

const admin = authContext('admin', { userId: 'admin' });

describe('identity cascades', () => {
  let identity: IdentityTestDeps;
  let ops: IdentityServiceOps;
  let db: store.IdentityDb;

  /** Domains default and d2; projects p1, p2 (default) and p3 (d2); users u1, u2; roles member and other. */
  beforeEach(async () => {
    identity = await openIdentityDeps();
    db = identity.db;
    ops = identityServiceOps(identity.deps);
    await seedDomain(db, 'default');
    await seedDomain(db, 'd2');
    await seedProject(db, 'p1');
    await seedProject(db, 'p2');
    await seedProject(db, 'p3', 'd2');
    for (const user of ['u1', 'u2']) await seedUser(db, user);
    await seedRole(db, 'r-member', 'member');
    await seedRole(db, 'r-other', 'other');
  });
  afterEach(() => identity.close());

  const grant = (userId: string, projectId: string, roleId = 'r-member', inherited = false) =>
    store.insertAssignment(db, { type: 'UserProject', actor_id: userId, target_id: projectId, role_id: roleId, inherited });
  const appCredential = (id: string, userId: string, projectId: string, roleIds = ['r-member']) => seedAppCredential(db, id, { userId, projectId, roleIds });
  const appCredentialIds = async () => (await db.selectFrom('application_credential').select('id').orderBy('id').execute()).map((row) => row.id);
  const credential = (userId: string, projectId: string | null, access: string) =>
    ops.credentials.create(admin, { user_id: userId, project_id: projectId, type: projectId ? 'ec2' : 'totp', blob: JSON.stringify({ access }) });
  const credentialOwners = async () => (await store.listCredentials(db, {})).map((c) => `${c.user_id}@${c.project_id ?? '-'}`).sort();

  /** Nova with a registered limit for cores in RegionOne, and limits on p1, p2 and domain d2. */
  async function seedLimits(): Promise<{ serviceId: string }> {
    const nova = await ops.catalog.createService(admin, { type: 'compute', name: 'nova' });
    await ops.catalog.createRegion(admin, { id: 'RegionOne' });
    await ops.limits.createRegisteredLimits(admin, [{ service_id: nova.id, region_id: 'RegionOne', resource_name: 'cores', default_limit: 10 }]);
    const limit = { service_id: nova.id, region_id: 'RegionOne', resource_name: 'cores', resource_limit: 20 };
    await ops.limits.createLimits(admin, [
      { ...limit, project_id: 'p1' },
      { ...limit, project_id: 'p2' },
      { ...limit, domain_id: 'd2' },
    ]);
    return { serviceId: nova.id };
  }
  const limitOwners = async () => (await store.listLimits(db, {})).map((l) => l.project_id || `domain ${l.domain_id}`).sort();

  describe('deleting a project', () => {
    it("deletes its limits, the credentials tied to it, the grants on it and its place as users' default; other projects keep theirs", async () => {
      await seedLimits();
      await store.updateUser(db, 'u1', { default_project_id: 'p1' });
      await store.updateUser(db, 'u2', { default_project_id: 'p2' });
      await credential('u1', 'p1', 'a1');
      await credential('u2', 'p1', 'a2');
      await credential('u1', 'p2', 'a3');
      await credential('u1', null, 'a4');
      await grant('u1', 'p1');
      await grant('u1', 'p2');

      await ops.resources.deleteProject(admin, 'p1');

      assert.deepEqual(await limitOwners(), ['domain d2', 'p2']);
      assert.deepEqual(await credentialOwners(), ['u1@-', 'u1@p2']);
      assert.deepEqual(
        (await store.listAssignments(db, {})).map((a) => a.target_id),
        ['p2'],
      );
      assert.deepEqual(
        (await store.listUsers(db, {})).map((u) => u.default_project_id),
        [null, 'p2'],
      );
    });

    it("keeps the application credentials made for it, as Keystone does (they can't authenticate any more)", async () => {
      await appCredential('ac1', 'u1', 'p1');
      await ops.resources.deleteProject(admin, 'p1');
      assert.deepEqual(await appCredentialIds(), ['ac1']);
    });

    it("is what a domain's deletion does to each of its projects; the domain's own limits stay, as in Keystone", async () => {
      const { serviceId } = await seedLimits();
      await ops.limits.createLimits(admin, [{ service_id: serviceId, region_id: 'RegionOne', resource_name: 'cores', resource_limit: 5, project_id: 'p3' }]);
      await credential('u1', 'p3', 'a1');
      await credential('u1', 'p1', 'a2');
      await ops.resources.updateDomain(admin, 'd2', { enabled: false });

      await ops.resources.deleteDomain(admin, 'd2');

      assert.deepEqual(await limitOwners(), ['domain d2', 'p1', 'p2']);
      assert.deepEqual(await credentialOwners(), ['u1@p1']);
    });
  });

  describe('deleting a service or region that limits name', () => {
    // Keystone dropped the registered_limit foreign keys in Queens and checks
    // service and region only when a limit is written, so both deletes go
    // through and the limits stay behind.
    it('deletes the service and leaves its registered limits and limits', async () => {
      const { serviceId } = await seedLimits();
      await ops.catalog.deleteService(admin, serviceId);
      assert.equal((await store.listRegisteredLimits(db, { serviceId })).length, 1);
      assert.deepEqual(await limitOwners(), ['domain d2', 'p1', 'p2']);
    });

    it('deletes the region (and those below it) and leaves the registered limits and limits', async () => {
      await seedLimits();
      await ops.catalog.createRegion(admin, { id: 'RegionOne-a', parent_region_id: 'RegionOne' });
      await ops.catalog.deleteRegion(admin, 'RegionOne');
      assert.deepEqual(await store.listRegions(db, {}), []);
      assert.equal((await store.listRegisteredLimits(db, { regionId: 'RegionOne' })).length, 1);
      assert.deepEqual(await limitOwners(), ['domain d2', 'p1', 'p2']);
    });
  });

  describe('application credentials and role assignments', () => {
    it('deleting a role deletes every application credential of its direct project grantees there, whatever they delegate', async () => {
      await grant('u1', 'p1');
      await grant('u1', 'p1', 'r-other');
      await grant('u1', 'p2', 'r-other');
      await grant('u2', 'p2', 'r-member', true);
      await appCredential('ac-u1-p1-member', 'u1', 'p1');
      await appCredential('ac-u1-p1-other', 'u1', 'p1', ['r-other']);
      await appCredential('ac-u1-p2', 'u1', 'p2', ['r-other']);
      await appCredential('ac-u2-p2', 'u2', 'p2');

      await ops.roles.deleteRole(admin, 'r-member');

      assert.deepEqual(await appCredentialIds(), ['ac-u1-p2']);
      assert.deepEqual((await store.appCredentialRoleIds(db, ['ac-u1-p2'])).get('ac-u1-p2'), ['r-other']);
    });

    it('deleting a role leaves the application credentials of those who hold it through a group', async () => {
      const group = await ops.users.createGroup(admin, { name: 'g' });
      await store.addMembership(db, 'u1', group.id);
      await store.insertAssignment(db, { type: 'GroupProject', actor_id: group.id, target_id: 'p1', role_id: 'r-member', inherited: false });
      await appCredential('ac1', 'u1', 'p1', ['r-other']);
      await ops.roles.deleteRole(admin, 'r-member');
      assert.deepEqual(await appCredentialIds(), ['ac1']);
    });

    it('revoking the last grant deletes no application credential; it just stops authenticating', async () => {
      await grant('u1', 'p1');
      const member = authContext(['member'], { userId: 'u1', roleIds: ['r-member'] });
      const created = await ops.appCredentials.create(member, 'u1', { name: 'ci' });
      const viaCredential = { identity: { methods: ['application_credential'], application_credential: { id: created.id, secret: created.secret } } };
      assert.equal((await ops.tokens.issue(viaCredential)).appCredential?.id, created.id);

      await ops.assignments.revoke(admin, { actor: 'user', actorId: 'u1', target: 'project', targetId: 'p1', roleId: 'r-member', inherited: false });

      assert.deepEqual(await appCredentialIds(), [created.id]);
      await assert.rejects(ops.tokens.issue(viaCredential), { status: 401 });
    });

    it('removing a user from the group that gave the role deletes no application credential', async () => {
      const group = await ops.users.createGroup(admin, { name: 'g' });
      await ops.users.addUserToGroup(admin, group.id, 'u1');
      await store.insertAssignment(db, { type: 'GroupProject', actor_id: group.id, target_id: 'p1', role_id: 'r-member', inherited: false });
      await appCredential('ac1', 'u1', 'p1');
      await ops.users.removeUserFromGroup(admin, group.id, 'u1');
      assert.deepEqual(await appCredentialIds(), ['ac1']);
    });

    it('deleting a user deletes their application credentials and credentials', async () => {
      await appCredential('ac-u1', 'u1', 'p1');
      await appCredential('ac-u2', 'u2', 'p1');
      await credential('u1', 'p1', 'a1');
      await ops.users.deleteUser(admin, 'u1');
      assert.deepEqual(await appCredentialIds(), ['ac-u2']);
      assert.deepEqual(await credentialOwners(), []);
    });
  });
});
