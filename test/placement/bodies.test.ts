/** Placement's request bodies: checked after the policy check, per microversion, worded "JSON does not validate: ...". */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';

describe('placement request bodies', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body: unknown, version = 'latest', token = admin) =>
    cloud.request(method, `/placement${path}`, { token, body, headers: { 'openstack-api-version': `placement ${version}` } });
  const detail = (response: TestResponse) => (response.body.errors as Array<{ detail: string }>)[0]?.detail;

  test('a caller the policy refuses gets 403 whatever its body says', async () => {
    const response = await call('POST', '/resource_providers', { colour: 'red' }, 'latest', demo);
    assert.equal(response.status, 403);
  });

  test("violations read as Placement's jsonschema messages", async () => {
    const missing = await call('POST', '/resource_providers', {});
    assert.equal(missing.status, 400);
    assert.equal(detail(missing), "JSON does not validate: 'name' is a required property");
    const extra = await call('POST', '/resource_providers', { name: 'x', colour: 'red' });
    assert.equal(detail(extra), "JSON does not validate: Additional properties are not allowed ('colour' was unexpected)");
    const badUuid = await call('POST', '/resource_providers', { name: 'x', uuid: 'nope' });
    assert.equal(detail(badUuid), "JSON does not validate: 'nope' is not a 'uuid'");
    const ratio = await call('PUT', `/resource_providers/${randomUUID()}/inventories`, {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 1, allocation_ratio: 0 } },
    });
    assert.equal(detail(ratio), 'JSON does not validate: 0 is less than or equal to the minimum of 0');
  });

  test('per microversion: parent_provider_uuid from 1.14, owners from 1.8, consumer generation from 1.28', async () => {
    const old = await call('POST', '/resource_providers', { name: 'pp-old', parent_provider_uuid: null }, '1.13');
    assert.equal(detail(old), "JSON does not validate: Additional properties are not allowed ('parent_provider_uuid' was unexpected)");
    const created = await call('POST', '/resource_providers', { name: 'pp-new', parent_provider_uuid: null }, '1.20');
    assert.equal(created.status, 200, created.text);
    const rp = created.body.uuid as string;
    const inventory = await call('PUT', `/resource_providers/${rp}/inventories`, { resource_provider_generation: 0, inventories: { VCPU: { total: 4 } } });
    assert.equal(inventory.status, 200, inventory.text);

    const consumer = randomUUID();
    const allocations = { [rp]: { resources: { VCPU: 1 } } };
    const noOwner = await call('PUT', `/allocations/${consumer}`, { allocations }, '1.12');
    assert.equal(detail(noOwner), "JSON does not validate: 'project_id' is a required property");
    const noGeneration = await call('PUT', `/allocations/${consumer}`, { allocations, project_id: 'p', user_id: 'u' }, '1.28');
    assert.equal(detail(noGeneration), "JSON does not validate: 'consumer_generation' is a required property");
    const list = await call('PUT', `/allocations/${consumer}`, { allocations: [{ resource_provider: { uuid: rp }, resources: { VCPU: 1 } }] }, '1.7');
    assert.equal(list.status, 204, list.text);
    const moved = await call(
      'PUT',
      `/allocations/${consumer}`,
      { allocations, project_id: 'p', user_id: 'u', consumer_generation: 0, mappings: { '': [rp] } },
      '1.34',
    );
    assert.equal(moved.status, 204, moved.text);
  });
});
