/** A user holding only the `reader` role on project demo (secure RBAC's project reader), for the reader tests of each service. */
import type { TestServer } from '../support/server.js';

export interface ReaderUser {
  userId: string;
  projectId: string;
  token: string;
}

export async function projectReader(cloud: TestServer, name = 'project-reader'): Promise<ReaderUser> {
  const admin = await cloud.adminToken();
  const identity = async (method: string, path: string, body?: unknown) => {
    const response = await cloud.request(method, `/identity/v3${path}`, { token: admin, body });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  };
  const password = `${name}-password-1`;
  const userId = (await identity('POST', '/users', { user: { name, password, domain_id: 'default' } })).user.id as string;
  const projectId = (await identity('GET', '/projects?name=demo')).projects[0].id as string;
  const roleId = (await identity('GET', '/roles?name=reader')).roles[0].id as string;
  await identity('PUT', `/projects/${projectId}/users/${userId}/roles/${roleId}`);
  const token = await cloud.token({ id: userId, password }, { project: { id: projectId } });
  return { userId, projectId, token };
}
