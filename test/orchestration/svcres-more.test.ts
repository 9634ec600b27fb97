/**
 * The second wave of service resource types against a real in-process
 * cloud: OS::Neutron::SubnetPool and ::AddressScope, OS::Cinder::VolumeType, OS::Keystone::Role/Group/Domain (and a
 * user's groups), OS::Glance::Image (hidden, as Heat has it). Each is made,
 * read, updated in place, deleted twice, and refused once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityOperations } from '../../src/identity/operations.js';
import type { NetworkOperations } from '../../src/network/operations.js';
import { glanceImageResource } from '../../src/orchestration/resources/services/image/image.js';
import { serviceResourceTypes } from '../../src/orchestration/resources/services/index.js';
import { domainResource } from '../../src/orchestration/resources/services/identity/domain.js';
import { groupResource } from '../../src/orchestration/resources/services/identity/group.js';
import { roleResource } from '../../src/orchestration/resources/services/identity/role.js';
import { userResource } from '../../src/orchestration/resources/services/identity/user.js';
import { addressScopeResource } from '../../src/orchestration/resources/services/network/address-scope.js';
import { subnetPoolResource } from '../../src/orchestration/resources/services/network/subnet-pool.js';
import { volumeTypeResource } from '../../src/orchestration/resources/services/volume/volume-type.js';
import type { VolumeOperations } from '../../src/volume/operations.js';
import { useFakeVolumeBackend } from '../volume/support.js';
import { startTestServer } from '../support/server.js';
import { heatApi } from './support/heat-api.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

describe('svcres: more Cinder, Keystone and Glance resource types', () => {
  let svc: SvcresCloud;
  let identity: IdentityOperations;
  before(async () => {
    svc = await svcresCloud(await startTestServer((config) => useFakeVolumeBackend(config)));
    identity = svc.services.identity as IdentityOperations;
  });
  after(() => svc?.cloud.close());

  test('the new types are registered', () => {
    const types = new Set(serviceResourceTypes.map((p) => p.type));
    for (const type of [
      'OS::Neutron::SubnetPool',
      'OS::Neutron::AddressScope',
      'OS::Cinder::VolumeType',
      'OS::Keystone::Role',
      'OS::Keystone::Group',
      'OS::Keystone::Domain',
      'OS::Glance::Image',
    ]) {
      assert.ok(types.has(type), type);
    }
  });

  test('OS::Cinder::VolumeType: private with extra specs and project access, updated in place, deleted twice', async () => {
    const cinder = svc.services.volume as VolumeOperations;
    const projectId = svc.demo.project!.id;
    const type = fakeResource(svc, volumeTypeResource, { caller: svc.admin });
    await type.create({
      name: 'svcres-gold',
      description: 'fast',
      metadata: { volume_backend_name: 'file', tier: 1 },
      is_public: false,
      projects: [projectId],
    });
    const id = type.state.physicalId!;
    const shown = (await type.attr('show')) as Record<string, unknown>;
    assert.deepEqual(shown.extra_specs, { volume_backend_name: 'file', tier: '1' });
    assert.equal(shown.is_public, false);
    assert.deepEqual(await cinder.volumeTypeAccess(svc.admin, id), [projectId]);
    assert.equal((await cinder.getVolumeType(svc.demo, id)).name, 'svcres-gold', 'shared with the demo project');

    await type.update({ ...type.properties, name: 'svcres-platinum', description: 'faster', metadata: { tier: '2' }, projects: [] });
    const updated = await cinder.getVolumeType(svc.admin, id);
    assert.equal(updated.name, 'svcres-platinum');
    assert.equal(updated.description, 'faster');
    assert.deepEqual(updated.extraSpecs, { tier: '2' });
    assert.deepEqual(await cinder.volumeTypeAccess(svc.admin, id), []);
    assert.equal((await failure(cinder.getVolumeType(svc.demo, id))).status, 404, 'no longer shared');

    await type.delete();
    await type.delete();
    assert.equal((await failure(cinder.getVolumeType(svc.admin, id))).status, 404);
  });

  test('OS::Cinder::VolumeType: projects on a public type fail validation; a member may not make types', async () => {
    const type = fakeResource(svc, volumeTypeResource, { caller: svc.admin });
    const invalid = await failure(type.create({ name: 'svcres-public', projects: [svc.demo.project!.id] }));
    assert.equal(invalid.type, 'StackValidationFailed');
    assert.equal(invalid.message, 'Can not specify property "projects" if the volume type is public.');
    assert.equal(type.state.physicalId, null);

    const refused = await failure(fakeResource(svc, volumeTypeResource).create({ name: 'svcres-member' }));
    assert.equal(refused.status, 403);
  });

  test('OS::Keystone::Role: global and domain roles, renamed in place, deleted twice; a member is refused', async () => {
    const role = fakeResource(svc, roleResource, { caller: svc.admin });
    await role.create({});
    const id = role.state.physicalId!;
    assert.equal(((await role.attr('show')) as Record<string, unknown>).name, role.state.physicalName);
    await role.update({ name: 'svcres-renamed' });
    assert.equal((await identity.getRole(svc.admin, id)).name, 'svcres-renamed');

    const scoped = fakeResource(svc, roleResource, { caller: svc.admin });
    await scoped.create({ name: 'svcres-scoped', domain: 'Default' });
    assert.equal((await identity.getRole(svc.admin, scoped.state.physicalId!)).domainId, 'default');

    for (const r of [role, scoped]) {
      await r.delete();
      await r.delete();
    }
    assert.equal((await failure(identity.getRole(svc.admin, id))).status, 404);
    assert.equal((await failure(fakeResource(svc, roleResource).create({}))).status, 403);
  });

  test('OS::Keystone::Group with roles, and a user in it; updated in place, deleted twice; bad role targets refused', async () => {
    const project = (await identity.findProject(svc.admin, svc.demo.project!.id)).id;
    const member = (await identity.findRole(svc.admin, 'member')).id;
    const reader = (await identity.findRole(svc.admin, 'reader')).id;
    const group = fakeResource(svc, groupResource, { caller: svc.admin });
    await group.create({ name: 'svcres-group', description: 'made by a stack', roles: [{ role: 'member', project }] });
    const id = group.state.physicalId!;
    const on = (roleId: string) => ({ roleId, actor: { kind: 'group' as const, id }, target: { kind: 'project' as const, id: project } });
    assert.equal(await identity.hasRole(svc.admin, on(member)), true);
    assert.equal(((await group.attr('show')) as Record<string, unknown>).domain_id, 'default');

    await group.update({ ...group.properties, description: 'changed', roles: [{ role: 'reader', project }] });
    assert.equal((await identity.getGroup(svc.admin, id)).description, 'changed');
    assert.equal(await identity.hasRole(svc.admin, on(member)), false);
    assert.equal(await identity.hasRole(svc.admin, on(reader)), true);

    const user = fakeResource(svc, userResource, { caller: svc.admin });
    await user.create({ name: 'svcres-grouped', groups: ['svcres-group'] });
    const userId = user.state.physicalId!;
    // Removing succeeds only for a member; put it back for the update to remove.
    await identity.removeUserFromGroup(svc.admin, id, userId);
    await identity.addUserToGroup(svc.admin, id, userId);
    await user.update({ ...user.properties, groups: [] });
    assert.equal((await failure(identity.removeUserFromGroup(svc.admin, id, userId))).status, 404, 'removed from the group');
    await user.delete();

    await group.delete();
    await group.delete();
    assert.equal((await failure(identity.getGroup(svc.admin, id))).status, 404);

    const both = await failure(fakeResource(svc, groupResource, { caller: svc.admin }).create({ roles: [{ role: 'member', project, domain: 'default' }] }));
    assert.equal(both.type, 'ResourcePropertyConflict');
    assert.equal(both.message, 'Cannot define the following properties at the same time: project, domain');
    const neither = await failure(fakeResource(svc, groupResource, { caller: svc.admin }).create({ roles: [{ role: 'member' }] }));
    assert.equal(neither.message, 'Either project or domain must be specified for role member');
  });

  test('OS::Keystone::Domain: made enabled, updated in place, disabled then deleted (twice); a member is refused', async () => {
    const domain = fakeResource(svc, domainResource, { caller: svc.admin });
    await domain.create({ description: 'made by a stack' });
    const id = domain.state.physicalId!;
    assert.equal(((await domain.attr('show')) as Record<string, unknown>).enabled, true);
    await domain.update({ ...domain.properties, name: 'svcres-domain', description: 'changed' });
    const updated = await identity.getDomain(svc.admin, id);
    assert.equal(updated.name, 'svcres-domain');
    assert.equal(updated.description, 'changed');
    assert.equal(updated.enabled, true);

    await domain.delete();
    await domain.delete();
    assert.equal((await failure(identity.getDomain(svc.admin, id))).status, 404);
    assert.equal((await failure(fakeResource(svc, domainResource).create({}))).status, 403);
  });

  test('OS::Glance::Image is hidden (not listed, no schema) and does nothing, as in Heat', async () => {
    const api = await heatApi(svc.cloud, await svc.cloud.demoToken());
    const listed = (await api.call('GET', '/resource_types')).body.resource_types as string[];
    assert.ok(listed.includes('OS::Keystone::Domain') && listed.includes('OS::Neutron::SubnetPool'));
    assert.ok(!listed.includes('OS::Glance::Image'), 'hidden types are not listed');
    for (const path of ['/resource_types/OS::Glance::Image', '/resource_types/OS::Glance::Image/template']) {
      const shown = await api.call('GET', path);
      assert.equal(shown.status, 400, shown.text);
      assert.equal(shown.body.error.type, 'NotSupported');
      assert.equal(shown.body.error.message, 'OS::Glance::Image is not supported.');
    }
    const schema = await api.call('GET', '/resource_types/OS::Cinder::VolumeType');
    assert.equal(schema.status, 200, schema.text);
    assert.equal(schema.body.properties.name.required, true);
    const image = fakeResource(svc, glanceImageResource);
    await image.create({ location: 'http://example.org/cirros.img', disk_format: 'qcow2', container_format: 'bare' });
    assert.ok(image.state.physicalId);
    assert.equal(await image.attr('status'), null);
    await image.delete();
    await image.delete();
  });
});

describe('svcres: Neutron subnet pools and address scopes', () => {
  let svc: SvcresCloud;
  before(async () => {
    svc = await svcresCloud(await startTestServer());
  });
  after(() => svc?.cloud.close());

  test('OS::Neutron::AddressScope and ::SubnetPool: made, updated in place (pool grows, leaves the scope), deleted twice', async () => {
    const network = svc.services.network as NetworkOperations;
    const scope = fakeResource(svc, addressScopeResource);
    await scope.create({});
    assert.equal(((await scope.attr('show')) as Record<string, unknown>).ip_version, 4);
    await scope.update({ ...scope.properties, name: 'svcres-scope' });
    assert.equal((await network.addressScopes.get(svc.demo, scope.state.physicalId!)).name, 'svcres-scope');

    const pool = fakeResource(svc, subnetPoolResource);
    await pool.create({ prefixes: ['10.80.0.0/24'], address_scope: 'svcres-scope', default_prefixlen: 28, tags: ['heat'] });
    const id = pool.state.physicalId!;
    const shown = (await pool.attr('show')) as Record<string, unknown>;
    assert.equal(shown.address_scope_id, scope.state.physicalId);
    assert.equal(shown.default_prefixlen, 28);
    assert.deepEqual(shown.tags, ['heat']);

    const { address_scope: _leftScope, ...unscoped } = pool.properties;
    await pool.update({ ...unscoped, prefixes: ['10.80.0.0/16'], max_prefixlen: 30, tags: [] });
    const grown = await network.subnetPools.get(svc.demo, id);
    assert.deepEqual(grown.prefixes, ['10.80.0.0/16']);
    assert.equal(grown.addressScopeId, null);
    assert.equal(grown.maxPrefixLength, 30);
    assert.deepEqual(grown.tags, []);

    const shrink = await failure(pool.update({ ...pool.properties, prefixes: ['10.81.0.0/24'] }));
    assert.equal(shrink.type, 'StackValidationFailed');
    assert.equal(shrink.message, "Property prefixes updated value ['10.81.0.0/24'] should be superset of existing value ['10.80.0.0/16'].");

    for (const r of [pool, scope]) {
      await r.delete();
      await r.delete();
    }
    assert.equal((await failure(network.subnetPools.get(svc.demo, id))).status, 404);
  });

  test('a stack of a scope and a pool in it: created, the pool grown by a stack update, deleted', async () => {
    const { call, waitFor } = await heatApi(svc.cloud, await svc.cloud.demoToken());
    const template = (prefix: string) => ({
      heat_template_version: '2021-04-16',
      resources: {
        scope: { type: 'OS::Neutron::AddressScope', properties: { ip_version: 4 } },
        pool: { type: 'OS::Neutron::SubnetPool', properties: { prefixes: [prefix], address_scope: { get_resource: 'scope' }, default_prefixlen: 26 } },
      },
      outputs: { pool_prefixes: { value: { get_attr: ['pool', 'show', 'prefixes'] } } },
    });
    const created = await call('POST', '/stacks', { stack_name: 'svcres-pools', template: template('10.84.0.0/24') });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    await waitFor(location, 'CREATE_COMPLETE');
    const pool = (await call('GET', `${location}/resources/pool`)).body.resource;
    const updated = await call('PUT', location, { template: template('10.84.0.0/22') });
    assert.equal(updated.status, 202, updated.text);
    const stack = await waitFor(location, 'UPDATE_COMPLETE');
    assert.deepEqual((stack.outputs as Array<{ output_key: string; output_value: unknown }>).find((o) => o.output_key === 'pool_prefixes')?.output_value, [
      '10.84.0.0/22',
    ]);
    assert.equal((await call('GET', `${location}/resources/pool`)).body.resource.physical_resource_id, pool.physical_resource_id, 'updated in place');
    assert.equal((await call('DELETE', location)).status, 204);
    await waitFor(location, 'DELETE_COMPLETE');
    const network = svc.services.network as NetworkOperations;
    assert.equal((await failure(network.subnetPools.get(svc.demo, pool.physical_resource_id as string))).status, 404);
  });

  test('OS::Neutron::SubnetPool: bounds checked as Heat does; sharing is refused to a member', async () => {
    const bounds = await failure(fakeResource(svc, subnetPoolResource).create({ prefixes: ['10.82.0.0/16'], min_prefixlen: 28, max_prefixlen: 24 }));
    assert.equal(bounds.type, 'StackValidationFailed');
    assert.equal(bounds.message, 'Illegal prefix bounds: max_prefixlen=24, min_prefixlen=28.');
    const shared = await failure(fakeResource(svc, subnetPoolResource).create({ prefixes: ['10.83.0.0/16'], shared: true }));
    assert.equal(shared.status, 403);
  });
});
