/** Users with one role on one project, made through the identity API for persona tests. */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.js';

async function idOf(server: TestServer, admin: string, path: string, key: string): Promise<string> {
  const response = await server.request('GET', path, { token: admin });
  const [first] = (response.body as Record<string, Array<{ id: string }>>)[key] ?? [];
  assert.ok(first, `${path} found nothing`);
  return first.id;
}

/** Creates `name` with only `role` on `project` and returns a token scoped to that project. */
export async function userWithRole(server: TestServer, admin: string, name: string, role: string, project: string): Promise<string> {
  const password = `${name}-secret-1`;
  const created = await server.request('POST', '/identity/v3/users', { token: admin, body: { user: { name, password, domain_id: 'default' } } });
  assert.equal(created.status, 201, created.text);
  const userId = (created.body as { user: { id: string } }).user.id;
  const projectId = await idOf(server, admin, `/identity/v3/projects?name=${project}`, 'projects');
  const roleId = await idOf(server, admin, `/identity/v3/roles?name=${role}`, 'roles');
  const granted = await server.request('PUT', `/identity/v3/projects/${projectId}/users/${userId}/roles/${roleId}`, { token: admin });
  assert.equal(granted.status, 204, granted.text);
  return server.token({ name, password }, { project: { name: project, domain: { id: 'default' } } });
}
