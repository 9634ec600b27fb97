import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

describe('identity API: credentials', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let demoUserId: string;
  let demoProjectId: string;
  before(async () => {
    cloud = await startTestServer();
    [admin, demo] = await Promise.all([cloud.adminToken(), cloud.demoToken()]);
    const self = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    demoUserId = self.body.token.user.id;
    demoProjectId = self.body.token.project.id;
  });
  after(() => cloud.close());

  const call = (method: string, path: string, token: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token, body });
  /** Keystone's OS-EC2 API for the demo user. */
  const ec2Path = () => `/users/${demoUserId}/credentials/OS-EC2`;

  test('an ec2 credential: id from the access key, blob as a string, owner-only reads, update and delete', async () => {
    const blob = JSON.stringify({ access: 'demo-access', secret: 'demo-secret' });
    const created = await call('POST', '/credentials', demo, { credential: { user_id: demoUserId, project_id: demoProjectId, type: 'ec2', blob } });
    assert.equal(created.status, 201);
    const id = createHash('sha256').update('demo-access').digest('hex');
    assert.deepEqual(created.body.credential, {
      id,
      user_id: demoUserId,
      project_id: demoProjectId,
      type: 'ec2',
      blob,
      links: { self: `${cloud.identityUrl}/v3/credentials/${id}` },
    });
    assert.equal((await call('POST', '/credentials', demo, { credential: { user_id: demoUserId, project_id: demoProjectId, type: 'ec2', blob } })).status, 409);

    const adminOwn = await call('POST', '/credentials', admin, { credential: { user_id: 'someone', type: 'cert', blob: 'pem' } });
    assert.equal(adminOwn.status, 201);
    assert.deepEqual(
      (await call('GET', '/credentials', demo)).body.credentials.map((c: { id: string }) => c.id),
      [id],
    );
    assert.equal((await call('GET', '/credentials?type=cert', admin)).body.credentials.length, 1);
    assert.equal((await call('GET', `/credentials/${adminOwn.body.credential.id}`, demo)).status, 403);

    const newBlob = JSON.stringify({ access: 'demo-access-2', secret: 'new' });
    const updated = await call('PATCH', `/credentials/${id}`, demo, { credential: { blob: newBlob } });
    assert.deepEqual([updated.body.credential.id, updated.body.credential.blob], [id, newBlob]);
    assert.equal((await call('DELETE', `/credentials/${id}`, demo)).status, 204);
    assert.equal((await call('GET', `/credentials/${id}`, admin)).status, 404);
  });

  test('bad input is 400', async () => {
    const base = { user_id: demoUserId, project_id: demoProjectId, type: 'ec2', blob: '{"access":"a"}' };
    for (const credential of [
      { ...base, project_id: undefined },
      { ...base, blob: '{"secret":"s"}' },
      { ...base, blob: { access: 'a' } },
      { ...base, user_id: undefined },
    ]) {
      assert.equal((await call('POST', '/credentials', demo, { credential })).status, 400, JSON.stringify(credential));
    }
    assert.equal((await call('POST', '/credentials', demo, { credential: base, other: 1 })).status, 400);
  });

  test('OS-EC2: create, list, show and delete, as Keystone renders them; the credential shows under /v3/credentials too', async () => {
    const created = await call('POST', ec2Path(), demo, { tenant_id: demoProjectId });
    assert.equal(created.status, 201);
    const credential = created.body.credential;
    assert.deepEqual(Object.keys(credential), ['user_id', 'tenant_id', 'access', 'secret', 'trust_id', 'links']);
    assert.deepEqual([credential.user_id, credential.tenant_id, credential.trust_id], [demoUserId, demoProjectId, null]);
    assert.deepEqual(credential.links, { self: `${cloud.identityUrl}/v3${ec2Path()}/${credential.access}` });

    const listed = await call('GET', ec2Path(), demo);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body, { credentials: [credential], links: { self: `${cloud.identityUrl}/v3${ec2Path()}`, previous: null, next: null } });
    const shown = await call('GET', `${ec2Path()}/${credential.access}`, demo);
    assert.deepEqual(shown.body, { credential });

    const id = createHash('sha256').update(credential.access).digest('hex');
    const raw = await call('GET', `/credentials/${id}`, demo);
    assert.deepEqual(
      [raw.body.credential.type, JSON.parse(raw.body.credential.blob)],
      ['ec2', { access: credential.access, secret: credential.secret, trust_id: null }],
    );

    assert.equal((await call('DELETE', `${ec2Path()}/${credential.access}`, demo)).status, 204);
    assert.equal((await call('GET', `${ec2Path()}/${credential.access}`, demo)).status, 404);
    assert.equal((await call('GET', `/credentials/${id}`, admin)).status, 404);
  });

  test("OS-EC2 errors: no tenant_id 404, someone else's credentials 403, an unknown access key 404", async () => {
    const missing = await call('POST', ec2Path(), demo, {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, 'Could not find project: None.');
    const adminSelf = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
    const adminPath = `/users/${adminSelf.body.token.user.id}/credentials/OS-EC2`;
    assert.equal((await call('GET', adminPath, demo)).status, 403);
    assert.equal((await call('POST', adminPath, demo, { tenant_id: demoProjectId })).status, 403);
    assert.equal((await call('GET', `${ec2Path()}/no-such-key`, demo)).status, 404);
    assert.equal((await call('POST', ec2Path(), demo, 'not an object')).status, 400);
  });
});
