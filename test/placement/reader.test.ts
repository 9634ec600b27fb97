/**
 * Placement's defaults give a project user nothing (every action is
 * admin_or_service_api): a user with only `reader` on project demo gets
 * Placement's 403 on every write, and on reads too; nothing changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { projectReader } from '../identity/reader-user.js';

const LATEST = { 'openstack-api-version': 'placement latest' };
const CONSUMER = '0b8a1c7e-5d43-4f0e-9a1b-2c3d4e5f6a7b';

describe('placement: a project reader cannot write', () => {
  let cloud: TestServer;
  let admin: string;
  let reader: string;
  let provider: string;

  const call = (token: string, method: string, path: string, body?: unknown) => cloud.request(method, `/placement${path}`, { token, body, headers: LATEST });

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    reader = (await projectReader(cloud)).token;
    const created = await call(admin, 'POST', '/resource_providers', { name: 'reader-test-provider' });
    assert.equal(created.status, 200, created.text);
    provider = created.body.uuid;
    const inventory = await call(admin, 'PUT', `/resource_providers/${provider}/inventories`, {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 4 } },
    });
    assert.equal(inventory.status, 200, inventory.text);
    assert.equal((await call(admin, 'PUT', '/traits/CUSTOM_READER_TEST')).status, 201);
    const claim = await call(admin, 'PUT', `/allocations/${CONSUMER}`, {
      allocations: { [provider]: { resources: { VCPU: 1 } } },
      project_id: 'p',
      user_id: 'u',
      consumer_generation: null,
      consumer_type: 'INSTANCE',
    });
    assert.equal(claim.status, 204, claim.text);
  });
  after(() => cloud.close());

  test('gets 403 on every write and read, and nothing changes', async () => {
    const before = await state();
    const generation = before.provider.generation as number;
    const requests: Array<[string, string, unknown?]> = [
      ['POST', '/resource_providers', { name: 'by-reader' }],
      ['PUT', `/resource_providers/${provider}`, { name: 'renamed-by-reader' }],
      ['DELETE', `/resource_providers/${provider}`],
      ['PUT', `/resource_providers/${provider}/inventories`, { resource_provider_generation: generation, inventories: { VCPU: { total: 64 } } }],
      ['POST', `/resource_providers/${provider}/inventories`, { resource_provider_generation: generation, resource_class: 'DISK_GB', total: 10 }],
      ['PUT', `/resource_providers/${provider}/inventories/VCPU`, { resource_provider_generation: generation, total: 64 }],
      ['DELETE', `/resource_providers/${provider}/inventories/VCPU`],
      ['DELETE', `/resource_providers/${provider}/inventories`],
      ['PUT', `/resource_providers/${provider}/traits`, { resource_provider_generation: generation, traits: ['CUSTOM_READER_TEST'] }],
      ['DELETE', `/resource_providers/${provider}/traits`],
      ['PUT', `/resource_providers/${provider}/aggregates`, { resource_provider_generation: generation, aggregates: [CONSUMER] }],
      ['PUT', '/resource_classes/CUSTOM_BY_READER'],
      ['POST', '/resource_classes', { name: 'CUSTOM_BY_READER' }],
      ['DELETE', '/resource_classes/CUSTOM_READER_TEST'],
      ['PUT', '/traits/CUSTOM_BY_READER'],
      ['DELETE', '/traits/CUSTOM_READER_TEST'],
      [
        'PUT',
        `/allocations/${CONSUMER}`,
        { allocations: { [provider]: { resources: { VCPU: 3 } } }, project_id: 'p', user_id: 'u', consumer_generation: 1, consumer_type: 'INSTANCE' },
      ],
      ['POST', '/allocations', { [CONSUMER]: { allocations: {}, project_id: 'p', user_id: 'u', consumer_generation: 1, consumer_type: 'INSTANCE' } }],
      ['DELETE', `/allocations/${CONSUMER}`],
      ['POST', '/reshaper', { inventories: { [provider]: { resource_provider_generation: generation, inventories: {} } }, allocations: {} }],
      ['GET', '/resource_providers'],
      ['GET', `/resource_providers/${provider}/inventories`],
      ['GET', `/allocations/${CONSUMER}`],
      ['GET', '/allocation_candidates?resources=VCPU:1'],
      ['GET', '/usages?project_id=p'],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(reader, method, path, body);
      assert.equal(response.status, 403, `${method} ${path}: ${response.status} ${response.text}`);
      assert.equal(response.body.errors?.[0]?.status, 403, response.text);
    }
    assert.deepEqual(await state(), before);
  });

  async function state() {
    const [providerBody, inventories, traits, allocations, classes, allTraits] = await Promise.all([
      call(admin, 'GET', `/resource_providers/${provider}`),
      call(admin, 'GET', `/resource_providers/${provider}/inventories`),
      call(admin, 'GET', `/resource_providers/${provider}/traits`),
      call(admin, 'GET', `/allocations/${CONSUMER}`),
      call(admin, 'GET', '/resource_classes'),
      call(admin, 'GET', '/traits?name=startswith:CUSTOM_'),
    ]);
    return {
      provider: providerBody.body,
      inventories: inventories.body,
      traits: traits.body,
      allocations: allocations.body,
      classes: classes.body,
      allTraits: allTraits.body,
    };
  }
});
