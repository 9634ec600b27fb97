import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

import type { Json as Body } from '../support/json.js';

describe('identity: projects acting as domains (is_domain)', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;

  const call = (method: string, path: string, body?: Body, token = admin) => cloud.request(method, `/identity/v3${path}`, { token, ...(body && { body }) });

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  test('creating one makes a domain of the same id, shown with neither domain nor parent', async () => {
    const created = await call('POST', '/projects', { project: { name: 'acting-domain', is_domain: true, description: 'both' } });
    assert.equal(created.status, 201);
    const project = created.body.project;
    assert.equal(project.is_domain, true);
    assert.equal(project.domain_id, null);
    assert.equal(project.parent_id, null);
    const domain = (await call('GET', `/domains/${project.id}`)).body.domain;
    assert.equal(domain.name, 'acting-domain');
    assert.equal(domain.description, 'both');
    assert.equal((await call('GET', `/projects/${project.id}`)).body.project.is_domain, true);
    assert.equal((await call('POST', '/projects', { project: { name: 'acting-domain', is_domain: true } })).status, 409);
  });

  test('is_domain=true lists the domains as projects; without it, only projects', async () => {
    const domains = (await call('GET', '/projects?is_domain=true')).body.projects;
    assert.ok(domains.some((p: Body) => p.id === 'default' && p.is_domain === true));
    assert.ok(domains.every((p: Body) => p.is_domain === true));
    assert.deepEqual(
      (await call('GET', '/projects?is_domain=true&name=acting-domain')).body.projects.map((p: Body) => p.name),
      ['acting-domain'],
    );
    const projects = (await call('GET', '/projects')).body.projects;
    assert.ok(projects.length > 0 && projects.every((p: Body) => p.is_domain === false));
    assert.ok((await call('GET', '/projects?is_domain=false')).body.projects.every((p: Body) => p.is_domain === false));
  });

  test('a project under one must be in that domain; one acting as a domain must be a root (400)', async () => {
    const domainProject = (await call('POST', '/projects', { project: { name: 'parent-domain', is_domain: true } })).body.project;
    const child = await call('POST', '/projects', { project: { name: 'child', parent_id: domainProject.id, domain_id: domainProject.id } });
    assert.equal(child.status, 201);
    assert.equal(child.body.project.domain_id, domainProject.id);
    assert.equal(child.body.project.parent_id, domainProject.id);
    const mismatch = await call('POST', '/projects', { project: { name: 'stray', parent_id: domainProject.id, domain_id: 'default' } });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.body.error.message, /is acting as a domain/);
    const nested = await call('POST', '/projects', { project: { name: 'nested-domain', is_domain: true, parent_id: child.body.project.id } });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.error.message, 'only root projects are allowed to act as domains.');
    assert.equal((await call('POST', '/projects', { project: { name: 'in-domain', is_domain: true, domain_id: 'default' } })).status, 400);
  });

  test('update keeps it a domain; delete needs it disabled (403) and takes its projects along', async () => {
    const project = (await call('POST', '/projects', { project: { name: 'short-lived', is_domain: true } })).body.project;
    const inside = (await call('POST', '/projects', { project: { name: 'inside', domain_id: project.id } })).body.project;
    assert.equal((await call('PATCH', `/projects/${project.id}`, { project: { is_domain: false } })).status, 400);
    assert.equal((await call('DELETE', `/projects/${project.id}`)).status, 403);
    const renamed = await call('PATCH', `/projects/${project.id}`, { project: { name: 'renamed', enabled: false } });
    assert.equal(renamed.body.project.name, 'renamed');
    assert.equal(renamed.body.project.enabled, false);
    assert.equal((await call('GET', `/domains/${project.id}`)).body.domain.enabled, false);
    assert.equal((await call('DELETE', `/projects/${project.id}`)).status, 204);
    assert.equal((await call('GET', `/domains/${project.id}`)).status, 404);
    assert.equal((await call('GET', `/projects/${inside.id}`)).status, 404);
  });

  test('members may neither create nor delete one (403)', async () => {
    assert.equal((await call('POST', '/projects', { project: { name: 'by-member', is_domain: true } }, demo)).status, 403);
    assert.equal((await call('DELETE', '/projects/default', undefined, demo)).status, 403);
  });
});
