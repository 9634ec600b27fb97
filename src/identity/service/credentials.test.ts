import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CallerContext } from '../../core/context.js';
import { authContext, openIdentityDeps, seedAppCredential, seedDomain, seedUser, type IdentityTestDeps } from '../../../test/support/identity-deps.js';
import { CredentialOps } from './credentials.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ec2Blob = (access: string, extra: Record<string, unknown> = {}) => JSON.stringify({ access, secret: 's3cr3t', ...extra });

describe('CredentialOps', () => {
  const admin = authContext('admin', { userId: 'admin' });
  const u1 = authContext('member');
  /** Another member of p1. */
  const u2 = authContext('member', { userId: 'u2' });
  let identity: IdentityTestDeps;
  let ops: CredentialOps;

  beforeEach(async () => {
    identity = await openIdentityDeps();
    ops = new CredentialOps(identity.deps);
  });
  afterEach(() => identity.close());

  const ec2 = (access: string, auth = u1, body: Record<string, unknown> = {}) =>
    ops.create(auth, { user_id: auth.userId, project_id: 'p1', type: 'ec2', blob: ec2Blob(access), ...body });

  /** A token of u1 issued from an application credential (restricted unless told). */
  async function appCredentialToken(unrestricted: boolean): Promise<CallerContext> {
    await seedDomain(identity.db, 'default');
    await seedUser(identity.db, 'u1');
    await seedAppCredential(identity.db, 'ac1', { userId: 'u1', projectId: 'p1', unrestricted });
    return { ...u1, applicationCredentialId: 'ac1' };
  }

  describe('create', () => {
    it('names an ec2 credential by the SHA-256 of its access key and keeps the blob as given', async () => {
      const created = await ec2('AKIA1');
      assert.equal(created.id, sha256('AKIA1'));
      assert.deepEqual([created.user_id, created.project_id, created.type, created.blob], ['u1', 'p1', 'ec2', ec2Blob('AKIA1')]);
    });

    it('gives other types a random id and needs no project', async () => {
      const created = await ops.create(u1, { user_id: 'u1', type: 'cert', blob: '-----BEGIN CERTIFICATE-----', purpose: 'tls' });
      assert.match(created.id, /^[0-9a-f]{32}$/);
      assert.equal(created.project_id, null);
      assert.deepEqual(JSON.parse(created.extra), { purpose: 'tls' });
    });

    it('refuses an ec2 credential without project, or with a blob lacking JSON, an object or access (400)', async () => {
      await assert.rejects(ec2('A', u1, { project_id: null }), { status: 400, message: /'project_id' is a required property/ });
      await assert.rejects(ec2('A', u1, { blob: 'not json' }), { status: 400, message: 'Invalid blob in credential' });
      for (const blob of ['[]', '{}', '"x"']) {
        await assert.rejects(ec2('A', u1, { blob }), { status: 400, message: /^Expecting to find blob in credential\./ });
      }
      await assert.rejects(ec2('A', u1, { blob: '{"secret":"s"}' }), { status: 400, message: /^Expecting to find access in credential\./ });
    });

    it('refuses a second credential for the same access key (409)', async () => {
      await ec2('AKIA1');
      await assert.rejects(ec2('AKIA1'), {
        status: 409,
        message: `Conflict occurred attempting to store credential - Duplicate entry found with ID ${sha256('AKIA1')}.`,
      });
    });

    it("lets users create only their own credentials (403); admins anyone's", async () => {
      await assert.rejects(ops.create(u1, { user_id: 'u2', project_id: 'p1', type: 'ec2', blob: ec2Blob('X') }), { status: 403 });
      assert.equal((await ops.create(admin, { user_id: 'u2', project_id: 'p1', type: 'ec2', blob: ec2Blob('X') })).user_id, 'u2');
    });
  });

  describe('get, list, update, delete', () => {
    it('shows a credential to its owner and admins; others get 403, even for ids that do not exist', async () => {
      const created = await ec2('AKIA1');
      assert.equal((await ops.get(u1, created.id)).id, created.id);
      assert.equal((await ops.get(admin, created.id)).id, created.id);
      await assert.rejects(ops.get(u2, created.id), { status: 403 });
      await assert.rejects(ops.get(u1, 'nope'), { status: 403 });
      await assert.rejects(ops.get(admin, 'nope'), { status: 404, message: 'Could not find credential: nope.' });
    });

    it('lists everything to admins (filtered by user and type) and only their own to users', async () => {
      const mine = await ec2('A1');
      const theirs = await ec2('B1', u2);
      const cert = await ops.create(u1, { user_id: 'u1', type: 'cert', blob: 'pem' });
      assert.equal((await ops.list(admin, {})).length, 3);
      assert.deepEqual(
        (await ops.list(admin, { userId: 'u2' })).map((c) => c.id),
        [theirs.id],
      );
      assert.deepEqual(
        (await ops.list(admin, { type: 'cert' })).map((c) => c.id),
        [cert.id],
      );
      assert.deepEqual((await ops.list(u1, {})).map((c) => c.id).sort(), [mine.id, cert.id].sort());
      assert.deepEqual(await ops.list(u1, { userId: 'u2' }), []);
    });

    it('updates an ec2 blob in place (the id stays), but not its delegation keys (400)', async () => {
      const created = await ec2('AKIA1');
      const updated = await ops.update(u1, created.id, { blob: ec2Blob('AKIA2'), project_id: 'p2' });
      assert.equal(updated.id, created.id);
      assert.equal(JSON.parse(updated.blob).access, 'AKIA2');
      assert.equal(updated.project_id, 'p2');
      await assert.rejects(ops.update(u1, created.id, { blob: ec2Blob('AKIA2', { app_cred_id: 'x' }) }), {
        status: 400,
        message: 'app_cred_id can not be updated for credential',
      });
      await assert.rejects(ops.update(u1, created.id, { blob: 'nope' }), { status: 400 });
      await assert.rejects(ops.update(u1, created.id, { id: 'other' }), { status: 400, message: 'Cannot change ID' });
    });

    it('does not let a user hand a credential to someone else (403), nor touch theirs', async () => {
      const created = await ec2('AKIA1');
      await assert.rejects(ops.update(u1, created.id, { user_id: 'u2' }), { status: 403 });
      await assert.rejects(ops.update(u2, created.id, { type: 'cert' }), { status: 403 });
      assert.equal((await ops.update(admin, created.id, { user_id: 'u2' })).user_id, 'u2');
    });

    it('deletes (404 after), for the owner only (403)', async () => {
      const created = await ec2('AKIA1');
      await assert.rejects(ops.delete(u2, created.id), { status: 403 });
      await ops.delete(u1, created.id);
      await assert.rejects(ops.delete(admin, created.id), { status: 404 });
    });
  });

  describe('tokens from application credentials', () => {
    it('may not create ec2 credentials when restricted (403)', async () => {
      const token = await appCredentialToken(false);
      await assert.rejects(ec2('A', token), {
        status: 403,
        message:
          "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional credentials.",
      });
      assert.equal((await ops.create(token, { user_id: 'u1', project_id: 'p1', type: 'cert', blob: 'pem' })).type, 'cert');
    });

    it('bind the ec2 credentials they create to the application credential', async () => {
      const token = await appCredentialToken(true);
      const created = await ec2('A', token);
      assert.deepEqual(JSON.parse(created.blob), { access: 'A', secret: 's3cr3t', app_cred_id: 'ac1' });
    });

    it('reach only credentials of their own project (403), never project-less ones', async () => {
      const token = await appCredentialToken(true);
      const inProject = await ec2('A');
      const elsewhere = await ec2('B', u1, { project_id: 'p2' });
      const projectless = await ops.create(u1, { user_id: 'u1', type: 'totp', blob: 'seed' });
      assert.deepEqual(
        (await ops.list(token, {})).map((c) => c.id),
        [inProject.id],
      );
      const denied = { status: 403, message: /Credential project does not match the project scope of the delegated token/ };
      await assert.rejects(ops.get(token, elsewhere.id), denied);
      await assert.rejects(ops.delete(token, projectless.id), denied);
      await assert.rejects(ec2('C', token, { project_id: 'p2' }), denied);
    });
  });
});
