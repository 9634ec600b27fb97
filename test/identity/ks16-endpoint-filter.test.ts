import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

import type { Json as Body } from '../support/json.js';

describe('identity: endpoint groups and project endpoints (OS-EP-FILTER)', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let serviceId: string;
  let publicId: string;
  let internalId: string;
  let projectId: string;
  const EP = '/identity/v3/OS-EP-FILTER';

  const call = (method: string, path: string, body?: Body, token = admin) => cloud.request(method, path, { token, ...(body && { body }) });
  const projectToken = async (project: string) => {
    const auth = {
      identity: { methods: ['password'], password: { user: { name: 'ep-user', domain: { id: 'default' }, password: 'ep-user-secret' } } },
      scope: { project: { id: project } },
    };
    return (await cloud.request('POST', '/identity/v3/auth/tokens', { body: { auth } })).body.token;
  };

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
    serviceId = (await call('POST', '/identity/v3/services', { service: { type: 'ep-test', name: 'ep-test' } })).body.service.id;
    for (const iface of ['public', 'internal']) {
      const made = await call('POST', '/identity/v3/endpoints', {
        endpoint: { service_id: serviceId, interface: iface, url: `http://ep.test/${iface}`, region_id: 'RegionOne' },
      });
      if (iface === 'public') publicId = made.body.endpoint.id;
      else internalId = made.body.endpoint.id;
    }
    projectId = (await call('POST', '/identity/v3/projects', { project: { name: 'ep-project', domain_id: 'default' } })).body.project.id;
    const user = (await call('POST', '/identity/v3/users', { user: { name: 'ep-user', password: 'ep-user-secret', domain_id: 'default' } })).body.user;
    await call('PUT', `/identity/v3/projects/${projectId}/users/${user.id}/roles/${(await call('GET', '/identity/v3/roles?name=member')).body.roles[0].id}`);
  });
  after(() => cloud.close());

  test('endpoint groups: create, show, list by name, update, the endpoints they match, delete', async () => {
    const created = await call('POST', `${EP}/endpoint_groups`, {
      endpoint_group: { name: 'eg1', description: 'public ones', filters: { service_id: serviceId, interface: 'public' } },
    });
    assert.equal(created.status, 201);
    const group = created.body.endpoint_group;
    assert.deepEqual(Object.keys(group).sort(), ['description', 'filters', 'id', 'links', 'name']);
    assert.equal((await call('GET', `${EP}/endpoint_groups/${group.id}`)).body.endpoint_group.name, 'eg1');
    assert.deepEqual(
      (await call('GET', `${EP}/endpoint_groups?name=eg1`)).body.endpoint_groups.map((g: Body) => g.id),
      [group.id],
    );
    const matched = (await call('GET', `${EP}/endpoint_groups/${group.id}/endpoints`)).body.endpoints;
    assert.deepEqual(
      matched.map((e: Body) => e.id),
      [publicId],
    );
    const updated = await call('PATCH', `${EP}/endpoint_groups/${group.id}`, { endpoint_group: { name: 'eg1b', filters: { service_id: serviceId } } });
    assert.equal(updated.body.endpoint_group.name, 'eg1b');
    assert.equal((await call('GET', `${EP}/endpoint_groups/${group.id}/endpoints`)).body.endpoints.length, 2);
    assert.equal((await call('DELETE', `${EP}/endpoint_groups/${group.id}`)).status, 204);
    assert.equal((await call('GET', `${EP}/endpoint_groups/${group.id}`)).status, 404);
  });

  test('endpoint groups refuse empty or unknown filters and unknown attributes (400), and non-admins (403)', async () => {
    assert.equal((await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'x', filters: {} } })).status, 400);
    assert.equal((await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'x', filters: { url: 'http://x' } } })).status, 400);
    assert.equal((await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'x', filters: { interface: 'public' }, color: 'red' } })).status, 400);
    assert.equal((await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'x', filters: { interface: 'public' } } }, demo)).status, 403);
    assert.equal((await call('GET', `${EP}/endpoint_groups`, undefined, demo)).status, 403);
    assert.equal((await call('PATCH', `${EP}/endpoint_groups/nope`, { endpoint_group: { name: 'y' } })).status, 404);
  });

  test('a project with associated endpoints sees only those in its catalog; removing them restores the whole catalog', async () => {
    const before = await projectToken(projectId);
    assert.ok(before.catalog.length > 1);
    assert.equal((await call('PUT', `${EP}/projects/${projectId}/endpoints/${internalId}`)).status, 204);
    assert.equal((await call('PUT', `${EP}/projects/${projectId}/endpoints/${internalId}`)).status, 409);
    assert.equal((await call('GET', `${EP}/projects/${projectId}/endpoints/${internalId}`)).status, 204);
    assert.equal((await call('HEAD', `${EP}/projects/${projectId}/endpoints/${publicId}`)).status, 404);
    assert.deepEqual(
      (await call('GET', `${EP}/endpoints/${internalId}/projects`)).body.projects.map((p: Body) => p.id),
      [projectId],
    );

    const filtered = await projectToken(projectId);
    assert.deepEqual(
      filtered.catalog.map((s: Body) => [s.type, s.endpoints.map((e: Body) => e.id)]),
      [['ep-test', [internalId]]],
    );

    const group = (await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'pub', filters: { interface: 'public', service_id: serviceId } } }))
      .body.endpoint_group;
    assert.equal((await call('PUT', `${EP}/endpoint_groups/${group.id}/projects/${projectId}`)).status, 204);
    const membership = await call('GET', `${EP}/endpoint_groups/${group.id}/projects/${projectId}`);
    assert.deepEqual(membership.body.project_endpoint_group.project_id, projectId);
    assert.deepEqual(
      (await call('GET', `${EP}/projects/${projectId}/endpoint_groups`)).body.endpoint_groups.map((g: Body) => g.id),
      [group.id],
    );
    assert.deepEqual((await call('GET', `${EP}/projects/${projectId}/endpoints`)).body.endpoints.map((e: Body) => e.id).sort(), [internalId, publicId].sort());
    assert.equal((await projectToken(projectId)).catalog[0].endpoints.length, 2);

    assert.equal((await call('DELETE', `${EP}/endpoint_groups/${group.id}/projects/${projectId}`)).status, 204);
    assert.equal((await call('DELETE', `${EP}/endpoint_groups/${group.id}/projects/${projectId}`)).status, 404);
    assert.equal((await call('DELETE', `${EP}/projects/${projectId}/endpoints/${internalId}`)).status, 204);
    assert.equal((await projectToken(projectId)).catalog.length, before.catalog.length);
  });

  test('associations name existing projects, endpoints and groups (404), and go with their endpoint or project', async () => {
    assert.equal((await call('PUT', `${EP}/projects/nope/endpoints/${publicId}`)).status, 404);
    assert.equal((await call('PUT', `${EP}/projects/${projectId}/endpoints/nope`)).status, 404);
    assert.equal((await call('GET', `${EP}/projects/nope/endpoints`)).status, 404);
    assert.equal((await call('GET', `${EP}/endpoints/nope/projects`)).status, 404);
    assert.equal((await call('PUT', `${EP}/endpoint_groups/nope/projects/${projectId}`)).status, 404);

    const doomed = (await call('POST', '/identity/v3/endpoints', { endpoint: { service_id: serviceId, interface: 'admin', url: 'http://ep.test/admin' } })).body
      .endpoint;
    await call('PUT', `${EP}/projects/${projectId}/endpoints/${doomed.id}`);
    await call('DELETE', `/identity/v3/endpoints/${doomed.id}`);
    assert.deepEqual((await call('GET', `${EP}/projects/${projectId}/endpoints`)).body.endpoints, []);

    const other = (await call('POST', '/identity/v3/projects', { project: { name: 'ep-doomed', domain_id: 'default' } })).body.project;
    await call('PUT', `${EP}/projects/${other.id}/endpoints/${publicId}`);
    await call('DELETE', `/identity/v3/projects/${other.id}`);
    assert.deepEqual((await call('GET', `${EP}/endpoints/${publicId}/projects`)).body.projects, []);
  });

  test('a system reader reads endpoint groups and associations but changes none (403)', async () => {
    const user = (await call('POST', '/identity/v3/users', { user: { name: 'ep-sysreader', password: 'ep-sysreader-1', domain_id: 'default' } })).body.user;
    const readerRole = (await call('GET', '/identity/v3/roles?name=reader')).body.roles[0].id;
    assert.equal((await call('PUT', `/identity/v3/system/users/${user.id}/roles/${readerRole}`)).status, 204);
    const reader = await cloud.token({ id: user.id, password: 'ep-sysreader-1' }, { system: { all: true } });
    assert.equal((await call('GET', `${EP}/endpoint_groups`, undefined, reader)).status, 200);
    assert.equal((await call('GET', `${EP}/projects/${projectId}/endpoints`, undefined, reader)).status, 200);
    assert.equal((await call('POST', `${EP}/endpoint_groups`, { endpoint_group: { name: 'r', filters: { interface: 'public' } } }, reader)).status, 403);
    assert.equal((await call('PUT', `${EP}/projects/${projectId}/endpoints/${publicId}`, undefined, reader)).status, 403);
  });

  test('project endpoint calls are admin-only (403 for a member)', async () => {
    assert.equal((await call('PUT', `${EP}/projects/${projectId}/endpoints/${publicId}`, undefined, demo)).status, 403);
    assert.equal((await call('GET', `${EP}/projects/${projectId}/endpoints`, undefined, demo)).status, 403);
  });
});
