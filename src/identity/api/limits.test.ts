import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

describe('identity API: unified limits', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let serviceId: string;
  let demoProjectId: string;
  const call = (method: string, path: string, token: string, body?: unknown) => cloud.request(method, `/identity/v3${path}`, { token, body });
  before(async () => {
    cloud = await startTestServer();
    [admin, demo] = await Promise.all([cloud.adminToken(), cloud.demoToken()]);
    serviceId = (await call('GET', '/services?type=identity', admin)).body.services[0].id;
    const self = await cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    demoProjectId = self.body.token.project.id;
  });
  after(() => cloud.close());

  test('the model is flat', async () => {
    const model = await call('GET', '/limits/model', demo);
    assert.equal(model.status, 200);
    assert.equal(model.body.model.name, 'flat');
  });

  test('registered limits and project limits: create in bulk, read, update, delete', async () => {
    const registered = await call('POST', '/registered_limits', admin, {
      registered_limits: [
        { service_id: serviceId, resource_name: 'widgets', default_limit: 10, description: 'Widgets' },
        { service_id: serviceId, region_id: 'RegionOne', resource_name: 'gadgets', default_limit: -1 },
      ],
    });
    assert.equal(registered.status, 201);
    assert.deepEqual(Object.keys(registered.body), ['registered_limits']);
    const [widgets, gadgets] = registered.body.registered_limits;
    assert.deepEqual(widgets, {
      id: widgets.id,
      service_id: serviceId,
      region_id: null,
      resource_name: 'widgets',
      default_limit: 10,
      description: 'Widgets',
      links: { self: `${cloud.identityUrl}/v3/registered_limits/${widgets.id}` },
    });
    assert.equal(gadgets.region_id, 'RegionOne');
    const byRegion = await call('GET', '/registered_limits?region_id=RegionOne', demo);
    assert.deepEqual(
      byRegion.body.registered_limits.map((r: { id: string }) => r.id),
      [gadgets.id],
    );

    const created = await call('POST', '/limits', admin, {
      limits: [{ service_id: serviceId, project_id: demoProjectId, resource_name: 'widgets', resource_limit: 5 }],
    });
    assert.equal(created.status, 201);
    const [override] = created.body.limits;
    assert.deepEqual(
      [override.project_id, override.domain_id, override.region_id, override.resource_limit, override.description],
      [demoProjectId, null, null, 5, null],
    );
    assert.deepEqual(
      (await call('GET', '/limits', demo)).body.limits.map((l: { id: string }) => l.id),
      [override.id],
    );
    assert.equal((await call('GET', `/limits/${override.id}`, demo)).body.limit.resource_limit, 5);
    assert.equal((await call('PATCH', `/limits/${override.id}`, admin, { limit: { resource_limit: 7 } })).body.limit.resource_limit, 7);

    assert.equal((await call('PATCH', `/registered_limits/${widgets.id}`, admin, { registered_limit: { default_limit: 1 } })).status, 403);
    assert.equal((await call('DELETE', `/registered_limits/${widgets.id}`, admin)).status, 403);
    assert.equal((await call('DELETE', `/limits/${override.id}`, admin)).status, 204);
    assert.equal(
      (await call('PATCH', `/registered_limits/${widgets.id}`, admin, { registered_limit: { default_limit: 1 } })).body.registered_limit.default_limit,
      1,
    );
    assert.equal((await call('DELETE', `/registered_limits/${widgets.id}`, admin)).status, 204);
    assert.equal((await call('GET', `/registered_limits/${widgets.id}`, admin)).status, 404);
  });

  test('bad input is 400, a missing registered limit 403, members may not write', async () => {
    const limit = { service_id: serviceId, project_id: demoProjectId, resource_name: 'sprockets', resource_limit: 1 };
    for (const body of [
      { registered_limits: [] },
      { registered_limits: [{ service_id: serviceId, resource_name: 'x', default_limit: -2 }] },
      { registered_limits: [{ service_id: serviceId, resource_name: 'x', default_limit: 1, extra: true }] },
      { registered_limits: [{ service_id: 'nope', resource_name: 'x', default_limit: 1 }] },
    ]) {
      assert.equal((await call('POST', '/registered_limits', admin, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await call('POST', '/limits', admin, { limits: [{ ...limit, domain_id: 'default' }] })).status, 400);
    assert.equal((await call('POST', '/limits', admin, { limits: [{ ...limit, project_id: undefined }] })).status, 400);
    assert.equal((await call('POST', '/limits', admin, { limits: [limit] })).status, 403);
    assert.equal(
      (await call('POST', '/registered_limits', demo, { registered_limits: [{ service_id: serviceId, resource_name: 'x', default_limit: 1 }] })).status,
      403,
    );
    assert.equal((await call('PATCH', '/limits/nope', admin, { limit: { project_id: 'p' } })).status, 400);
  });
});
