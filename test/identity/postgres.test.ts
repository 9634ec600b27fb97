/**
 * The whole identity service on PostgreSQL (the cluster configuration): a
 * server started on a fresh database runs the token and CRUD paths. Runs when
 * NIMBUS_TEST_PG_URL names a server where the test may create databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';

describe('identity on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startPostgresTestServer();
  });

  after(() => cloud?.close());

  test('bootstrap, token issue and validation, CRUD with conflicts, grants', async () => {
    const token = await cloud.adminToken();
    const v3 = (method: string, path: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token, body });
    const user = await v3('POST', '/users', { user: { name: 'pg-user', password: 'pg-secret' } });
    assert.equal(user.status, 201);
    assert.equal((await v3('POST', '/users', { user: { name: 'pg-user' } })).status, 409);
    const roles = (await v3('GET', '/roles?name=member')).body.roles;
    const demo = (await v3('GET', '/projects?name=demo')).body.projects[0];
    assert.equal((await v3('PUT', `/projects/${demo.id}/users/${user.body.user.id}/roles/${roles[0].id}`)).status, 204);
    const scoped = await cloud.token({ id: user.body.user.id, password: 'pg-secret' }, { project: { id: demo.id } });
    const shown = await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': scoped } });
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.token.roles.map((r: { name: string }) => r.name).sort(), ['member', 'reader']);
    assert.equal((await v3('PATCH', `/users/${user.body.user.id}`, { user: { enabled: false } })).body.user.enabled, false);
    const after = await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': scoped } });
    assert.equal(after.status, 404);
  });
});
