/**
 * The Placement API under /placement: version document and negotiation,
 * error bodies, policy, and every endpoint with its error cases (404, 409
 * generation conflicts and in-use resources, 400 bodies and queries) at the
 * microversions where their shapes change.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer, type TestResponse } from '../support/server.js';
import type { Json } from '../support/json.js';

describe('placement API', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, options: { body?: unknown; version?: string; token?: string; rawBody?: string } = {}) =>
    cloud.request(method, `/placement${path}`, {
      token: options.token ?? admin,
      ...(options.body !== undefined && { body: options.body }),
      ...(options.rawBody !== undefined && { rawBody: options.rawBody }),
      headers: {
        'openstack-api-version': `placement ${options.version ?? 'latest'}`,
        ...(options.rawBody !== undefined && { 'content-type': 'application/json' }),
      },
    });
  const error = (response: TestResponse, status: number, code = 'placement.undefined_code') => {
    assert.equal(response.status, status, response.text);
    const [entry] = response.body.errors;
    assert.equal(entry.status, status);
    const [, minor] = (response.headers.get('openstack-api-version') ?? 'placement 1.0').split('.');
    // Error codes came with 1.23.
    assert.equal(entry.code, Number(minor) >= 23 ? code : undefined, response.text);
    assert.ok(entry.title);
    assert.ok(entry.detail);
    assert.match(entry.request_id, /^req-/);
    assert.equal(entry.request_id, response.headers.get('x-openstack-request-id'));
  };
  const createProvider = async (name: string, extra: Record<string, unknown> = {}) => {
    const response = await call('POST', '/resource_providers', { body: { name, ...extra } });
    assert.equal(response.status, 200, response.text);
    return response.body as { uuid: string; generation: number };
  };
  const setInventory = async (uuid: string, inventories: Record<string, unknown>) => {
    const current = await call('GET', `/resource_providers/${uuid}/inventories`);
    const response = await call('PUT', `/resource_providers/${uuid}/inventories`, {
      body: { resource_provider_generation: current.body.resource_provider_generation, inventories },
    });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };

  test('root version document, negotiation and error format', async () => {
    const root = await cloud.request('GET', '/placement');
    assert.equal(root.status, 200);
    assert.deepEqual(root.body.versions[0].id, 'v1.0');
    assert.equal(root.body.versions[0].min_version, '1.0');
    assert.equal(root.body.versions[0].max_version, '1.39');
    assert.equal(root.body.versions[0].status, 'CURRENT');
    assert.equal(root.body.versions[0].links[0].href, `${cloud.url}/placement/`);
    const catalog = await cloud.request('GET', '/identity/v3/auth/catalog', { token: admin });
    const entry = (catalog.body.catalog as Array<{ type: string; name: string; endpoints: Array<{ url: string; interface: string }> }>).find(
      (e) => e.type === 'placement',
    );
    assert.equal(entry?.name, 'placement');
    assert.equal(entry?.endpoints.find((e) => e.interface === 'public')?.url, `${cloud.url}/placement`);
    const latest = await call('GET', '/resource_providers');
    assert.equal(latest.headers.get('openstack-api-version'), 'placement 1.39');
    assert.match(latest.headers.get('vary') ?? '', /OpenStack-API-Version/i);
    assert.equal((await call('GET', '/resource_providers', { version: '1.14' })).headers.get('openstack-api-version'), 'placement 1.14');
    const none = await cloud.request('GET', '/placement/resource_providers', { token: admin });
    assert.equal(none.headers.get('openstack-api-version'), 'placement 1.0');
    error(await call('GET', '/resource_providers', { version: '1.40' }), 406);
    error(await call('GET', '/resource_providers', { version: 'x' }), 400);
    // No code before 1.23.
    const old = await call('GET', `/resource_providers/${randomUUID()}`, { version: '1.22' });
    assert.equal(old.status, 404);
    assert.equal(old.body.errors[0].code, undefined);
    error(await call('GET', `/resource_providers/${randomUUID()}`), 404);
    // Routes newer than the request's version do not exist for it.
    assert.equal((await call('GET', '/traits', { version: '1.5' })).status, 404);
    assert.equal((await call('GET', '/usages?project_id=x', { version: '1.8' })).status, 404);
    error(await cloud.request('GET', '/placement/resource_providers'), 401);
    error(await call('GET', '/resource_providers', { token: demo }), 403);
    error(await call('GET', '/nope'), 404);
  });

  test('resource providers: CRUD, generations, trees, filters', async () => {
    const old = await call('POST', '/resource_providers', { body: { name: 'rp-old' }, version: '1.19' });
    assert.equal(old.status, 201);
    assert.equal(old.text, '');
    assert.match(old.headers.get('location') ?? '', /\/placement\/resource_providers\/[0-9a-f-]{36}$/);
    const uuid = randomUUID();
    const created = await call('POST', '/resource_providers', { body: { name: 'rp-a', uuid } });
    assert.equal(created.status, 200);
    assert.equal(created.body.uuid, uuid);
    assert.equal(created.body.generation, 0);
    assert.equal(created.body.root_provider_uuid, uuid);
    assert.equal(created.body.parent_provider_uuid, null);
    assert.deepEqual(
      created.body.links.map((l: { rel: string }) => l.rel),
      ['self', 'inventories', 'usages', 'aggregates', 'traits', 'allocations'],
    );
    error(await call('POST', '/resource_providers', { body: { name: 'rp-a' } }), 409, 'placement.duplicate_name');
    error(await call('POST', '/resource_providers', { body: { name: 'other', uuid } }), 409, 'placement.duplicate_name');
    error(await call('POST', '/resource_providers', { body: {} }), 400);
    error(await call('POST', '/resource_providers', { body: { name: 'x', color: 'red' } }), 400);
    error(await call('POST', '/resource_providers', { body: { name: 'x', uuid: 'not-a-uuid' } }), 400);
    error(await call('POST', '/resource_providers', { rawBody: '{"name":' }), 400);
    error(await call('POST', '/resource_providers', { body: { name: 'x', parent_provider_uuid: randomUUID() } }), 400);

    const child = await createProvider('rp-a-child', { parent_provider_uuid: uuid });
    const shown = await call('GET', `/resource_providers/${child.uuid}`);
    assert.equal(shown.body.parent_provider_uuid, uuid);
    assert.equal(shown.body.root_provider_uuid, uuid);
    assert.equal(shown.body.generation, 0);
    const oldShape = await call('GET', `/resource_providers/${child.uuid}`, { version: '1.13' });
    assert.equal(oldShape.body.parent_provider_uuid, undefined);
    assert.ok(shown.headers.get('last-modified'));
    assert.equal(shown.headers.get('cache-control'), 'no-cache');

    const renamed = await call('PUT', `/resource_providers/${uuid}`, { body: { name: 'rp-a2' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'rp-a2');
    error(await call('PUT', `/resource_providers/${uuid}`, { body: { name: 'rp-old' } }), 409, 'placement.duplicate_name');
    error(await call('PUT', `/resource_providers/${uuid}`, { body: {} }), 400);
    error(await call('PUT', `/resource_providers/${randomUUID()}`, { body: { name: 'z' } }), 404);
    // Re-parenting needs 1.37.
    const other = await createProvider('rp-b');
    error(await call('PUT', `/resource_providers/${child.uuid}`, { body: { name: 'rp-a-child', parent_provider_uuid: other.uuid }, version: '1.36' }), 400);
    const moved = await call('PUT', `/resource_providers/${child.uuid}`, { body: { name: 'rp-a-child', parent_provider_uuid: other.uuid } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.root_provider_uuid, other.uuid);
    error(await call('PUT', `/resource_providers/${other.uuid}`, { body: { name: 'rp-b', parent_provider_uuid: child.uuid } }), 400);

    const list = await call('GET', '/resource_providers');
    assert.ok(list.body.resource_providers.length >= 4);
    const byName = await call('GET', '/resource_providers?name=rp-b');
    assert.deepEqual(
      byName.body.resource_providers.map((p: { uuid: string }) => p.uuid),
      [other.uuid],
    );
    const byUuid = await call('GET', `/resource_providers?uuid=${uuid}`);
    assert.equal(byUuid.body.resource_providers.length, 1);
    const tree = await call('GET', `/resource_providers?in_tree=${child.uuid}`);
    assert.deepEqual(tree.body.resource_providers.map((p: { uuid: string }) => p.uuid).sort(), [other.uuid, child.uuid].sort());
    error(await call('GET', '/resource_providers?color=red'), 400);
    error(await call('GET', '/resource_providers?in_tree=x', { version: '1.14' }), 400);
    error(await call('GET', '/resource_providers?in_tree=x', { version: '1.13' }), 400);
    error(await call('GET', '/resource_providers?resources=VCPU'), 400, 'placement.query.bad_value');
    error(await call('GET', '/resource_providers?resources=NOPE:1'), 400, 'placement.query.bad_value');
    error(await call('GET', '/resource_providers?required=CUSTOM_NOPE'), 400);
    error(await call('GET', '/resource_providers?member_of=x'), 400, 'placement.query.bad_value');

    error(await call('DELETE', `/resource_providers/${other.uuid}`), 409, 'placement.resource_provider.cannot_delete_parent');
    assert.equal((await call('DELETE', `/resource_providers/${child.uuid}`)).status, 204);
    assert.equal((await call('DELETE', `/resource_providers/${other.uuid}`)).status, 204);
    error(await call('DELETE', `/resource_providers/${other.uuid}`), 404);
    assert.equal((await call('DELETE', `/resource_providers/${uuid}`)).status, 204);
  });

  test('inventories: replace, add, show, update, delete, generations, in use', async () => {
    const rp = await createProvider('inv-rp');
    const empty = await call('GET', `/resource_providers/${rp.uuid}/inventories`);
    assert.deepEqual(empty.body, { inventories: {}, resource_provider_generation: 0 });
    const put = await call('PUT', `/resource_providers/${rp.uuid}/inventories`, {
      body: { resource_provider_generation: 0, inventories: { VCPU: { total: 8, allocation_ratio: 4.0 }, MEMORY_MB: { total: 4096, reserved: 512 } } },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.resource_provider_generation, 1);
    assert.deepEqual(put.body.inventories.VCPU, { total: 8, reserved: 0, min_unit: 1, max_unit: 2147483647, step_size: 1, allocation_ratio: 4 });
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { body: { resource_provider_generation: 0, inventories: { VCPU: { total: 1 } } } }),
      409,
      'placement.concurrent_update',
    );
    error(await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { body: { inventories: {} } }), 400);
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { body: { resource_provider_generation: 1, inventories: { VCPU: { total: 0 } } } }),
      400,
    );
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, {
        body: { resource_provider_generation: 1, inventories: { VCPU: { total: 1, bogus: 1 } } },
      }),
      400,
    );
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { body: { resource_provider_generation: 1, inventories: { NOPE: { total: 1 } } } }),
      400,
    );
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, {
        body: { resource_provider_generation: 1, inventories: { VCPU: { total: 2, reserved: 3 } } },
      }),
      400,
    );
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, {
        body: { resource_provider_generation: 1, inventories: { VCPU: { total: 2, reserved: 2 } } },
        version: '1.25',
      }),
      400,
    );
    error(await call('PUT', `/resource_providers/${randomUUID()}/inventories`, { body: { resource_provider_generation: 1, inventories: {} } }), 404);

    const one = await call('GET', `/resource_providers/${rp.uuid}/inventories/MEMORY_MB`);
    assert.equal(one.body.reserved, 512);
    assert.equal(one.body.resource_provider_generation, 1);
    error(await call('GET', `/resource_providers/${rp.uuid}/inventories/DISK_GB`), 404);
    const updated = await call('PUT', `/resource_providers/${rp.uuid}/inventories/MEMORY_MB`, { body: { resource_provider_generation: 1, total: 8192 } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.total, 8192);
    assert.equal(updated.body.resource_provider_generation, 2);
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories/MEMORY_MB`, { body: { resource_provider_generation: 1, total: 1 } }),
      409,
      'placement.concurrent_update',
    );
    error(await call('PUT', `/resource_providers/${rp.uuid}/inventories/DISK_GB`, { body: { resource_provider_generation: 2, total: 1 } }), 400);
    const added = await call('POST', `/resource_providers/${rp.uuid}/inventories`, {
      body: { resource_class: 'DISK_GB', total: 100, resource_provider_generation: 2 },
    });
    assert.equal(added.status, 201, added.text);
    assert.match(added.headers.get('location') ?? '', /inventories\/DISK_GB$/);
    error(
      await call('POST', `/resource_providers/${rp.uuid}/inventories`, { body: { resource_class: 'DISK_GB', total: 100, resource_provider_generation: 3 } }),
      409,
    );

    // In use: allocations hold VCPU.
    const consumer = randomUUID();
    const alloc = await call('PUT', `/allocations/${consumer}`, {
      body: { allocations: { [rp.uuid]: { resources: { VCPU: 2 } } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'INSTANCE' },
    });
    assert.equal(alloc.status, 204, alloc.text);
    error(await call('DELETE', `/resource_providers/${rp.uuid}/inventories/VCPU`), 409, 'placement.inventory.inuse');
    error(await call('DELETE', `/resource_providers/${rp.uuid}/inventories`), 409, 'placement.inventory.inuse');
    const gen = (await call('GET', `/resource_providers/${rp.uuid}/inventories`)).body.resource_provider_generation;
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { body: { resource_provider_generation: gen, inventories: { DISK_GB: { total: 10 } } } }),
      409,
      'placement.inventory.inuse',
    );
    error(await call('DELETE', `/resource_providers/${rp.uuid}`), 409, 'placement.resource_provider.inuse');
    assert.equal((await call('DELETE', `/resource_providers/${rp.uuid}/inventories/DISK_GB`)).status, 204);
    error(await call('DELETE', `/resource_providers/${rp.uuid}/inventories/DISK_GB`), 404);
    assert.equal((await call('DELETE', `/allocations/${consumer}`)).status, 204);
    assert.equal((await call('DELETE', `/resource_providers/${rp.uuid}/inventories`)).status, 204);
    assert.equal((await call('DELETE', `/resource_providers/${rp.uuid}/inventories`, { version: '1.4' })).status, 404);
    assert.deepEqual((await call('GET', `/resource_providers/${rp.uuid}/inventories`)).body.inventories, {});
  });

  test('resource classes and traits', async () => {
    const classes = await call('GET', '/resource_classes');
    const names = classes.body.resource_classes.map((c: { name: string }) => c.name);
    for (const name of ['VCPU', 'MEMORY_MB', 'DISK_GB', 'PCPU', 'VGPU']) assert.ok(names.includes(name), name);
    assert.equal(classes.body.resource_classes[0].links[0].href, '/placement/resource_classes/VCPU');
    assert.equal((await call('POST', '/resource_classes', { body: { name: 'CUSTOM_GPU_A' } })).status, 201);
    error(await call('POST', '/resource_classes', { body: { name: 'CUSTOM_GPU_A' } }), 409, 'placement.duplicate_name');
    error(await call('POST', '/resource_classes', { body: { name: 'GPU_A' } }), 400);
    assert.equal((await call('PUT', '/resource_classes/CUSTOM_GPU_B')).status, 201);
    assert.equal((await call('PUT', '/resource_classes/CUSTOM_GPU_B')).status, 204);
    error(await call('PUT', '/resource_classes/GPU_B'), 400);
    const renamed = await call('PUT', '/resource_classes/CUSTOM_GPU_B', { body: { name: 'CUSTOM_GPU_C' }, version: '1.6' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((await call('GET', '/resource_classes/CUSTOM_GPU_C')).body.name, 'CUSTOM_GPU_C');
    error(await call('GET', '/resource_classes/CUSTOM_GPU_B'), 404);
    error(await call('DELETE', '/resource_classes/VCPU'), 400);
    const rp = await createProvider('rc-rp');
    await setInventory(rp.uuid, { CUSTOM_GPU_A: { total: 2 } });
    error(await call('DELETE', '/resource_classes/CUSTOM_GPU_A'), 409);
    assert.equal((await call('DELETE', '/resource_classes/CUSTOM_GPU_C')).status, 204);
    error(await call('DELETE', '/resource_classes/CUSTOM_GPU_C'), 404);
    assert.equal((await call('GET', '/resource_classes', { version: '1.1' })).status, 404);

    const traits = await call('GET', '/traits');
    for (const name of ['COMPUTE_VOLUME_MULTI_ATTACH', 'HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD']) assert.ok(traits.body.traits.includes(name), name);
    assert.equal((await call('PUT', '/traits/CUSTOM_RACK_1')).status, 201);
    assert.equal((await call('PUT', '/traits/CUSTOM_RACK_1')).status, 204);
    assert.equal((await call('PUT', '/traits/HW_CPU_X86_AVX2')).status, 204);
    error(await call('PUT', '/traits/RACK_1'), 400);
    assert.equal((await call('GET', '/traits/CUSTOM_RACK_1')).status, 204);
    error(await call('GET', '/traits/CUSTOM_NOPE'), 404);
    assert.deepEqual((await call('GET', '/traits?name=startswith:CUSTOM_')).body.traits, ['CUSTOM_RACK_1']);
    assert.deepEqual((await call('GET', '/traits?name=in:CUSTOM_RACK_1,HW_CPU_X86_AVX2,NOPE')).body.traits, ['CUSTOM_RACK_1', 'HW_CPU_X86_AVX2']);
    error(await call('GET', '/traits?name=CUSTOM'), 400);
    error(await call('GET', '/traits?associated=maybe'), 400);

    const put = await call('PUT', `/resource_providers/${rp.uuid}/traits`, {
      body: { traits: ['CUSTOM_RACK_1', 'HW_CPU_X86_AVX2'], resource_provider_generation: 1 },
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body, { traits: ['CUSTOM_RACK_1', 'HW_CPU_X86_AVX2'], resource_provider_generation: 2 });
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/traits`, { body: { traits: [], resource_provider_generation: 1 } }),
      409,
      'placement.concurrent_update',
    );
    error(await call('PUT', `/resource_providers/${rp.uuid}/traits`, { body: { traits: ['CUSTOM_NOPE'], resource_provider_generation: 2 } }), 400);
    error(await call('PUT', `/resource_providers/${rp.uuid}/traits`, { body: { traits: ['HW_CPU_X86_AVX2'] } }), 400);
    error(await call('GET', `/resource_providers/${randomUUID()}/traits`), 404);
    assert.deepEqual((await call('GET', '/traits?associated=true')).body.traits, ['CUSTOM_RACK_1', 'HW_CPU_X86_AVX2']);
    error(await call('DELETE', '/traits/CUSTOM_RACK_1'), 409);
    error(await call('DELETE', '/traits/HW_CPU_X86_AVX2'), 400);
    assert.deepEqual(
      (await call('GET', `/resource_providers?required=CUSTOM_RACK_1`)).body.resource_providers.map((p: { uuid: string }) => p.uuid),
      [rp.uuid],
    );
    assert.ok(!(await call('GET', `/resource_providers?required=!CUSTOM_RACK_1`)).body.resource_providers.some((p: { uuid: string }) => p.uuid === rp.uuid));
    error(await call('GET', `/resource_providers?required=!CUSTOM_RACK_1`, { version: '1.21' }), 400, 'placement.query.bad_value');
    assert.equal((await call('DELETE', `/resource_providers/${rp.uuid}/traits`)).status, 204);
    assert.deepEqual((await call('GET', `/resource_providers/${rp.uuid}/traits`)).body.traits, []);
    assert.equal((await call('DELETE', '/traits/CUSTOM_RACK_1')).status, 204);
    error(await call('DELETE', '/traits/CUSTOM_RACK_1'), 404);
  });

  test('aggregates: list format before 1.19, generations from 1.19, member_of', async () => {
    const rp = await createProvider('agg-rp');
    const a = randomUUID();
    const b = randomUUID();
    const old = await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: [a], version: '1.1' });
    assert.equal(old.status, 200, old.text);
    assert.deepEqual(old.body, { aggregates: [a] });
    const current = await call('GET', `/resource_providers/${rp.uuid}/aggregates`);
    assert.deepEqual(current.body, { aggregates: [a], resource_provider_generation: 1 });
    const put = await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: { aggregates: [a, b], resource_provider_generation: 1 } });
    assert.equal(put.body.resource_provider_generation, 2);
    error(
      await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: { aggregates: [], resource_provider_generation: 1 } }),
      409,
      'placement.concurrent_update',
    );
    error(await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: [a] }), 400);
    error(await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: { aggregates: ['x'], resource_provider_generation: 2 } }), 400);
    error(await call('PUT', `/resource_providers/${rp.uuid}/aggregates`, { body: { aggregates: [a, a], resource_provider_generation: 2 } }), 400);
    error(await call('GET', `/resource_providers/${randomUUID()}/aggregates`), 404);
    assert.equal((await call('GET', `/resource_providers/${rp.uuid}/aggregates`, { version: '1.0' })).status, 404);
    const ids = async (query: string) => (await call('GET', `/resource_providers?${query}`)).body.resource_providers.map((p: { uuid: string }) => p.uuid);
    assert.deepEqual(await ids(`member_of=${b}`), [rp.uuid]);
    assert.deepEqual(await ids(`member_of=in:${randomUUID()},${a}`), [rp.uuid]);
    assert.deepEqual(await ids(`member_of=${a}&member_of=${randomUUID()}`), []);
    assert.ok(!(await ids(`member_of=!${a}`)).includes(rp.uuid));
    error(await call('GET', `/resource_providers?member_of=${a}&member_of=${b}`, { version: '1.23' }), 400, 'placement.query.bad_value');
  });

  test('allocations: 1.0 list and 1.12 dict formats, consumer generations, POST, capacity, usages', async () => {
    const rp = await createProvider('alloc-rp');
    const rp2 = await createProvider('alloc-rp2');
    await setInventory(rp.uuid, { VCPU: { total: 4 }, MEMORY_MB: { total: 2048, step_size: 256 } });
    await setInventory(rp2.uuid, { VCPU: { total: 2 } });
    const c1 = randomUUID();
    // 1.0 list format with no owner (incomplete consumer).
    const legacy = await call('PUT', `/allocations/${c1}`, {
      body: { allocations: [{ resource_provider: { uuid: rp.uuid }, resources: { VCPU: 1 } }] },
      version: '1.0',
    });
    assert.equal(legacy.status, 204, legacy.text);
    const legacyShown = await call('GET', `/allocations/${c1}`, { version: '1.0' });
    assert.deepEqual(legacyShown.body, { allocations: { [rp.uuid]: { generation: 2, resources: { VCPU: 1 } } } });
    error(
      await call('PUT', `/allocations/${c1}`, { body: { allocations: [{ resource_provider: { uuid: rp.uuid }, resources: { VCPU: 1 } }] }, version: '1.8' }),
      400,
    );
    // 1.12 dict with owner; 1.28 consumer generation required.
    const shown = await call('GET', `/allocations/${c1}`);
    assert.equal(shown.body.consumer_generation, 0);
    assert.equal(shown.body.project_id, '00000000-0000-0000-0000-000000000000');
    assert.equal(shown.body.consumer_type, 'unknown');
    const body = (generation: number | null, resources: Record<string, number>, extra: Record<string, unknown> = {}) => ({
      allocations: { [rp.uuid]: { resources } },
      project_id: 'proj-1',
      user_id: 'user-1',
      consumer_generation: generation,
      consumer_type: 'INSTANCE',
      ...extra,
    });
    error(await call('PUT', `/allocations/${c1}`, { body: body(null, { VCPU: 2 }) }), 409, 'placement.concurrent_update');
    error(await call('PUT', `/allocations/${c1}`, { body: body(5, { VCPU: 2 }) }), 409, 'placement.concurrent_update');
    error(
      await call('PUT', `/allocations/${c1}`, {
        body: { allocations: { [rp.uuid]: { resources: { VCPU: 2 } } }, project_id: 'p', user_id: 'u', consumer_type: 'INSTANCE' },
      }),
      400,
    );
    assert.equal((await call('PUT', `/allocations/${c1}`, { body: body(0, { VCPU: 2, MEMORY_MB: 512 }) })).status, 204);
    const dict = await call('GET', `/allocations/${c1}`);
    assert.deepEqual(dict.body, {
      allocations: { [rp.uuid]: { generation: 3, resources: { VCPU: 2, MEMORY_MB: 512 } } },
      project_id: 'proj-1',
      user_id: 'user-1',
      consumer_generation: 1,
      consumer_type: 'INSTANCE',
    });
    const c2 = randomUUID();
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { VCPU: 3 }) }), 409);
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { MEMORY_MB: 100 }) }), 400);
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { DISK_GB: 1 }) }), 409);
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { VCPU: 0 }) }), 400);
    error(
      await call('PUT', `/allocations/${c2}`, { body: { ...body(null, { VCPU: 1 }), allocations: { [randomUUID()]: { resources: { VCPU: 1 } } } } }),
      400,
      'placement.resource_provider.not_found',
    );
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { VCPU: 1 }, { consumer_type: 'bad type' }) }), 400);
    error(await call('PUT', `/allocations/${c2}`, { body: body(null, { VCPU: 1 }, { surprise: true }) }), 400);
    error(await call('PUT', '/allocations/not-a-uuid', { body: body(null, { VCPU: 1 }) }), 400);
    assert.deepEqual((await call('GET', `/allocations/${c2}`)).body, { allocations: {} });

    // POST /allocations: two consumers at once (the migration swap), all or nothing.
    const migration = randomUUID();
    const post = (consumerGeneration: number, vcpu: number) =>
      call('POST', '/allocations', {
        body: {
          [c1]: { allocations: {}, project_id: 'proj-1', user_id: 'user-1', consumer_generation: consumerGeneration, consumer_type: 'INSTANCE' },
          [migration]: {
            allocations: { [rp.uuid]: { resources: { VCPU: vcpu, MEMORY_MB: 512 } } },
            project_id: 'proj-1',
            user_id: 'user-1',
            consumer_generation: null,
            consumer_type: 'MIGRATION',
          },
        },
      });
    error(await post(1, 5), 409);
    assert.equal((await call('GET', `/allocations/${c1}`)).body.consumer_generation, 1, 'nothing written');
    const swapped = await post(1, 2);
    assert.equal(swapped.status, 204, swapped.text);
    assert.deepEqual((await call('GET', `/allocations/${c1}`)).body, { allocations: {} });
    assert.equal((await call('GET', `/allocations/${migration}`)).body.consumer_type, 'MIGRATION');
    assert.equal((await call('POST', '/allocations', { body: {} })).status, 400);
    assert.equal((await call('POST', '/allocations', { body: {}, version: '1.12' })).status, 404);

    const third = randomUUID();
    assert.equal(
      (
        await call('PUT', `/allocations/${third}`, {
          body: { ...body(null, { VCPU: 1 }), allocations: { [rp2.uuid]: { resources: { VCPU: 1 } } }, user_id: 'user-2' },
        })
      ).status,
      204,
    );
    const rpAllocations = await call('GET', `/resource_providers/${rp.uuid}/allocations`);
    assert.deepEqual(rpAllocations.body.allocations, { [migration]: { resources: { VCPU: 2, MEMORY_MB: 512 } } });
    assert.equal(typeof rpAllocations.body.resource_provider_generation, 'number');
    error(await call('GET', `/resource_providers/${randomUUID()}/allocations`), 404);
    const usages = await call('GET', `/resource_providers/${rp.uuid}/usages`);
    assert.deepEqual(usages.body.usages, { VCPU: 2, MEMORY_MB: 512 });
    error(await call('GET', `/resource_providers/${randomUUID()}/usages`), 404);

    assert.deepEqual((await call('GET', '/usages?project_id=proj-1', { version: '1.9' })).body, { usages: { VCPU: 3, MEMORY_MB: 512 } });
    assert.deepEqual((await call('GET', '/usages?project_id=proj-1&user_id=user-2', { version: '1.37' })).body, { usages: { VCPU: 1 } });
    assert.deepEqual((await call('GET', '/usages?project_id=proj-1')).body, {
      usages: { MIGRATION: { consumer_count: 1, VCPU: 2, MEMORY_MB: 512 }, INSTANCE: { consumer_count: 1, VCPU: 1 } },
    });
    assert.deepEqual((await call('GET', '/usages?project_id=proj-1&consumer_type=all')).body, {
      usages: { all: { consumer_count: 2, VCPU: 3, MEMORY_MB: 512 } },
    });
    assert.deepEqual((await call('GET', '/usages?project_id=proj-1&consumer_type=INSTANCE')).body, { usages: { INSTANCE: { consumer_count: 1, VCPU: 1 } } });
    error(await call('GET', '/usages'), 400);
    error(await call('GET', '/usages?project_id=p&consumer_type=x', { version: '1.37' }), 400);

    assert.equal((await call('DELETE', `/allocations/${migration}`)).status, 204);
    error(await call('DELETE', `/allocations/${migration}`), 404);
    // An empty dict clears the allocations from 1.28.
    assert.equal((await call('PUT', `/allocations/${third}`, { body: { ...body(0, {}), allocations: {} } })).status, 204);
    assert.deepEqual((await call('GET', '/usages?project_id=proj-1&consumer_type=all')).body.usages.all, { consumer_count: 0 });
  });

  test('reshaper: inventory and allocations move to a child provider at once', async () => {
    const root = await createProvider('reshape-root');
    await setInventory(root.uuid, { VCPU: { total: 8 }, MEMORY_MB: { total: 1024 } });
    const child = await createProvider('reshape-child', { parent_provider_uuid: root.uuid });
    const consumer = randomUUID();
    const owner = { project_id: 'p', user_id: 'u', consumer_type: 'INSTANCE' };
    assert.equal(
      (
        await call('PUT', `/allocations/${consumer}`, {
          body: { allocations: { [root.uuid]: { resources: { VCPU: 2, MEMORY_MB: 256 } } }, ...owner, consumer_generation: null },
        })
      ).status,
      204,
    );
    const generation = async (uuid: string) => (await call('GET', `/resource_providers/${uuid}`)).body.generation as number;
    const reshape = (vcpuTotal: number, rootGeneration: number) =>
      call('POST', '/reshaper', {
        body: {
          inventories: {
            [root.uuid]: { inventories: { MEMORY_MB: { total: 1024 } }, resource_provider_generation: rootGeneration },
            [child.uuid]: { inventories: { VCPU: { total: vcpuTotal } }, resource_provider_generation: 0 },
          },
          allocations: {
            [consumer]: {
              allocations: { [root.uuid]: { resources: { MEMORY_MB: 256 } }, [child.uuid]: { resources: { VCPU: 2 } } },
              ...owner,
              consumer_generation: 0,
            },
          },
        },
      });
    const before = await generation(root.uuid);
    error(await reshape(8, before - 1), 409, 'placement.concurrent_update');
    error(await reshape(1, before), 409);
    assert.deepEqual((await call('GET', `/resource_providers/${child.uuid}/inventories`)).body.inventories, {}, 'a refused reshape changes nothing');
    assert.equal((await call('GET', `/resource_providers/${root.uuid}/usages`)).body.usages.VCPU, 2);
    assert.equal((await call('POST', '/reshaper', { body: { inventories: {}, allocations: {} }, version: '1.29' })).status, 404);
    error(await call('POST', '/reshaper', { body: { inventories: {} } }), 400);
    const done = await reshape(8, before);
    assert.equal(done.status, 204, done.text);
    assert.deepEqual(Object.keys((await call('GET', `/resource_providers/${root.uuid}/inventories`)).body.inventories), ['MEMORY_MB']);
    assert.deepEqual((await call('GET', `/resource_providers/${child.uuid}/usages`)).body.usages, { VCPU: 2 });
    const allocations = await call('GET', `/allocations/${consumer}`);
    assert.deepEqual(allocations.body.allocations[child.uuid].resources, { VCPU: 2 });
    assert.equal(allocations.body.consumer_generation, 1);
    assert.ok((await generation(root.uuid)) > before);
    assert.ok((await generation(child.uuid)) > 0);
  });

  test('allocation candidates: shapes per microversion, filters, limit, granular groups', async () => {
    const agg = randomUUID();
    const cn1 = await createProvider('cand-cn1');
    const cn2 = await createProvider('cand-cn2');
    await setInventory(cn1.uuid, { VCPU: { total: 8 }, MEMORY_MB: { total: 8192 }, DISK_GB: { total: 100 } });
    await setInventory(cn2.uuid, { VCPU: { total: 2 }, MEMORY_MB: { total: 1024 } });
    const gen = (await call('GET', `/resource_providers/${cn1.uuid}/traits`)).body.resource_provider_generation;
    await call('PUT', `/resource_providers/${cn1.uuid}/traits`, { body: { traits: ['HW_CPU_X86_AVX2'], resource_provider_generation: gen } });
    await call('PUT', `/resource_providers/${cn2.uuid}/aggregates`, { body: { aggregates: [agg], resource_provider_generation: 1 } });
    const numa0 = await createProvider('cand-cn1-numa0', { parent_provider_uuid: cn1.uuid });
    const numa1 = await createProvider('cand-cn1-numa1', { parent_provider_uuid: cn1.uuid });
    await setInventory(numa0.uuid, { PCPU: { total: 4 } });
    await setInventory(numa1.uuid, { PCPU: { total: 4 } });
    const mine = new Set([cn1.uuid, cn2.uuid, numa0.uuid, numa1.uuid]);
    // Only this test's providers (the other tests' providers share the server).
    const providersOf = (body: Json) =>
      body.allocation_requests
        .map((r: { allocations: Record<string, unknown> }) => Object.keys(r.allocations).sort().join('+'))
        .filter((key: string) => key.split('+').every((uuid) => mine.has(uuid)))
        .sort();

    const latest = await call('GET', '/allocation_candidates?resources=VCPU:1,MEMORY_MB:512');
    assert.equal(latest.status, 200, latest.text);
    assert.deepEqual(providersOf(latest.body), [cn1.uuid, cn2.uuid].sort());
    const summary = latest.body.provider_summaries[cn1.uuid];
    assert.deepEqual(summary.resources.DISK_GB, { capacity: 100, used: 0 });
    assert.deepEqual(summary.traits, ['HW_CPU_X86_AVX2']);
    assert.equal(summary.root_provider_uuid, cn1.uuid);
    assert.equal(summary.parent_provider_uuid, null);
    const request = latest.body.allocation_requests.find((r: { allocations: Record<string, unknown> }) => cn1.uuid in r.allocations);
    assert.deepEqual(request, { allocations: { [cn1.uuid]: { resources: { VCPU: 1, MEMORY_MB: 512 } } }, mappings: { '': [cn1.uuid] } });

    const v110 = await call('GET', '/allocation_candidates?resources=VCPU:1', { version: '1.10' });
    assert.ok(Array.isArray(v110.body.allocation_requests[0].allocations));
    assert.ok(v110.body.allocation_requests[0].allocations[0].resource_provider.uuid);
    const summaryOld = v110.body.provider_summaries[cn1.uuid];
    assert.deepEqual(Object.keys(summaryOld.resources), ['VCPU'], 'before 1.27 only requested classes');
    assert.equal(summaryOld.traits, undefined);
    assert.equal((await call('GET', '/allocation_candidates?resources=VCPU:1', { version: '1.9' })).status, 404);

    assert.deepEqual(providersOf((await call('GET', '/allocation_candidates?resources=VCPU:1&required=HW_CPU_X86_AVX2')).body), [cn1.uuid]);
    assert.deepEqual(providersOf((await call('GET', '/allocation_candidates?resources=VCPU:1&required=!HW_CPU_X86_AVX2')).body), [cn2.uuid]);
    assert.deepEqual(providersOf((await call('GET', '/allocation_candidates?resources=VCPU:1&required=in:HW_CPU_X86_AVX2,HW_CPU_X86_SSE')).body), [cn1.uuid]);
    assert.deepEqual(providersOf((await call('GET', `/allocation_candidates?resources=VCPU:1&member_of=${agg}`)).body), [cn2.uuid]);
    assert.deepEqual(providersOf((await call('GET', `/allocation_candidates?resources=VCPU:1&in_tree=${numa0.uuid}`)).body), [cn1.uuid]);
    assert.deepEqual(providersOf((await call('GET', '/allocation_candidates?resources=VCPU:1&root_required=!HW_CPU_X86_AVX2')).body), [cn2.uuid]);
    assert.deepEqual(providersOf((await call('GET', '/allocation_candidates?resources=VCPU:4')).body), [cn1.uuid]);
    assert.equal((await call('GET', '/allocation_candidates?resources=VCPU:1&limit=1')).body.allocation_requests.length, 1);
    assert.equal(Object.keys((await call('GET', '/allocation_candidates?resources=VCPU:1&limit=1')).body.provider_summaries).length, 1);
    assert.deepEqual((await call('GET', '/allocation_candidates?resources=VCPU:100')).body, { allocation_requests: [], provider_summaries: {} });

    error(await call('GET', '/allocation_candidates'), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU'), 400, 'placement.query.bad_value');
    error(await call('GET', '/allocation_candidates?resources=NOPE:1'), 400, 'placement.query.bad_value');
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&required=CUSTOM_NOPE'), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&limit=0'), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&limit=1', { version: '1.15' }), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&bogus=1'), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&resources=VCPU:2'), 400, 'placement.query.duplicate_key');

    // Granular: VCPU from the root, PCPU from a NUMA child; isolate keeps the two PCPU groups apart.
    const granular = await call('GET', '/allocation_candidates?resources=VCPU:1&resources1=PCPU:2&resources2=PCPU:2&group_policy=isolate');
    assert.equal(granular.status, 200, granular.text);
    assert.equal(granular.body.allocation_requests.length, 2);
    for (const r of granular.body.allocation_requests) {
      assert.deepEqual(Object.keys(r.allocations).sort(), [cn1.uuid, numa0.uuid, numa1.uuid].sort());
      assert.notDeepEqual(r.mappings['1'], r.mappings['2']);
    }
    const shared = await call('GET', '/allocation_candidates?resources1=PCPU:2&resources2=PCPU:2&group_policy=none');
    assert.equal(shared.body.allocation_requests.length, 4, 'two groups may share a NUMA node with room for both');
    const crowded = await call('GET', '/allocation_candidates?resources1=PCPU:3&resources2=PCPU:3&group_policy=none');
    assert.equal(crowded.body.allocation_requests.length, 2, 'not both groups on one node of 4');
    const subtree = await call('GET', '/allocation_candidates?resources_A=VCPU:1&resources_B=PCPU:1&same_subtree=_A,_B&group_policy=none');
    assert.equal(subtree.body.allocation_requests.length, 2, 'cn1 is the ancestor of both NUMA nodes');
    const noSubtree = await call('GET', '/allocation_candidates?resources_A=PCPU:1&resources_B=PCPU:1&same_subtree=_A,_B&group_policy=isolate');
    assert.equal(noSubtree.body.allocation_requests.length, 0, 'sibling NUMA nodes are not one subtree');
    error(await call('GET', '/allocation_candidates?resources1=PCPU:1&resources2=PCPU:1', { version: '1.25' }), 400);
    error(await call('GET', '/allocation_candidates?resources=VCPU:1&same_subtree=_X'), 400);
    error(await call('GET', '/allocation_candidates?required1=HW_CPU_X86_AVX2&resources=VCPU:1'), 400, 'placement.query.missing_value');
  });
});
