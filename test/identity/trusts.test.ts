import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

import type { Json as Body } from '../support/json.js';

describe('identity: trusts (OS-TRUST)', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let demoUserId: string;
  let demoProjectId: string;
  let memberRoleId: string;
  let adminRoleId: string;
  const users: Record<string, { id: string; password: string }> = {};

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
    const token = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token;
    demoUserId = token.user.id;
    demoProjectId = token.project.id;
    memberRoleId = token.roles.find((r: Body) => r.name === 'member').id;
    adminRoleId = (await cloud.request('GET', '/identity/v3/roles?name=admin', { token: admin })).body.roles[0].id;
    for (const name of ['heat-svc', 'other', 'third']) {
      const password = `${name}-secret`;
      const created = await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name, password, domain_id: 'default' } } });
      users[name] = { id: created.body.user.id, password };
    }
  });
  after(() => cloud.close());

  const createTrust = (token: string, trust: Body) => cloud.request('POST', '/identity/v3/OS-TRUST/trusts', { token, body: { trust } });
  const demoTrust = (extra: Body = {}) =>
    createTrust(demo, {
      trustor_user_id: demoUserId,
      trustee_user_id: users['heat-svc']!.id,
      project_id: demoProjectId,
      impersonation: true,
      roles: [{ name: 'member' }],
      ...extra,
    });
  const trustToken = (user: string, trustId: string) =>
    cloud.request('POST', '/identity/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password: users[user]!.password } } },
          scope: { 'OS-TRUST:trust': { id: trustId } },
        },
      },
    });

  test('the trustor creates a trust; trustor and trustee read it and its roles', async () => {
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const created = await demoTrust({ expires_at: expires });
    assert.equal(created.status, 201);
    const trust = created.body.trust;
    assert.match(trust.id, /^[0-9a-f]{32}$/);
    assert.equal(trust.expires_at, expires.replace('Z', '.000000Z'));
    assert.deepEqual(
      [trust.trustor_user_id, trust.trustee_user_id, trust.project_id, trust.impersonation, trust.remaining_uses, trust.redelegation_count],
      [demoUserId, users['heat-svc']!.id, demoProjectId, true, null, 0],
    );
    assert.deepEqual(
      trust.roles.map((r: Body) => r.name),
      ['member'],
    );
    assert.match(trust.links.self, /\/v3\/OS-TRUST\/trusts\/[0-9a-f]{32}$/);
    const trustee = (await cloud.token({ name: 'heat-svc', password: users['heat-svc']!.password }, 'unscoped')) as string;
    for (const token of [demo, trustee]) {
      const shown = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token });
      assert.equal(shown.status, 200);
      assert.equal(shown.body.trust.roles[0].id, memberRoleId);
    }
    const roles = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}/roles`, { token: demo });
    assert.deepEqual(
      roles.body.roles.map((r: Body) => r.id),
      [memberRoleId],
    );
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}/roles/${memberRoleId}`, { token: demo })).body.role.name, 'member');
    assert.equal((await cloud.request('HEAD', `/identity/v3/OS-TRUST/trusts/${trust.id}/roles/${memberRoleId}`, { token: demo })).status, 200);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}/roles/${adminRoleId}`, { token: demo })).status, 404);
    const stranger = await cloud.token({ name: 'other', password: users.other!.password }, 'unscoped');
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: stranger })).status, 403);
  });

  test("bad requests get Keystone's answers and create nothing", async () => {
    const forOther = await createTrust(demo, { trustor_user_id: users.other!.id, trustee_user_id: users['heat-svc']!.id, impersonation: false });
    assert.equal(forOther.status, 403);
    const noRoles = await demoTrust({ roles: [] });
    assert.equal(noRoles.status, 403);
    assert.match(noRoles.body.error.message, /At least one role should be specified/);
    const notHeld = await demoTrust({ roles: [{ id: adminRoleId }] });
    assert.equal(notHeld.status, 404);
    assert.equal(notHeld.body.error.message, `Could not find role: ${adminRoleId}.`);
    assert.equal((await demoTrust({ expires_at: 'bad.123Z' })).status, 400);
    assert.equal((await demoTrust({ expires_at: '2001-01-01T00:00:00Z' })).status, 400);
    assert.equal((await demoTrust({ remaining_uses: 0 })).status, 400);
    assert.equal((await demoTrust({ trustee_user_id: 'no-such-user' })).status, 404);
    assert.equal((await createTrust(demo, { trustor_user_id: demoUserId })).status, 400);
    const listed = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustee_user_id=${users.other!.id}`, { token: admin });
    assert.deepEqual(listed.body.trusts, []);
  });

  test('the trustee gets trust-scoped tokens: as the trustor when impersonating, as itself otherwise', async () => {
    const impersonating = (await demoTrust()).body.trust;
    const issued = await trustToken('heat-svc', impersonating.id);
    assert.equal(issued.status, 201);
    const body = issued.body.token;
    assert.deepEqual(body['OS-TRUST:trust'], {
      id: impersonating.id,
      trustor_user: { id: demoUserId },
      trustee_user: { id: users['heat-svc']!.id },
      impersonation: true,
    });
    assert.equal(body.user.id, demoUserId);
    assert.equal(body.project.id, demoProjectId);
    assert.deepEqual(body.roles.map((r: Body) => r.name).sort(), ['member', 'reader']); // member implies reader
    // Other services see the trustor, scoped to the project, through the trust.
    const token = issued.headers.get('x-subject-token') as string;
    assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token })).status, 200);
    // A trust's token may not mint application credentials, which would outlive the trust.
    const appCreds = `/identity/v3/users/${demoUserId}/application_credentials`;
    const made = await cloud.request('POST', appCreds, { token, body: { application_credential: { name: 'through-trust' } } });
    assert.equal(made.status, 403, made.text);
    assert.equal(made.body.error.message, 'Cannot manage application credentials with a token issued via delegation.');
    assert.equal((await cloud.request('GET', appCreds, { token })).status, 403);

    const plain = (await demoTrust({ impersonation: false })).body.trust;
    const asTrustee = await trustToken('heat-svc', plain.id);
    assert.equal(asTrustee.body.token.user.id, users['heat-svc']!.id);
    assert.equal(asTrustee.body.token['OS-TRUST:trust'].impersonation, false);

    const notTrustee = await trustToken('other', plain.id);
    assert.equal(notTrustee.status, 403);
    assert.equal(notTrustee.body.error.message, 'User is not a trustee.');
    assert.equal((await trustToken('heat-svc', 'f'.repeat(32))).status, 401);

    const rescoped = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: { id: demoProjectId } } } },
    });
    assert.equal(rescoped.status, 403);
  });

  test('remaining_uses counts tokens; a used-up trust is gone', async () => {
    const trust = (await demoTrust({ remaining_uses: 2 })).body.trust;
    assert.equal((await trustToken('heat-svc', trust.id)).status, 201);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: demo })).body.trust.remaining_uses, 1);
    const last = await trustToken('heat-svc', trust.id);
    assert.equal(last.status, 201);
    assert.equal((await trustToken('heat-svc', trust.id)).status, 401);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: demo })).status, 404);
    // Keystone's tokens of a used-up trust stop validating with it.
    const subject = last.headers.get('x-subject-token') as string;
    assert.equal((await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } })).status, 404);
  });

  test("a trustor who loses the delegated role takes it from the trust's tokens at once", async () => {
    const grant = `/identity/v3/projects/${demoProjectId}/users/${users.other!.id}/roles/${memberRoleId}`;
    assert.equal((await cloud.request('PUT', grant, { token: admin })).status, 204);
    const otherToken = await cloud.token({ name: 'other', password: users.other!.password }, { project: { id: demoProjectId } });
    const trust = (
      await createTrust(otherToken, {
        trustor_user_id: users.other!.id,
        trustee_user_id: users.third!.id,
        project_id: demoProjectId,
        impersonation: false,
        roles: [{ id: memberRoleId }],
      })
    ).body.trust;
    const token = (await trustToken('third', trust.id)).headers.get('x-subject-token') as string;
    const check = () => cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.equal((await check()).status, 200);
    assert.equal((await cloud.request('DELETE', grant, { token: admin })).status, 204);
    assert.equal((await check()).status, 404);
    const again = await trustToken('third', trust.id);
    assert.equal(again.status, 403);
    assert.equal(again.body.error.message, 'Trustee has no delegated roles.');
  });

  test('lists by trustor and trustee; all trusts for admins only; delete voids the tokens', async () => {
    const trust = (await demoTrust()).body.trust;
    const byTrustor = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustor_user_id=${demoUserId}`, { token: demo });
    assert.ok(byTrustor.body.trusts.some((t: Body) => t.id === trust.id && t.roles === undefined));
    const trustee = await cloud.token({ name: 'heat-svc', password: users['heat-svc']!.password }, 'unscoped');
    const byTrustee = await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustee_user_id=${users['heat-svc']!.id}`, { token: trustee });
    assert.ok(byTrustee.body.trusts.some((t: Body) => t.id === trust.id));
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustor_user_id=${demoUserId}`, { token: trustee })).status, 403);
    assert.equal((await cloud.request('GET', '/identity/v3/OS-TRUST/trusts', { token: demo })).status, 403);
    assert.ok((await cloud.request('GET', '/identity/v3/OS-TRUST/trusts', { token: admin })).body.trusts.some((t: Body) => t.id === trust.id));

    const token = (await trustToken('heat-svc', trust.id)).headers.get('x-subject-token') as string;
    assert.equal((await cloud.request('DELETE', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: trustee })).status, 403);
    assert.equal((await cloud.request('DELETE', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: demo })).status, 204);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: demo })).status, 404);
    assert.equal((await cloud.request('GET', '/compute/v2.1/servers', { token })).status, 401);
  });

  test('redelegation: the trustee passes on a narrower trust one level down; deleting the first deletes the chain', async () => {
    const first = (await demoTrust({ allow_redelegation: true, redelegation_count: 2 })).body.trust;
    assert.equal(first.redelegation_count, 2);
    const trusteeToken = (await trustToken('heat-svc', first.id)).headers.get('x-subject-token') as string;
    // Impersonating, the trust token's user is the trustor: so the trustor is who may redelegate.
    const second = await createTrust(trusteeToken, {
      trustor_user_id: demoUserId,
      trustee_user_id: users.third!.id,
      project_id: demoProjectId,
      impersonation: true,
      roles: [{ id: memberRoleId }],
      allow_redelegation: true,
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.deepEqual([second.body.trust.redelegated_trust_id, second.body.trust.redelegation_count], [first.id, 1]);
    const tooLong = await createTrust(trusteeToken, {
      trustor_user_id: demoUserId,
      trustee_user_id: users.third!.id,
      project_id: demoProjectId,
      impersonation: true,
      roles: [{ id: memberRoleId }],
      allow_redelegation: true,
      redelegation_count: 2,
    });
    assert.equal(tooLong.status, 403);
    const notRedelegatable = (await demoTrust()).body.trust;
    const plainToken = (await trustToken('heat-svc', notRedelegatable.id)).headers.get('x-subject-token') as string;
    const refused = await createTrust(plainToken, {
      trustor_user_id: demoUserId,
      trustee_user_id: users.third!.id,
      project_id: demoProjectId,
      impersonation: true,
      roles: [{ id: memberRoleId }],
    });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /Remaining redelegation depth of 0/);
    assert.equal((await cloud.request('DELETE', `/identity/v3/OS-TRUST/trusts/${first.id}`, { token: demo })).status, 204);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${second.body.trust.id}`, { token: demo })).status, 404);
  });

  test('deleting the trustee deletes its trusts', async () => {
    const created = await cloud.request('POST', '/identity/v3/users', {
      token: admin,
      body: { user: { name: 'short-lived', password: 'pw-short', domain_id: 'default' } },
    });
    const trust = (await demoTrust({ trustee_user_id: created.body.user.id })).body.trust;
    assert.equal((await cloud.request('DELETE', `/identity/v3/users/${created.body.user.id}`, { token: admin })).status, 204);
    assert.equal((await cloud.request('GET', `/identity/v3/OS-TRUST/trusts/${trust.id}`, { token: demo })).status, 404);
  });
});
