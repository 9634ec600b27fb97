import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CallerContext } from '../../core/context.js';
import {
  authContext,
  openIdentityDeps,
  seedAppCredential,
  seedDomain,
  seedProject,
  seedUser,
  type IdentityTestDeps,
} from '../../../test/support/identity-deps.js';
import * as store from '../store/index.js';
import { CredentialOps } from './credentials.js';
import { Ec2CredentialOps } from './ec2-credentials.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('Ec2CredentialOps', () => {
  const admin = authContext('admin', { userId: 'admin' });
  const u1 = authContext('member');
  const u2 = authContext('member', { userId: 'u2' });
  let identity: IdentityTestDeps;
  let ops: Ec2CredentialOps;

  /** Users u1 and u2, projects p1 and p2 of the Default domain. */
  beforeEach(async () => {
    identity = await openIdentityDeps();
    await seedDomain(identity.db, 'default');
    for (const project of ['p1', 'p2']) await seedProject(identity.db, project);
    for (const user of ['u1', 'u2']) await seedUser(identity.db, user);
    ops = new Ec2CredentialOps(identity.deps);
  });
  afterEach(() => identity.close());

  /** A token of u1 on p1 from an application credential, restricted unless told. */
  async function appCredentialToken(unrestricted: boolean): Promise<CallerContext> {
    await seedAppCredential(identity.db, 'ac1', { userId: 'u1', projectId: 'p1', unrestricted });
    return { ...u1, applicationCredentialId: 'ac1' };
  }

  describe('create', () => {
    it('makes a random key pair, stored as an ec2 credential named by the hash of its access key', async () => {
      const created = await ops.create(u1, 'u1', 'p1');
      assert.match(created.access, /^[0-9a-f]{32}$/);
      assert.match(created.secret ?? '', /^[0-9a-f]{32}$/);
      assert.notEqual(created.access, created.secret);
      assert.deepEqual([created.userId, created.projectId, created.trustId], ['u1', 'p1', null]);
      const row = await store.getCredentialOrThrow(identity.db, sha256(created.access));
      assert.deepEqual([row.user_id, row.project_id, row.type], ['u1', 'p1', 'ec2']);
      assert.equal(row.blob, `{"access": "${created.access}", "secret": "${created.secret}", "trust_id": null}`);
      const listed = await new CredentialOps(identity.deps).list(u1, {});
      assert.deepEqual(
        listed.map((c) => c.id),
        [row.id],
      );
    });

    it('needs an existing user and project (404, "None" when no tenant_id is given)', async () => {
      await assert.rejects(ops.create(u1, 'u1', undefined), { status: 404, message: 'Could not find project: None.' });
      await assert.rejects(ops.create(u1, 'u1', 'nowhere'), { status: 404, message: 'Could not find project: nowhere.' });
      await assert.rejects(ops.create(admin, 'ghost', 'p1'), { status: 404, message: 'Could not find user: ghost.' });
    });

    it('is for oneself, unless admin (403)', async () => {
      await assert.rejects(ops.create(u2, 'u1', 'p1'), { status: 403 });
      assert.equal((await ops.create(admin, 'u1', 'p2')).userId, 'u1');
    });

    it('refuses tokens of a restricted application credential (403), and delegated tokens for another project', async () => {
      await assert.rejects(ops.create(await appCredentialToken(false), 'u1', 'p1'), {
        status: 403,
        message:
          "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials.",
      });
      await identity.db.updateTable('application_credential').set({ unrestricted: true }).execute();
      const delegated = { ...u1, applicationCredentialId: 'ac1' };
      assert.equal((await ops.create(delegated, 'u1', 'p1')).projectId, 'p1');
      await assert.rejects(ops.create(delegated, 'u1', 'p2'), {
        status: 403,
        message: 'You are not authorized to perform the requested action: EC2 credential project does not match the project scope of the delegated token.',
      });
    });
  });

  describe('list, get and delete', () => {
    it("lists the user's ec2 credentials only, to the owner, admins and system readers", async () => {
      const mine = await ops.create(u1, 'u1', 'p1');
      await ops.create(u2, 'u2', 'p1');
      await new CredentialOps(identity.deps).create(u1, { user_id: 'u1', type: 'totp', blob: 'seed' });
      assert.deepEqual(
        (await ops.list(u1, 'u1')).map((c) => c.access),
        [mine.access],
      );
      assert.equal((await ops.list(admin, 'u1')).length, 1);
      assert.equal((await ops.list(authContext('reader', { userId: 'auditor', system: true }), 'u1')).length, 1);
      await assert.rejects(ops.list(u2, 'u1'), { status: 403 });
      await assert.rejects(ops.list(admin, 'ghost'), { status: 404 });
    });

    it('shows a delegated token only the credentials of its project', async () => {
      const inP1 = await ops.create(u1, 'u1', 'p1');
      const inP2 = await ops.create(u1, 'u1', 'p2');
      const delegated = await appCredentialToken(false);
      assert.deepEqual(
        (await ops.list(delegated, 'u1')).map((c) => c.access),
        [inP1.access],
      );
      await assert.rejects(ops.get(delegated, 'u1', inP2.access), { status: 403 });
    });

    it('gets by access key: 404 for an unknown key, 401 for a credential of another type, 403 for another user', async () => {
      const created = await ops.create(u1, 'u1', 'p1');
      assert.deepEqual(await ops.get(u1, 'u1', created.access), created);
      await assert.rejects(ops.get(u1, 'u1', 'nope'), { status: 404, message: `Could not find credential: ${sha256('nope')}.` });
      await store.insertCredential(identity.db, { id: sha256('not-ec2'), user_id: 'u1', project_id: 'p1', type: 'cert', blob: 'pem', extra: '{}' });
      await assert.rejects(ops.get(u1, 'u1', 'not-ec2'), { status: 401, message: 'EC2 access key not found.' });
      await assert.rejects(ops.get(u2, 'u2', created.access), { status: 403 });
      await assert.rejects(ops.get(admin, 'ghost', created.access), { status: 404, message: 'Could not find user: ghost.' });
    });

    it('deletes (404 after); another user may not (403)', async () => {
      const created = await ops.create(u1, 'u1', 'p1');
      await assert.rejects(ops.delete(u2, 'u1', created.access), { status: 403 });
      await ops.delete(u1, 'u1', created.access);
      await assert.rejects(ops.get(u1, 'u1', created.access), { status: 404 });
      assert.equal(await store.getCredential(identity.db, sha256(created.access)), undefined);
    });
  });
});
