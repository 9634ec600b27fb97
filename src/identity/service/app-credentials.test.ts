import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CallerContext } from '../../core/context.js';
import { authContext, openIdentityDeps, seedDomain, seedProject, seedRole, seedUser, type IdentityTestDeps } from '../../../test/support/identity-deps.js';
import * as store from '../store/index.js';
import { AppCredentialOps, type NewAppCredential } from './app-credentials.js';
import { verifyPassword } from './passwords.js';

const ROLES = { admin: 'r-admin', member: 'r-member', reader: 'r-reader', other: 'r-other' };

/** `userId` on project p1 (or unscoped) holding `roles`, with the ids seed() gives them. */
function caller(userId: string, roles: Array<keyof typeof ROLES>, project: string | null = 'p1'): CallerContext {
  return authContext(roles, { userId, project, roleIds: roles.map((r) => ROLES[r]) });
}

describe('AppCredentialOps', () => {
  // u1 is a member of p1 (member implies reader); u2 is an admin there.
  const u1 = caller('u1', ['member', 'reader']);
  const u2Admin = caller('u2', ['admin', 'member', 'reader']);
  let identity: IdentityTestDeps;
  let ops: AppCredentialOps;

  beforeEach(async () => {
    identity = await openIdentityDeps();
    await seed(identity.db);
    ops = new AppCredentialOps(identity.deps);
  });
  afterEach(() => identity.close());

  async function seed(db: store.IdentityDb): Promise<void> {
    await seedDomain(db, 'default');
    for (const id of ['p1', 'p2']) await seedProject(db, id);
    for (const id of ['u1', 'u2']) await seedUser(db, id);
    for (const [name, id] of Object.entries(ROLES)) await seedRole(db, id, name);
    await store.insertImpliedRole(db, ROLES.member, ROLES.reader);
    await store.insertAssignment(db, { type: 'UserProject', actor_id: 'u1', target_id: 'p1', role_id: ROLES.member, inherited: false });
    await store.insertAssignment(db, { type: 'UserProject', actor_id: 'u2', target_id: 'p1', role_id: ROLES.admin, inherited: false });
    await store.insertAssignment(db, { type: 'UserProject', actor_id: 'u2', target_id: 'p1', role_id: ROLES.member, inherited: false });
  }

  const create = (body: Record<string, unknown> = {}, auth = u1): Promise<NewAppCredential> => ops.create(auth, auth.userId, { name: 'backup', ...body });
  /** A token issued from `credential`, as tokens.ts builds it. */
  const tokenOf = (credential: NewAppCredential): CallerContext => ({ ...u1, applicationCredentialId: credential.id });

  describe('create', () => {
    it('delegates all the token roles on its project, with a generated secret stored only as a hash', async () => {
      const created = await create({ description: 'nightly' });
      assert.equal(created.project_id, 'p1');
      assert.equal(created.user_id, 'u1');
      assert.equal(created.description, 'nightly');
      assert.equal(created.expires_at, null);
      assert.equal(Boolean(created.unrestricted), false);
      assert.deepEqual(created.roles.map((r) => r.name).sort(), ['member', 'reader']);
      assert.match(created.secret, /^[A-Za-z0-9_-]{86}$/);
      assert.notEqual(created.secret_hash, created.secret);
      assert.ok(await verifyPassword(created.secret, created.secret_hash));
      assert.ok(!('secret' in (await ops.get(u1, 'u1', created.id))));
    });

    it('takes roles by id or name, adds the roles they imply, and keeps a given secret', async () => {
      const byName = await create({ roles: [{ name: 'member' }], secret: 'my-secret', unrestricted: true });
      assert.deepEqual(byName.roles.map((r) => r.id).sort(), [ROLES.member, ROLES.reader]);
      assert.equal(byName.secret, 'my-secret');
      assert.equal(Boolean(byName.unrestricted), true);
      const byId = await create({ name: 'read-only', roles: [{ id: ROLES.reader }] });
      assert.deepEqual(
        byId.roles.map((r) => r.name),
        ['reader'],
      );
    });

    it('refuses roles the token lacks (400), unknown role names (404) and roles no longer held (400)', async () => {
      await assert.rejects(create({ roles: [{ id: ROLES.admin }] }), {
        status: 400,
        message: 'Invalid application credential: Cannot create an application credential with unassigned role',
      });
      await assert.rejects(create({ roles: [{ name: 'nonesuch' }] }), { status: 404, message: 'Could not find role: nonesuch.' });
      // A stale context: the token says "other", the assignments no longer do.
      const stale = caller('u1', ['member', 'reader', 'other']);
      await assert.rejects(create({ roles: [{ name: 'other' }] }, stale), {
        status: 400,
        message: /^Invalid application credential: Could not find role assignment with role: r-other, user or group: u1/,
      });
    });

    it('takes expires_at in ISO 8601 (UTC when no offset, kept to the microsecond) and refuses the past or garbage (400)', async () => {
      const later = new Date(Date.now() + 86_400_000);
      const withZ = await create({ expires_at: later.toISOString() });
      assert.equal(withZ.expires_at, later.toISOString().replace(/Z$/, '000Z'));
      const naive = await create({ name: 'naive', expires_at: '2999-01-02T03:04:05.123456' });
      assert.equal(naive.expires_at, '2999-01-02T03:04:05.123456Z');
      const offset = await create({ name: 'offset', expires_at: '2999-01-02T03:04:05+02:00' });
      assert.equal(offset.expires_at, '2999-01-02T01:04:05.000000Z');
      await assert.rejects(create({ name: 'past', expires_at: '2001-01-01T00:00:00Z' }), {
        status: 400,
        message: /^The 'expires_at' must not be before now\./,
      });
      await assert.rejects(create({ name: 'junk', expires_at: 'next tuesday' }), { status: 400, message: /^Timestamp not in expected format\./ });
    });

    it('refuses a second credential of the same name for the user (409)', async () => {
      await create();
      await assert.rejects(create(), {
        status: 409,
        message: 'Conflict occurred attempting to store application_credential - Duplicate entry found with name backup.',
      });
      assert.equal((await create({}, u2Admin)).name, 'backup');
    });

    it('is for oneself only, even for admins (403)', async () => {
      await assert.rejects(ops.create(u1, 'u2', { name: 'x' }), { status: 403 });
      await assert.rejects(ops.create(u2Admin, 'u1', { name: 'x' }), { status: 403 });
    });

    it('needs a project-scoped token (400) and refuses access rules (400)', async () => {
      await assert.rejects(create({}, caller('u1', [], null)), { status: 400, message: /project-scoped token/ });
      await assert.rejects(create({ access_rules: [{ service: 'compute', path: '/servers', method: 'GET' }] }), { status: 400 });
      assert.equal((await create({ access_rules: [] })).name, 'backup');
    });

    it('refuses tokens of a restricted application credential (403), not of an unrestricted one', async () => {
      const restricted = await create();
      await assert.rejects(create({ name: 'child' }, tokenOf(restricted)), {
        status: 403,
        message:
          "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials.",
      });
      const unrestricted = await create({ name: 'parent', unrestricted: true });
      assert.equal((await create({ name: 'child' }, tokenOf(unrestricted))).name, 'child');
    });
  });

  describe('list, get and delete', () => {
    it("lists the user's credentials with their roles, filtered by name", async () => {
      await create();
      await create({ name: 'monitoring', roles: [{ name: 'reader' }] });
      await create({}, u2Admin);
      assert.deepEqual(
        (await ops.list(u1, 'u1', {})).map((c) => c.name),
        ['backup', 'monitoring'],
      );
      const [monitoring] = await ops.list(u1, 'u1', { name: 'monitoring' });
      assert.deepEqual(
        monitoring?.roles.map((r) => r.name),
        ['reader'],
      );
    });

    it("shows another user's credentials to admins only (403)", async () => {
      const created = await create();
      await assert.rejects(ops.list(caller('u3', ['member']), 'u1', {}), { status: 403 });
      await assert.rejects(ops.get(caller('u3', ['member']), 'u1', created.id), { status: 403 });
      assert.equal((await ops.list(u2Admin, 'u1', {})).length, 1);
      assert.equal((await ops.get(u2Admin, 'u1', created.id)).id, created.id);
    });

    it("answers 404 for a missing id or another user's credential under one's own URL", async () => {
      const theirs = await create({}, u2Admin);
      await assert.rejects(ops.get(u1, 'u1', 'nope'), { status: 404, message: 'Could not find Application Credential: nope.' });
      await assert.rejects(ops.get(u1, 'u1', theirs.id), { status: 404 });
      await assert.rejects(ops.delete(u1, 'u1', theirs.id), { status: 404 });
    });

    it('deletes (404 after); restricted credential tokens and other users may not (403)', async () => {
      const created = await create();
      await assert.rejects(ops.delete(tokenOf(created), 'u1', created.id), { status: 403 });
      await assert.rejects(ops.delete(caller('u3', ['member']), 'u1', created.id), { status: 403 });
      await ops.delete(u1, 'u1', created.id);
      await assert.rejects(ops.get(u1, 'u1', created.id), { status: 404 });
      await assert.rejects(ops.delete(u1, 'u1', created.id), { status: 404 });
    });
  });
});
