/**
 * The auto-allocated-topology extension: `is_default` external networks, the
 * project's network, subnet and router made once from the defaults, the
 * dry-run check, delete, and Neutron's errors when the deployment lacks a
 * default external network or a default subnet pool.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestResponse } from '../support/server.js';
import { expectError, useCloud } from './support.js';

describe('network: auto-allocated topology', () => {
  const cloud = useCloud();
  const call = cloud.call;
  const asAdmin = (method: string, path: string, body?: unknown) => call(method, path, body, cloud.admin);
  const projectOf = async (token: string) =>
    (await cloud.server.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'X-Subject-Token': token } })).body.token.project.id as string;
  const networkNamed = async (name: string) => (await asAdmin('GET', `/v2.0/networks?name=${name}`)).body.networks[0];
  const message = (response: TestResponse) => String(response.body.NeutronError.message);

  test('the extension is listed', async () => {
    const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    assert.ok(aliases.includes('auto-allocated-topology'));
  });

  test('without a default external network: 409, dry-run or not, and nothing is made', async () => {
    const demo = await projectOf(cloud.demo);
    for (const path of [`/v2.0/auto-allocated-topology/${demo}?fields=dry-run`, `/v2.0/auto-allocated-topology/${demo}`]) {
      const response = await call('GET', path);
      expectError(response, 409, 'AutoAllocationFailure');
      assert.equal(message(response), 'Deployment error: No default router:external network.');
    }
    assert.equal(await networkNamed('auto_allocated_network'), undefined);
  });

  test('is_default: admin only, one default external network at a time', async () => {
    const publicNet = await networkNamed('public');
    assert.equal(publicNet.is_default, false);
    expectError(await call('PUT', `/v2.0/networks/${publicNet.id}`, { network: { is_default: true } }), 403, 'PolicyNotAuthorized');
    const set = await asAdmin('PUT', `/v2.0/networks/${publicNet.id}`, { network: { is_default: true } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.network.is_default, true);
    const second = await asAdmin('POST', '/v2.0/networks', { network: { name: 'ext2', 'router:external': true, is_default: true } });
    expectError(second, 409, 'DefaultExternalNetworkExists');
    assert.equal(message(second), `A default external network already exists: ${publicNet.id}.`);
    assert.equal((await asAdmin('PUT', `/v2.0/networks/${publicNet.id}`, { network: { is_default: true } })).status, 200);
  });

  test('without a default subnet pool: 409 and no network left behind', async () => {
    const demo = await projectOf(cloud.demo);
    const dry = await call('GET', `/v2.0/auto-allocated-topology/${demo}?fields=dry-run`);
    expectError(dry, 409, 'AutoAllocationFailure');
    assert.equal(message(dry), 'Deployment error: No default subnetpools defined.');
    const made = await call('GET', `/v2.0/auto-allocated-topology/${demo}`);
    expectError(made, 409, 'AutoAllocationFailure');
    assert.equal(message(made), 'Deployment error: Unable to provide tenant private network.');
    assert.equal(await networkNamed('auto_allocated_network'), undefined);
  });

  test('a full default pool: 409 and nothing left behind; a quota stays a quota', async () => {
    const pool = (
      await asAdmin('POST', '/v2.0/subnetpools', { subnetpool: { name: 'tiny', prefixes: ['10.129.0.0/26'], default_prefixlen: 26, is_default: true } })
    ).body.subnetpool;
    const holder = (await asAdmin('POST', '/v2.0/networks', { network: { name: 'holder' } })).body.network;
    const taken = await asAdmin('POST', '/v2.0/subnets', { subnet: { network_id: holder.id, ip_version: 4, subnetpool_id: pool.id } });
    assert.equal(taken.status, 201, taken.text);
    const demo = await projectOf(cloud.demo);
    const full = await call('GET', `/v2.0/auto-allocated-topology/${demo}`);
    expectError(full, 409, 'AutoAllocationFailure');
    assert.equal(message(full), 'Deployment error: Unable to provide tenant private network.');
    assert.equal(await networkNamed('auto_allocated_network'), undefined);

    assert.equal((await asAdmin('PUT', `/v2.0/quotas/${demo}`, { quota: { router: 0 } })).status, 200);
    await asAdmin('DELETE', `/v2.0/subnets/${taken.body.subnet.id}`);
    const overQuota = await call('GET', `/v2.0/auto-allocated-topology/${demo}`);
    assert.equal(overQuota.status, 409, overQuota.text);
    assert.notEqual(overQuota.body.NeutronError.type, 'AutoAllocationFailure');
    assert.equal(await networkNamed('auto_allocated_network'), undefined);
    assert.equal((await asAdmin('DELETE', `/v2.0/quotas/${demo}`)).status, 204);
    assert.equal((await asAdmin('DELETE', `/v2.0/subnetpools/${pool.id}`)).status, 204);
    assert.equal((await asAdmin('DELETE', `/v2.0/networks/${holder.id}`)).status, 204);
  });

  test('made once from the defaults, returned after, removed by delete', async () => {
    const pool = await asAdmin('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'default-v4', prefixes: ['10.128.0.0/16'], default_prefixlen: 26, is_default: true, shared: true },
    });
    assert.equal(pool.status, 201, pool.text);
    const demo = await projectOf(cloud.demo);
    const dry = await call('GET', `/v2.0/auto-allocated-topology/${demo}?fields=dry-run`);
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(dry.body.auto_allocated_topology, { id: 'dry-run=pass', tenant_id: demo, project_id: demo });

    const made = await call('GET', `/v2.0/auto-allocated-topology/${demo}`);
    assert.equal(made.status, 200, made.text);
    const topology = made.body.auto_allocated_topology;
    assert.deepEqual(topology, { id: topology.id, tenant_id: demo, project_id: demo });
    const network = (await call('GET', `/v2.0/networks/${topology.id}`)).body.network;
    assert.equal(network.name, 'auto_allocated_network');
    assert.equal(network.admin_state_up, true);
    assert.equal(network.project_id, demo);
    const [subnet] = (await call('GET', `/v2.0/subnets?network_id=${topology.id}`)).body.subnets;
    assert.equal(subnet.name, 'auto_allocated_subnet_v4');
    assert.equal(subnet.subnetpool_id, pool.body.subnetpool.id);
    assert.match(subnet.cidr, /^10\.128\.\d+\.\d+\/26$/);
    const [router] = (await call('GET', '/v2.0/routers?name=auto_allocated_router')).body.routers;
    assert.equal(router.external_gateway_info.network_id, (await networkNamed('public')).id);
    const interfaces = (await call('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`)).body.ports;
    assert.equal(interfaces[0].fixed_ips[0].subnet_id, subnet.id);

    assert.equal((await call('GET', `/v2.0/auto-allocated-topology/${demo}`)).body.auto_allocated_topology.id, topology.id);
    assert.equal((await call('GET', '/v2.0/auto-allocated-topology/None')).body.auto_allocated_topology.id, topology.id, 'None is the caller');
    assert.equal((await asAdmin('GET', `/v2.0/auto-allocated-topology/${demo}`)).body.auto_allocated_topology.id, topology.id);

    const deleted = await call('DELETE', `/v2.0/auto-allocated-topology/${demo}`);
    assert.equal(deleted.status, 204, deleted.text);
    expectError(await call('GET', `/v2.0/networks/${topology.id}`), 404, 'NetworkNotFound');
    expectError(await call('GET', `/v2.0/routers/${router.id}`), 404, 'RouterNotFound');
    assert.equal((await call('DELETE', `/v2.0/auto-allocated-topology/${demo}`)).status, 204, 'nothing to delete is no error');
  });

  test('concurrent first calls make one topology and all answer with it', async () => {
    const demo = await projectOf(cloud.demo);
    const answers = await Promise.all([1, 2, 3].map(() => call('GET', `/v2.0/auto-allocated-topology/${demo}`)));
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    const ids = new Set(answers.map((a) => a.body.auto_allocated_topology.id));
    assert.equal(ids.size, 1);
    const networks = (await asAdmin('GET', '/v2.0/networks?name=auto_allocated_network')).body.networks;
    assert.deepEqual(
      networks.map((n: { id: string }) => n.id),
      [...ids],
    );
    assert.equal((await asAdmin('GET', '/v2.0/routers?name=auto_allocated_router')).body.routers.length, 1);
    assert.equal((await call('DELETE', `/v2.0/auto-allocated-topology/${demo}`)).status, 204);
  });

  test('another project is admin only; other fields are a 400', async () => {
    const admin = await projectOf(cloud.admin);
    const demo = await projectOf(cloud.demo);
    expectError(await call('GET', `/v2.0/auto-allocated-topology/${admin}`), 403, 'NotAuthorized');
    expectError(await call('DELETE', `/v2.0/auto-allocated-topology/${admin}`), 403, 'NotAuthorized');
    const other = await call('GET', `/v2.0/auto-allocated-topology/${demo}?fields=name`);
    assert.equal(other.status, 400, other.text);
    assert.equal(message(other), 'Bad auto_allocate request: Unrecognized field.');
  });
});
