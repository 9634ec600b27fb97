/** Nova counts key_pairs per user against the project's limit: each user of a project has the full allowance. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: key_pairs quota per user', () => {
  let c: ComputeCloud;
  let other: string;
  let projectId: string;
  before(async () => {
    c = await startComputeCloud();
    const identity = (method: string, path: string, body?: unknown) =>
      c.cloud.request(method, `/identity/v3${path}`, { token: c.admin, ...(body !== undefined ? { body } : {}) });
    projectId = (await identity('GET', '/projects?name=demo')).body.projects[0].id;
    const user = (await identity('POST', '/users', { user: { name: 'kp-other', password: 'kp-secret' } })).body.user;
    const member = (await identity('GET', '/roles?name=member')).body.roles[0];
    assert.equal((await identity('PUT', `/projects/${projectId}/users/${user.id}/roles/${member.id}`)).status, 204);
    other = await c.cloud.token({ name: 'kp-other', password: 'kp-secret' }, { project: { id: projectId } });
  });
  after(() => c.close());

  test('the project limit applies to each user separately', async () => {
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { key_pairs: 2 } } })).status, 200);
    const create = (token: string, name: string) => c.call('POST', '/os-keypairs', { token, version: '2.2', body: { keypair: { name } } });
    for (const name of ['a', 'b']) assert.equal((await create(c.demo, name)).status, 201);
    assert.equal(novaError(await create(c.demo, 'c'), 403, 'forbidden'), 'Quota exceeded, too many key pairs.');
    // Another user of the same project still has both.
    for (const name of ['a', 'b']) assert.equal((await create(other, name)).status, 201);
    novaError(await create(other, 'c'), 403, 'forbidden');
    // Deleting gives the user's room back; raising the project limit raises every user's.
    assert.equal((await c.call('DELETE', '/os-keypairs/a')).status, 202);
    assert.equal((await create(c.demo, 'c')).status, 201);
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { key_pairs: 3 } } })).status, 200);
    assert.equal((await create(other, 'c')).status, 201);
    novaError(await create(other, 'd'), 403, 'forbidden');
  });
});
