import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { authContext, openIdentityDeps, seedDomain, seedProject, type IdentityTestDeps } from '../../../test/support/identity-deps.js';
import * as store from '../store/index.js';
import { LimitOps } from './limits.js';

describe('LimitOps', () => {
  const admin = authContext('admin');
  const p1Member = authContext('member');
  const d2Reader = authContext('reader', { domain: 'd2' });
  let identity: IdentityTestDeps;
  let ops: LimitOps;

  beforeEach(async () => {
    identity = await openIdentityDeps();
    await seed(identity.db);
    ops = new LimitOps(identity.deps);
  });
  afterEach(() => identity.close());

  /** Services nova and cinder, RegionOne, domains default and d2 with projects p1 and p2. */
  async function seed(db: store.IdentityDb): Promise<void> {
    for (const [id, type] of [
      ['nova', 'compute'],
      ['cinder', 'volumev3'],
    ] as const) {
      await store.insertService(db, { id, type, name: id, description: null, enabled: true, extra: '{}' });
    }
    await store.insertRegion(db, { id: 'RegionOne', description: '', parent_region_id: null, extra: '{}' });
    for (const [domain, project] of [
      ['default', 'p1'],
      ['d2', 'p2'],
    ] as const) {
      await seedDomain(db, domain);
      await seedProject(db, project, domain);
    }
  }

  const registered = (body: Record<string, unknown> = {}) =>
    ops.createRegisteredLimits(admin, [{ service_id: 'nova', resource_name: 'cores', default_limit: 20, ...body }]);
  const limit = (body: Record<string, unknown> = {}) =>
    ops.createLimits(admin, [{ service_id: 'nova', resource_name: 'cores', resource_limit: 40, project_id: 'p1', ...body }]);

  it('reports the flat enforcement model to anyone', () => {
    assert.deepEqual(ops.getModel(p1Member), {
      name: 'flat',
      description: 'Limit enforcement and validation does not take project hierarchy into consideration.',
    });
  });

  describe('registered limits', () => {
    it('creates a list, each with or without a region, readable by anyone and filterable', async () => {
      const created = await ops.createRegisteredLimits(admin, [
        { service_id: 'nova', resource_name: 'cores', default_limit: 20, description: 'vCPUs' },
        { service_id: 'cinder', region_id: 'RegionOne', resource_name: 'volumes', default_limit: -1 },
      ]);
      assert.deepEqual(
        created.map((r) => [r.service_id, r.region_id, r.resource_name, r.default_limit, r.description]),
        [
          ['nova', '', 'cores', 20, 'vCPUs'],
          ['cinder', 'RegionOne', 'volumes', -1, null],
        ],
      );
      assert.equal((await ops.getRegisteredLimit(p1Member, created[0]?.id as string)).resource_name, 'cores');
      assert.equal((await ops.listRegisteredLimits(p1Member, {})).length, 2);
      assert.deepEqual(
        (await ops.listRegisteredLimits(p1Member, { serviceId: 'cinder' })).map((r) => r.resource_name),
        ['volumes'],
      );
      assert.deepEqual((await ops.listRegisteredLimits(p1Member, { regionId: 'RegionOne', resourceName: 'volumes' })).length, 1);
      await assert.rejects(ops.getRegisteredLimit(p1Member, 'nope'), { status: 404, message: 'Could not find registered limit for nope.' });
    });

    it('refuses an unknown service or region (400), a duplicate (409) and non-admins (403), creating none', async () => {
      await assert.rejects(registered({ service_id: 'nope' }), {
        status: 400,
        message: /^Expecting to find service_id in registered_limit\./,
      });
      await assert.rejects(registered({ region_id: 'Nowhere' }), { status: 400, message: /^Expecting to find region_id in registered_limit\./ });
      const twice = { service_id: 'nova', resource_name: 'ram', default_limit: 1 };
      await assert.rejects(ops.createRegisteredLimits(admin, [{ ...twice, resource_name: 'ok' }, twice, twice]), {
        status: 409,
        message: 'Conflict occurred attempting to store registered_limit - Duplicate entry.',
      });
      assert.deepEqual(await ops.listRegisteredLimits(admin, {}), []);
      await registered();
      await assert.rejects(registered(), { status: 409 });
      await assert.rejects(ops.createRegisteredLimits(p1Member, [{ service_id: 'nova', resource_name: 'ram', default_limit: 1 }]), { status: 403 });
    });

    it('updates any attribute, checking references (400), duplicates (409) and existence (404)', async () => {
      const [inRegion] = await registered({ region_id: 'RegionOne' });
      const id = inRegion?.id as string;
      const updated = await ops.updateRegisteredLimit(admin, id, { default_limit: 5, description: 'd', resource_name: 'instances', id });
      assert.deepEqual([updated.default_limit, updated.description, updated.resource_name], [5, 'd', 'instances']);
      await registered({ resource_name: 'instances' });
      await assert.rejects(ops.updateRegisteredLimit(admin, id, { region_id: null }), { status: 409 });
      await assert.rejects(ops.updateRegisteredLimit(admin, id, { region_id: 'Nowhere' }), { status: 400 });
      await assert.rejects(ops.updateRegisteredLimit(admin, id, { service_id: 'nope' }), { status: 400 });
      await assert.rejects(ops.updateRegisteredLimit(admin, id, { id: 'other' }), { status: 400, message: 'Cannot change ID' });
      await assert.rejects(ops.updateRegisteredLimit(admin, 'nope', { default_limit: 1 }), { status: 404 });
      await assert.rejects(ops.updateRegisteredLimit(p1Member, id, { default_limit: 1 }), { status: 403 });
    });

    it('is frozen while limits refer to it: no update or delete (403)', async () => {
      const [created] = await registered();
      const id = created?.id as string;
      const [override] = await limit();
      const frozen = { status: 403, message: `Unable to update or delete registered limit ${id} because there are project limits associated with it.` };
      await assert.rejects(ops.updateRegisteredLimit(admin, id, { default_limit: 1 }), frozen);
      await assert.rejects(ops.deleteRegisteredLimit(admin, id), frozen);
      await ops.deleteLimit(admin, override?.id as string);
      await ops.deleteRegisteredLimit(admin, id);
      await assert.rejects(ops.deleteRegisteredLimit(admin, id), { status: 404 });
    });
  });

  describe('limits', () => {
    beforeEach(async () => {
      await registered();
    });

    it('creates project and domain limits under a registered limit', async () => {
      const created = await ops.createLimits(admin, [
        { service_id: 'nova', resource_name: 'cores', resource_limit: 40, project_id: 'p1', description: 'big' },
        { service_id: 'nova', resource_name: 'cores', resource_limit: 100, domain_id: 'd2' },
      ]);
      assert.deepEqual(
        created.map((l) => [l.project_id, l.domain_id, l.region_id, l.resource_limit, l.description]),
        [
          ['p1', '', '', 40, 'big'],
          ['', 'd2', '', 100, null],
        ],
      );
    });

    it('refuses both or neither owner, unknown references (400), no registered limit (403), duplicates (409)', async () => {
      await assert.rejects(limit({ domain_id: 'd2' }), { status: 400, message: /exactly one of project_id and domain_id/ });
      await assert.rejects(limit({ project_id: null }), { status: 400 });
      await assert.rejects(limit({ project_id: 'nope' }), { status: 400, message: /^Expecting to find project_id in limit\./ });
      await assert.rejects(limit({ project_id: undefined, domain_id: 'nope' }), { status: 400, message: /^Expecting to find domain_id in limit\./ });
      await assert.rejects(limit({ region_id: 'Nowhere' }), { status: 400, message: /^Expecting to find region_id in limit\./ });
      await assert.rejects(limit({ region_id: 'RegionOne' }), {
        status: 403,
        message: 'Unable to create a limit that has no corresponding registered limit.',
      });
      await assert.rejects(
        ops.createLimits(admin, [
          { service_id: 'nova', resource_name: 'cores', resource_limit: 1, project_id: 'p2' },
          { service_id: 'nova', resource_name: 'cores', resource_limit: 1, project_id: 'p2' },
        ]),
        { status: 409, message: 'Conflict occurred attempting to store limit - Duplicate entry.' },
      );
      assert.deepEqual(await ops.listLimits(admin, {}), []);
      await assert.rejects(ops.createLimits(p1Member, [{ service_id: 'nova', resource_name: 'cores', resource_limit: 1, project_id: 'p1' }]), {
        status: 403,
      });
    });

    it('shows a limit to admins and to its project or domain; others get 403, even for missing ids', async () => {
      const [p1Limit] = await limit();
      const [d2Limit] = await limit({ project_id: undefined, domain_id: 'd2' });
      assert.equal((await ops.getLimit(p1Member, p1Limit?.id as string)).project_id, 'p1');
      assert.equal((await ops.getLimit(d2Reader, d2Limit?.id as string)).domain_id, 'd2');
      await assert.rejects(ops.getLimit(p1Member, d2Limit?.id as string), { status: 403 });
      await assert.rejects(ops.getLimit(p1Member, 'nope'), { status: 403 });
      await assert.rejects(ops.getLimit(admin, 'nope'), { status: 404, message: 'Could not find limit for nope.' });
    });

    it("lists all to admins, a domain's and its projects' to the domain, the project's to a project, none unscoped", async () => {
      const [p1Limit] = await limit();
      const [p2Limit] = await limit({ project_id: 'p2' });
      const [d2Limit] = await limit({ project_id: undefined, domain_id: 'd2' });
      const ids = (limits: Array<{ id: string }>) => limits.map((l) => l.id).sort();
      assert.equal((await ops.listLimits(admin, {})).length, 3);
      assert.deepEqual(ids(await ops.listLimits(admin, { projectId: 'p2' })), [p2Limit?.id]);
      assert.deepEqual(ids(await ops.listLimits(admin, { domainId: 'd2' })), [d2Limit?.id]);
      assert.deepEqual(ids(await ops.listLimits(p1Member, {})), [p1Limit?.id]);
      assert.deepEqual(await ops.listLimits(p1Member, { projectId: 'p2' }), []);
      assert.deepEqual(ids(await ops.listLimits(d2Reader, {})), ids([p2Limit, d2Limit] as Array<{ id: string }>));
      assert.deepEqual(await ops.listLimits(authContext('reader', { project: null }), {}), []);
    });

    it('updates the value and description only, for admins (403), existing limits (404)', async () => {
      const [created] = await limit();
      const id = created?.id as string;
      const updated = await ops.updateLimit(admin, id, { resource_limit: 8, description: 'eight' });
      assert.deepEqual([updated.resource_limit, updated.description, updated.project_id], [8, 'eight', 'p1']);
      await assert.rejects(ops.updateLimit(admin, id, { id: 'other' }), { status: 400 });
      await assert.rejects(ops.updateLimit(p1Member, id, { resource_limit: 80 }), { status: 403 });
      await assert.rejects(ops.updateLimit(admin, 'nope', { resource_limit: 1 }), { status: 404 });
    });

    it('deletes for admins (403 otherwise), 404 after', async () => {
      const [created] = await limit();
      const id = created?.id as string;
      await assert.rejects(ops.deleteLimit(p1Member, id), { status: 403 });
      await ops.deleteLimit(admin, id);
      await assert.rejects(ops.deleteLimit(admin, id), { status: 404 });
    });
  });
});
