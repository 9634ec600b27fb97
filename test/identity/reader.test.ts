/**
 * Secure RBAC: a user with only `reader` on project demo reads what Keystone
 * lets a project user read, gets 403 on every identity write, and still does
 * what Keystone lets any user do for themselves (own password, application
 * credentials, credentials, EC2 credentials).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { projectReader, type ReaderUser } from './reader-user.js';

describe('identity: a project reader cannot write', () => {
  let cloud: TestServer;
  let admin: string;
  let reader: ReaderUser;
  const ids: Record<string, string> = {};

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    reader = await projectReader(cloud);
    const make = async (path: string, body: unknown) => {
      const response = await cloud.request('POST', `/identity/v3${path}`, { token: admin, body });
      assert.ok(response.status < 300, response.text);
      return response.body;
    };
    ids.project = (await make('/projects', { project: { name: 'target-project' } })).project.id;
    ids.user = (await make('/users', { user: { name: 'target-user', password: 'target-pw' } })).user.id;
    ids.group = (await make('/groups', { group: { name: 'target-group' } })).group.id;
    ids.role = (await make('/roles', { role: { name: 'target-role' } })).role.id;
    ids.role2 = (await make('/roles', { role: { name: 'target-role-2' } })).role.id;
    ids.service = (await make('/services', { service: { type: 'target' } })).service.id;
    ids.credential = (await make('/credentials', { credential: { type: 'cert', user_id: ids.user, blob: 'b' } })).credential.id;
  });
  after(() => cloud.close());

  const asReader = (method: string, path: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token: reader.token, body });

  test('reads its own project, user, token and role assignments', async () => {
    assert.equal((await asReader('GET', `/projects/${reader.projectId}`)).status, 200);
    assert.equal((await asReader('GET', `/users/${reader.userId}`)).status, 200);
    assert.equal((await asReader('GET', `/users/${reader.userId}/projects`)).status, 200);
    assert.equal((await asReader('GET', `/projects/${reader.projectId}/tags`)).status, 200);
    assert.equal((await asReader('GET', '/auth/projects')).status, 200);
    assert.equal((await asReader('GET', '/auth/catalog')).status, 200);
  });

  test('gets 403 on every write of projects, domains, users, groups, roles, assignments, catalog, credentials and limits', async () => {
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/projects', { project: { name: 'by-reader' } }],
      ['PATCH', `/projects/${reader.projectId}`, { project: { description: 'by reader' } }],
      ['PATCH', `/projects/${ids.project}`, { project: { description: 'by reader' } }],
      ['DELETE', `/projects/${ids.project}`],
      ['PUT', `/projects/${reader.projectId}/tags`, { tags: ['a'] }],
      ['PUT', `/projects/${reader.projectId}/tags/a`],
      ['DELETE', `/projects/${reader.projectId}/tags`],
      ['POST', '/domains', { domain: { name: 'by-reader' } }],
      ['PATCH', '/domains/default', { domain: { description: 'by reader' } }],
      ['DELETE', '/domains/default'],
      ['POST', '/users', { user: { name: 'by-reader' } }],
      ['PATCH', `/users/${ids.user}`, { user: { enabled: false } }],
      ['PATCH', `/users/${reader.userId}`, { user: { name: 'renamed-by-self' } }],
      ['DELETE', `/users/${ids.user}`],
      ['POST', '/groups', { group: { name: 'by-reader' } }],
      ['PATCH', `/groups/${ids.group}`, { group: { description: 'by reader' } }],
      ['DELETE', `/groups/${ids.group}`],
      ['PUT', `/groups/${ids.group}/users/${reader.userId}`],
      ['DELETE', `/groups/${ids.group}/users/${ids.user}`],
      ['POST', '/roles', { role: { name: 'by-reader' } }],
      ['PATCH', `/roles/${ids.role}`, { role: { description: 'by reader' } }],
      ['DELETE', `/roles/${ids.role}`],
      ['PUT', `/roles/${ids.role}/implies/${ids.role2}`],
      ['PUT', `/projects/${reader.projectId}/users/${reader.userId}/roles/${ids.role}`],
      ['DELETE', `/projects/${reader.projectId}/users/${reader.userId}/roles/${ids.role}`],
      ['PUT', `/projects/${reader.projectId}/groups/${ids.group}/roles/${ids.role}`],
      ['PUT', `/domains/default/users/${reader.userId}/roles/${ids.role}`],
      ['PUT', `/system/users/${reader.userId}/roles/${ids.role}`],
      ['PUT', `/OS-INHERIT/domains/default/users/${reader.userId}/roles/${ids.role}/inherited_to_projects`],
      ['POST', '/services', { service: { type: 'by-reader' } }],
      ['DELETE', `/services/${ids.service}`],
      ['POST', '/endpoints', { endpoint: { service_id: ids.service, interface: 'public', url: 'http://reader' } }],
      ['POST', '/regions', { region: { id: 'by-reader' } }],
      ['POST', '/credentials', { credential: { type: 'cert', user_id: ids.user, blob: 'b' } }],
      ['PATCH', `/credentials/${ids.credential}`, { credential: { blob: 'c' } }],
      ['DELETE', `/credentials/${ids.credential}`],
      ['POST', `/users/${ids.user}/application_credentials`, { application_credential: { name: 'not-mine' } }],
      ['POST', `/users/${ids.user}/credentials/OS-EC2`, { tenant_id: reader.projectId }],
      ['POST', '/registered_limits', { registered_limits: [{ service_id: ids.service, resource_name: 'r', default_limit: 1 }] }],
      ['POST', '/limits', { limits: [{ service_id: ids.service, project_id: reader.projectId, resource_name: 'r', resource_limit: 1 }] }],
    ];
    for (const [method, path, body] of writes) {
      const response = await asReader(method, path, body);
      assert.equal(response.status, 403, `${method} ${path}: ${response.status} ${response.text}`);
      assert.equal(response.body.error.code, 403);
    }
    // Keystone enforces no policy on POST /v3/users/{id}/password: the original password is the proof.
    const project = await cloud.request('GET', `/identity/v3/projects/${ids.project}`, { token: admin });
    assert.equal(project.body.project.description, '', 'nothing changed');
  });

  test('manages its own application credentials, credentials and EC2 credentials, and changes its own password', async () => {
    const appCredential = await asReader('POST', `/users/${reader.userId}/application_credentials`, { application_credential: { name: 'mine' } });
    assert.equal(appCredential.status, 201, appCredential.text);
    assert.deepEqual(
      appCredential.body.application_credential.roles.map((r: { name: string }) => r.name),
      ['reader'],
    );
    assert.equal((await asReader('DELETE', `/users/${reader.userId}/application_credentials/${appCredential.body.application_credential.id}`)).status, 204);

    const credential = await asReader('POST', '/credentials', { credential: { type: 'cert', user_id: reader.userId, blob: 'mine' } });
    assert.equal(credential.status, 201, credential.text);
    assert.equal((await asReader('DELETE', `/credentials/${credential.body.credential.id}`)).status, 204);

    const ec2 = await asReader('POST', `/users/${reader.userId}/credentials/OS-EC2`, { tenant_id: reader.projectId });
    assert.equal(ec2.status, 201, ec2.text);
    assert.equal((await asReader('DELETE', `/users/${reader.userId}/credentials/OS-EC2/${ec2.body.credential.access}`)).status, 204);

    const password = await asReader('POST', `/users/${reader.userId}/password`, {
      user: { password: 'reader-new-password-2', original_password: 'project-reader-password-1' },
    });
    assert.equal(password.status, 204, password.text);
    // The new password is in effect: it is now the proof for the next change.
    const back = await asReader('POST', `/users/${reader.userId}/password`, {
      user: { password: 'project-reader-password-1', original_password: 'reader-new-password-2' },
    });
    assert.equal(back.status, 204, back.text);
  });
});
