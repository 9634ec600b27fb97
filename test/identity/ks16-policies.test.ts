import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: the policies API (/v3/policies)', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  test('create, show, list by type, update and delete a policy blob, extra attributes kept', async () => {
    const created = await cloud.request('POST', '/identity/v3/policies', {
      token: admin,
      body: { policy: { blob: '{"a": "b"}', type: 'application/json', owner: 'ops' } },
    });
    assert.equal(created.status, 201);
    const policy = created.body.policy;
    assert.deepEqual(policy, { id: policy.id, blob: '{"a": "b"}', type: 'application/json', owner: 'ops', links: { self: policy.links.self } });
    assert.match(policy.links.self, new RegExp(`/v3/policies/${policy.id}$`));
    assert.equal((await cloud.request('GET', `/identity/v3/policies/${policy.id}`, { token: admin })).body.policy.owner, 'ops');
    const listed = await cloud.request('GET', '/identity/v3/policies?type=application/json', { token: admin });
    assert.deepEqual(
      listed.body.policies.map((p: { id: string }) => p.id),
      [policy.id],
    );
    assert.deepEqual((await cloud.request('GET', '/identity/v3/policies?type=text/plain', { token: admin })).body.policies, []);
    const updated = await cloud.request('PATCH', `/identity/v3/policies/${policy.id}`, { token: admin, body: { policy: { type: 'text/plain' } } });
    assert.equal(updated.body.policy.type, 'text/plain');
    assert.equal(updated.body.policy.blob, '{"a": "b"}');
    assert.equal((await cloud.request('DELETE', `/identity/v3/policies/${policy.id}`, { token: admin })).status, 204);
    const gone = await cloud.request('GET', `/identity/v3/policies/${policy.id}`, { token: admin });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, `Could not find policy: ${policy.id}.`);
  });

  test('blob and type are required strings (400); only admins write or read (403)', async () => {
    assert.equal((await cloud.request('POST', '/identity/v3/policies', { token: admin, body: { policy: { type: 'x' } } })).status, 400);
    assert.equal((await cloud.request('POST', '/identity/v3/policies', { token: admin, body: { policy: { blob: {}, type: 'x' } } })).status, 400);
    assert.equal((await cloud.request('PATCH', '/identity/v3/policies/nope', { token: admin, body: { policy: {} } })).status, 400);
    assert.equal((await cloud.request('POST', '/identity/v3/policies', { token: demo, body: { policy: { blob: 'b', type: 'x' } } })).status, 403);
    assert.equal((await cloud.request('GET', '/identity/v3/policies', { token: demo })).status, 403);
    assert.equal((await cloud.request('DELETE', '/identity/v3/policies/nope', { token: admin })).status, 404);
  });
});
