import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { authContext, openIdentityDeps, type IdentityTestDeps } from '../../../test/support/identity-deps.js';
import { CatalogOps } from './catalog.js';

describe('CatalogOps', () => {
  const admin = authContext('admin');
  const member = authContext('member');
  let identity: IdentityTestDeps;
  let ops: CatalogOps;

  beforeEach(async () => {
    identity = await openIdentityDeps();
    ops = new CatalogOps(identity.deps);
  });
  afterEach(() => identity.close());

  const service = (type = 'compute') => ops.createService(admin, { type, name: `${type}-svc` });
  const endpoint = async (body: Record<string, unknown> = {}) =>
    ops.createEndpoint(admin, { service_id: (await service()).id, interface: 'public', url: 'http://nova:8774/v2.1', ...body });

  describe('regions', () => {
    it('creates with a chosen or generated id, description "" when none, extras kept', async () => {
      const chosen = await ops.createRegion(admin, { id: 'RegionOne', colour: 'blue' });
      assert.equal(chosen.id, 'RegionOne');
      assert.equal(chosen.description, '');
      assert.deepEqual(JSON.parse(chosen.extra), { colour: 'blue' });
      const generated = await ops.createRegion(admin, { id: '', description: 'second' });
      assert.match(generated.id, /^[0-9a-f]{32}$/);
      assert.equal(generated.description, 'second');
    });

    it('refuses a duplicate id (409) and a missing parent (404)', async () => {
      await ops.createRegion(admin, { id: 'RegionOne' });
      await assert.rejects(ops.createRegion(admin, { id: 'RegionOne' }), {
        status: 409,
        message: 'Conflict occurred attempting to store region - Duplicate ID, RegionOne.',
      });
      await assert.rejects(ops.createRegion(admin, { id: 'Sub', parent_region_id: 'Nowhere' }), {
        status: 404,
        message: 'Could not find region: Nowhere.',
      });
    });

    it('lets anyone read regions but only admins change them (403)', async () => {
      await ops.createRegion(admin, { id: 'RegionOne' });
      assert.equal((await ops.getRegion(member, 'RegionOne')).id, 'RegionOne');
      assert.equal((await ops.listRegions(member, {})).length, 1);
      await assert.rejects(ops.createRegion(member, { id: 'Mine' }), { status: 403 });
      await assert.rejects(ops.updateRegion(member, 'RegionOne', { description: 'x' }), { status: 403 });
      await assert.rejects(ops.deleteRegion(member, 'RegionOne'), { status: 403 });
      await assert.rejects(ops.getRegion(member, 'Nowhere'), { status: 404 });
    });

    it('filters by parent and moves a region under another', async () => {
      await ops.createRegion(admin, { id: 'A' });
      await ops.createRegion(admin, { id: 'B' });
      await ops.createRegion(admin, { id: 'A1', parent_region_id: 'A' });
      assert.deepEqual(
        (await ops.listRegions(admin, { parentRegionId: 'A' })).map((r) => r.id),
        ['A1'],
      );
      const moved = await ops.updateRegion(admin, 'A1', { parent_region_id: 'B', description: null, id: 'A1' });
      assert.equal(moved.parent_region_id, 'B');
      assert.equal(moved.description, '');
    });

    it('refuses a cycle (400), an unknown parent (404), a new id (400) and an unknown region (404)', async () => {
      await ops.createRegion(admin, { id: 'A' });
      await ops.createRegion(admin, { id: 'A1', parent_region_id: 'A' });
      await ops.createRegion(admin, { id: 'A11', parent_region_id: 'A1' });
      await assert.rejects(ops.updateRegion(admin, 'A', { parent_region_id: 'A11' }), {
        status: 400,
        message: 'The specified parent region A11 would create a circular region hierarchy.',
      });
      await assert.rejects(ops.updateRegion(admin, 'A', { parent_region_id: 'A' }), { status: 400 });
      await assert.rejects(ops.updateRegion(admin, 'A', { parent_region_id: 'Nowhere' }), { status: 404 });
      await assert.rejects(ops.updateRegion(admin, 'A', { id: 'B' }), { status: 400, message: 'Cannot change ID' });
      await assert.rejects(ops.updateRegion(admin, 'Nowhere', { description: 'x' }), { status: 404 });
    });

    it('deletes a region with the regions below it, unless one holds an endpoint (403)', async () => {
      await ops.createRegion(admin, { id: 'A' });
      await ops.createRegion(admin, { id: 'A1', parent_region_id: 'A' });
      await ops.createRegion(admin, { id: 'A11', parent_region_id: 'A1' });
      const held = await endpoint({ region_id: 'A11' });
      await assert.rejects(ops.deleteRegion(admin, 'A'), {
        status: 403,
        message: 'Unable to delete region A because it or its child regions have associated endpoints.',
      });
      assert.equal((await ops.listRegions(admin, {})).length, 3);
      await ops.deleteEndpoint(admin, held.id);
      await ops.deleteRegion(admin, 'A');
      assert.deepEqual(await ops.listRegions(admin, {}), []);
      await assert.rejects(ops.deleteRegion(admin, 'A'), { status: 404 });
    });
  });

  describe('services', () => {
    it('creates with Keystone defaults (name "", enabled) and filters by type and name', async () => {
      const bare = await ops.createService(admin, { type: 'image' });
      assert.equal(bare.name, '');
      assert.equal(Boolean(bare.enabled), true);
      assert.equal(bare.description, null);
      await service('compute');
      assert.deepEqual(
        (await ops.listServices(admin, { type: 'compute' })).map((s) => s.name),
        ['compute-svc'],
      );
      assert.deepEqual(
        (await ops.listServices(admin, { name: 'compute-svc' })).map((s) => s.type),
        ['compute'],
      );
    });

    it('updates attributes and extras, and refuses a new id (400)', async () => {
      const created = await ops.createService(admin, { type: 'image', description: 'one', tier: 'gold' });
      const updated = await ops.updateService(admin, created.id, { description: 'two', enabled: false, tier: null, zone: 'z' });
      assert.equal(updated.description, 'two');
      assert.equal(Boolean(updated.enabled), false);
      assert.deepEqual(JSON.parse(updated.extra), { zone: 'z' });
      await assert.rejects(ops.updateService(admin, created.id, { id: 'other' }), { status: 400 });
    });

    it('deletes a service with its endpoints; unknown ids are 404', async () => {
      const created = await endpoint();
      await ops.deleteService(admin, created.service_id);
      assert.deepEqual(await ops.listEndpoints(admin, {}), []);
      await assert.rejects(ops.getService(admin, created.service_id), { status: 404, message: `Could not find service: ${created.service_id}.` });
      await assert.rejects(ops.deleteService(admin, created.service_id), { status: 404 });
    });

    it('is for admins and system readers only (403)', async () => {
      const created = await service();
      await assert.rejects(ops.listServices(member, {}), { status: 403 });
      await assert.rejects(ops.getService(member, created.id), { status: 403 });
      await assert.rejects(ops.createService(member, { type: 'x' }), { status: 403 });
      const systemReader = authContext('reader', { system: true });
      assert.equal((await ops.listServices(systemReader, {})).length, 1);
    });
  });

  describe('endpoints', () => {
    it('creates an endpoint in an existing region, enabled by default', async () => {
      await ops.createRegion(admin, { id: 'RegionOne' });
      const created = await endpoint({ region_id: 'RegionOne', url: 'http://nova:8774/v2.1/$(project_id)s' });
      assert.equal(created.region_id, 'RegionOne');
      assert.equal(Boolean(created.enabled), true);
      assert.equal(created.url, 'http://nova:8774/v2.1/$(project_id)s');
    });

    it('creates the region a legacy `region` names when it is missing', async () => {
      const created = await endpoint({ region: 'RegionTwo' });
      assert.equal(created.region_id, 'RegionTwo');
      assert.equal((await ops.getRegion(admin, 'RegionTwo')).description, '');
      assert.equal((await endpoint({ region: 'RegionTwo' })).region_id, 'RegionTwo');
    });

    it('refuses an unknown service or region (400) and creates nothing', async () => {
      await assert.rejects(ops.createEndpoint(admin, { service_id: 'nope', interface: 'public', url: 'http://x', region: 'Auto' }), {
        status: 400,
        message: /^Expecting to find endpoint service_id in service table\./,
      });
      assert.deepEqual(await ops.listRegions(admin, {}), []);
      await assert.rejects(endpoint({ region_id: 'Nowhere' }), { status: 400, message: /^Expecting to find endpoint region_id in region table\./ });
    });

    it('refuses a bad interface or a URL Keystone could not format (400)', async () => {
      await assert.rejects(endpoint({ interface: 'private' }), { status: 400, message: /'interface'/ });
      for (const url of ['http://x/$(tenant)s', 'http://x/%20', 'http://x/%s', 'http://x/$(project_id)d']) {
        await assert.rejects(endpoint({ url }), { status: 400, message: `Cannot create an endpoint with an invalid URL: ${url}.` });
      }
      assert.equal((await endpoint({ url: 'http://x/%%20/%(user_id)s' })).url, 'http://x/%%20/%(user_id)s');
    });

    it('filters by interface, service and region', async () => {
      await ops.createRegion(admin, { id: 'R1' });
      const a = await endpoint({ region_id: 'R1' });
      const b = await ops.createEndpoint(admin, { service_id: a.service_id, interface: 'internal', url: 'http://internal' });
      assert.deepEqual(
        (await ops.listEndpoints(admin, { interface: 'internal' })).map((e) => e.id),
        [b.id],
      );
      assert.deepEqual(
        (await ops.listEndpoints(admin, { regionId: 'R1' })).map((e) => e.id),
        [a.id],
      );
      assert.equal((await ops.listEndpoints(admin, { serviceId: a.service_id })).length, 2);
      assert.deepEqual(await ops.listEndpoints(admin, { serviceId: 'other' }), []);
    });

    it('updates service, interface, url, region and enabled with the same checks', async () => {
      const created = await endpoint();
      const other = await service('image');
      const updated = await ops.updateEndpoint(admin, created.id, {
        service_id: other.id,
        interface: 'admin',
        url: 'http://glance',
        region: 'RegionThree',
        enabled: false,
      });
      assert.deepEqual(
        [updated.service_id, updated.interface, updated.url, updated.region_id, Boolean(updated.enabled)],
        [other.id, 'admin', 'http://glance', 'RegionThree', false],
      );
      assert.equal((await ops.updateEndpoint(admin, created.id, { region_id: null })).region_id, null);
      await assert.rejects(ops.updateEndpoint(admin, created.id, { service_id: 'nope' }), { status: 400 });
      await assert.rejects(ops.updateEndpoint(admin, created.id, { interface: 'x' }), { status: 400 });
      await assert.rejects(ops.updateEndpoint(admin, created.id, { url: 'http://x/$(bad)s' }), { status: 400 });
      await assert.rejects(ops.updateEndpoint(admin, created.id, { id: 'other' }), { status: 400 });
      await assert.rejects(ops.updateEndpoint(admin, 'nope', { enabled: true }), { status: 404, message: 'Could not find endpoint: nope.' });
    });

    it('deletes (404 after) and keeps members out (403)', async () => {
      const created = await endpoint();
      await assert.rejects(ops.getEndpoint(member, created.id), { status: 403 });
      await assert.rejects(ops.deleteEndpoint(member, created.id), { status: 403 });
      await ops.deleteEndpoint(admin, created.id);
      await assert.rejects(ops.getEndpoint(admin, created.id), { status: 404 });
      await assert.rejects(ops.deleteEndpoint(admin, created.id), { status: 404 });
    });
  });
});
