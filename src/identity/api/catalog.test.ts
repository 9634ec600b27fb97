import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

describe('identity API: regions, services, endpoints', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    [admin, demo] = await Promise.all([cloud.adminToken(), cloud.demoToken()]);
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown, token = admin) => cloud.request(method, `/identity/v3${path}`, { token, body });

  test('regions: POST, PUT with an id, PATCH, list by parent, DELETE', async () => {
    const created = await call('POST', '/regions', { region: { description: 'top', zone: 'z1' } });
    assert.equal(created.status, 201);
    const top = created.body.region;
    assert.match(top.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(top, { id: top.id, description: 'top', parent_region_id: null, zone: 'z1', links: { self: `${cloud.identityUrl}/v3/regions/${top.id}` } });

    const put = await call('PUT', '/regions/Sub', { region: { parent_region_id: top.id } });
    assert.equal(put.status, 201);
    assert.deepEqual([put.body.region.id, put.body.region.description], ['Sub', '']);
    assert.equal((await call('PUT', '/regions/Other', { region: { id: 'Else' } })).status, 400);
    assert.equal((await call('PUT', '/regions/Sub', { region: {} })).status, 409);

    const patched = await call('PATCH', '/regions/Sub', { region: { description: 'below top' } });
    assert.equal(patched.body.region.description, 'below top');
    assert.equal((await call('PATCH', '/regions/Sub', { region: {} })).status, 400);
    const children = await call('GET', `/regions?parent_region_id=${top.id}`);
    assert.deepEqual(
      children.body.regions.map((r: { id: string }) => r.id),
      ['Sub'],
    );
    assert.equal(children.body.links.self, `${cloud.identityUrl}/v3/regions`);

    assert.equal((await call('DELETE', `/regions/${top.id}`)).status, 204);
    const gone = await call('GET', '/regions/Sub');
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body.error, { code: 404, title: 'Not Found', message: 'Could not find region: Sub.' });
  });

  test('services: type required, name defaults to "", description only when set, filters, 403 for members', async () => {
    assert.equal((await call('POST', '/services', { service: { name: 'no-type' } })).status, 400);
    assert.equal((await call('POST', '/services', { service: { type: 'x', enabled: 'yes' } })).status, 400);
    const created = await call('POST', '/services', { service: { type: 'telemetry-test' } });
    assert.equal(created.status, 201);
    const service = created.body.service;
    assert.deepEqual(service, {
      id: service.id,
      type: 'telemetry-test',
      name: '',
      enabled: true,
      links: { self: `${cloud.identityUrl}/v3/services/${service.id}` },
    });
    const updated = await call('PATCH', `/services/${service.id}`, { service: { description: 'metrics', name: 'gnocchi-test' } });
    assert.equal(updated.body.service.description, 'metrics');
    const byType = await call('GET', '/services?type=telemetry-test');
    assert.deepEqual(
      byType.body.services.map((s: { name: string }) => s.name),
      ['gnocchi-test'],
    );
    const denied = await call('GET', '/services', undefined, demo);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.title, 'Forbidden');
    assert.equal((await call('DELETE', `/services/${service.id}`)).status, 204);
  });

  test('endpoints: a legacy region is created, region mirrors region_id, bad input is 400', async () => {
    const service = (await call('POST', '/services', { service: { type: 'endpoint-test', name: 'ept' } })).body.service;
    const body = { service_id: service.id, interface: 'public', url: 'http://ept.example/v1/$(project_id)s', region: 'RegionTest', enabled: true };
    const created = await call('POST', '/endpoints', { endpoint: body });
    assert.equal(created.status, 201);
    const endpoint = created.body.endpoint;
    assert.deepEqual(
      [endpoint.region, endpoint.region_id, endpoint.interface, endpoint.enabled, endpoint.links.self],
      ['RegionTest', 'RegionTest', 'public', true, `${cloud.identityUrl}/v3/endpoints/${endpoint.id}`],
    );
    assert.equal((await call('GET', '/regions/RegionTest')).status, 200);

    for (const bad of [
      { enabled: 'False' },
      { interface: 'private' },
      { url: 'no-scheme' },
      { url: 'http://x/$(nope)s' },
      { service_id: 'nope' },
      { region_id: 'Nowhere', region: undefined },
    ]) {
      const response = await call('POST', '/endpoints', { endpoint: { ...body, ...bad } });
      assert.equal(response.status, 400, JSON.stringify(bad));
    }
    assert.equal((await call('PATCH', `/endpoints/${endpoint.id}`, { endpoint: { enabled: 'True' } })).status, 400);

    const internal = await call('PATCH', `/endpoints/${endpoint.id}`, { endpoint: { interface: 'internal', enabled: false } });
    assert.deepEqual([internal.body.endpoint.interface, internal.body.endpoint.enabled], ['internal', false]);
    const listed = await call('GET', `/endpoints?service_id=${service.id}&interface=internal`);
    assert.deepEqual(
      listed.body.endpoints.map((e: { id: string }) => e.id),
      [endpoint.id],
    );
    assert.equal((await call('DELETE', '/regions/RegionTest')).status, 403);
    assert.equal((await call('DELETE', `/endpoints/${endpoint.id}`)).status, 204);
    assert.equal((await call('DELETE', '/regions/RegionTest')).status, 204);
  });
});
