/**
 * The flavors and l3-flavors extensions: flavors and service profiles
 * (admin writes, reader/admin reads), binding them, and routers made with
 * an L3 flavor, with Neutron's errors on each path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, useCloud } from './support.js';

const SINGLE_NODE = 'neutron.services.l3_router.service_providers.single_node.SingleNodeDriver';

describe('network: flavors and service profiles', () => {
  const cloud = useCloud();
  const call = cloud.call;
  const asAdmin = (method: string, path: string, body?: unknown) => call(method, path, body, cloud.admin);
  const flavor = async (body: Record<string, unknown>) =>
    (await asAdmin('POST', '/v2.0/flavors', { flavor: { service_type: 'L3_ROUTER_NAT', ...body } })).body.flavor;
  const profile = async (body: Record<string, unknown>) => (await asAdmin('POST', '/v2.0/service_profiles', { service_profile: body })).body.service_profile;

  test('listed as extensions', async () => {
    const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['flavors', 'l3-flavors']) assert.ok(aliases.includes(alias), alias);
  });

  test('flavor create, show, list, update, delete; admin writes, reader reads', async () => {
    const created = await asAdmin('POST', '/v2.0/flavors', { flavor: { name: 'gold', description: 'fast', service_type: 'L3_ROUTER_NAT' } });
    assert.equal(created.status, 201, created.text);
    const gold = created.body.flavor;
    assert.deepEqual(gold, { id: gold.id, name: 'gold', description: 'fast', service_type: 'L3_ROUTER_NAT', enabled: true, service_profiles: [] });
    assert.deepEqual((await call('GET', `/v2.0/flavors/${gold.id}`)).body.flavor, gold);
    assert.ok((await call('GET', '/v2.0/flavors?name=gold')).body.flavors.some((f: { id: string }) => f.id === gold.id));
    expectError(await call('POST', '/v2.0/flavors', { flavor: { name: 'x', service_type: 'L3_ROUTER_NAT' } }), 403, 'PolicyNotAuthorized');
    expectError(await call('PUT', `/v2.0/flavors/${gold.id}`, { flavor: { enabled: false } }), 403, 'PolicyNotAuthorized');
    expectError(await call('DELETE', `/v2.0/flavors/${gold.id}`), 403, 'PolicyNotAuthorized');

    const updated = await asAdmin('PUT', `/v2.0/flavors/${gold.id}`, { flavor: { name: 'golden', enabled: false } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.flavor.name, 'golden');
    assert.equal(updated.body.flavor.enabled, false);
    assert.equal((await asAdmin('PUT', `/v2.0/flavors/${gold.id}`, { flavor: { service_type: 'L3_ROUTER_NAT' } })).status, 400, 'service_type is create-only');
    assert.equal((await asAdmin('DELETE', `/v2.0/flavors/${gold.id}`)).status, 204);
    expectError(await call('GET', `/v2.0/flavors/${gold.id}`), 404, 'FlavorNotFound');
  });

  test('flavor errors: missing or unknown service type', async () => {
    const missing = await asAdmin('POST', '/v2.0/flavors', { flavor: { name: 'x' } });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /Required attribute 'service_type' not specified/);
    const unknown = await asAdmin('POST', '/v2.0/flavors', { flavor: { name: 'x', service_type: 'LOADBALANCERV2' } });
    expectError(unknown, 400, 'InvalidFlavorServiceType');
    assert.equal(unknown.body.NeutronError.message, 'Invalid service type LOADBALANCERV2.');
  });

  test('service profiles: admin only, driver must be a provider, driver or metainfo required', async () => {
    const made = await asAdmin('POST', '/v2.0/service_profiles', { service_profile: { description: 'sn', driver: SINGLE_NODE } });
    assert.equal(made.status, 201, made.text);
    const sp = made.body.service_profile;
    assert.deepEqual(sp, { id: sp.id, description: 'sn', driver: SINGLE_NODE, enabled: true, metainfo: '', flavors: [] });
    expectError(await call('GET', `/v2.0/service_profiles/${sp.id}`), 404, 'ServiceProfileNotFound');
    assert.deepEqual((await call('GET', '/v2.0/service_profiles')).body.service_profiles, []);
    expectError(await call('POST', '/v2.0/service_profiles', { service_profile: { driver: SINGLE_NODE } }), 403, 'PolicyNotAuthorized');
    expectError(await asAdmin('POST', '/v2.0/service_profiles', { service_profile: { driver: 'no.such.Driver' } }), 404, 'ServiceProfileDriverNotFound');
    expectError(await asAdmin('POST', '/v2.0/service_profiles', { service_profile: { description: 'empty' } }), 400, 'ServiceProfileEmpty');
    const meta = await profile({ metainfo: '{"tier": "gold"}' });
    assert.equal(meta.driver, '');
    const changed = await asAdmin('PUT', `/v2.0/service_profiles/${meta.id}`, { service_profile: { enabled: false } });
    assert.equal(changed.body.service_profile.enabled, false);
    assert.equal((await asAdmin('DELETE', `/v2.0/service_profiles/${meta.id}`)).status, 204);
    expectError(await asAdmin('GET', `/v2.0/service_profiles/${meta.id}`), 404, 'ServiceProfileNotFound');
  });

  test('binding: associate once, in use while bound, disassociate', async () => {
    const fl = await flavor({ name: 'bind' });
    const sp = await profile({ driver: SINGLE_NODE });
    const bound = await asAdmin('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: sp.id } });
    assert.equal(bound.status, 201, bound.text);
    assert.deepEqual(bound.body.service_profile, { id: sp.id });
    assert.deepEqual((await asAdmin('GET', `/v2.0/flavors/${fl.id}`)).body.flavor.service_profiles, [sp.id]);
    assert.deepEqual((await asAdmin('GET', `/v2.0/service_profiles/${sp.id}`)).body.service_profile.flavors, [fl.id]);
    expectError(await asAdmin('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: sp.id } }), 409, 'FlavorServiceProfileBindingExists');
    expectError(await call('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: sp.id } }), 403, 'PolicyNotAuthorized');
    expectError(await asAdmin('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: 'nope' } }), 404, 'ServiceProfileNotFound');
    expectError(await asAdmin('DELETE', `/v2.0/service_profiles/${sp.id}`), 409, 'ServiceProfileInUse');
    expectError(await asAdmin('PUT', `/v2.0/service_profiles/${sp.id}`, { service_profile: { description: 'x' } }), 409, 'ServiceProfileInUse');
    assert.equal((await asAdmin('DELETE', `/v2.0/flavors/${fl.id}/service_profiles/${sp.id}`)).status, 204);
    expectError(await asAdmin('DELETE', `/v2.0/flavors/${fl.id}/service_profiles/${sp.id}`), 404, 'FlavorServiceProfileBindingNotFound');
    assert.equal((await asAdmin('DELETE', `/v2.0/service_profiles/${sp.id}`)).status, 204);
  });

  test('routers with an L3 flavor', async () => {
    const fl = await flavor({ name: 'l3' });
    expectError(await call('POST', '/v2.0/routers', { router: { name: 'r', flavor_id: fl.id } }), 404, 'FlavorServiceProfileBindingNotFound');
    expectError(await call('POST', '/v2.0/routers', { router: { name: 'r', flavor_id: 'nope' } }), 404, 'FlavorNotFound');
    const sp = await profile({ driver: SINGLE_NODE });
    await asAdmin('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: sp.id } });
    const made = await call('POST', '/v2.0/routers', { router: { name: 'flavored', flavor_id: fl.id } });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.router.flavor_id, fl.id);
    assert.equal((await call('GET', `/v2.0/routers/${made.body.router.id}`)).body.router.flavor_id, fl.id);
    const ha = await asAdmin('POST', '/v2.0/routers', { router: { name: 'ha', flavor_id: fl.id, ha: true } });
    expectError(ha, 400, 'InvalidInput');
    assert.equal(ha.body.NeutronError.message, 'Invalid input for operation: Provider single_node does not support ha=True.');
    assert.equal((await call('PUT', `/v2.0/routers/${made.body.router.id}`, { router: { flavor_id: null } })).status, 400, 'flavor_id is create-only');
    expectError(await asAdmin('DELETE', `/v2.0/flavors/${fl.id}`), 409, 'FlavorInUse');

    await asAdmin('DELETE', `/v2.0/flavors/${fl.id}/service_profiles/${sp.id}`);
    const disabled = await profile({ driver: SINGLE_NODE, enabled: false });
    await asAdmin('POST', `/v2.0/flavors/${fl.id}/service_profiles`, { service_profile: { id: disabled.id } });
    expectError(await call('POST', '/v2.0/routers', { router: { name: 'r', flavor_id: fl.id } }), 503, 'ServiceProfileDisabled');
    assert.equal((await call('DELETE', `/v2.0/routers/${made.body.router.id}`)).status, 204);
    assert.equal((await asAdmin('GET', '/v2.0/routers?name=flavored')).body.routers.length, 0);
  });
});
