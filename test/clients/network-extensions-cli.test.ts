/**
 * Neutron's extensions through Debian's `openstack` CLI: auto-allocated
 * topology, service providers, network flavors and service profiles.
 * Skips (saying why) where python3-openstackclient is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: network extensions', { skip }, () => {
  let cloud: TestServer;
  const json =
    <T>(cloudName: string) =>
    (args: string[]) =>
      openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const run = (cloudName: string) => (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const admin = json<Row>('nimbus');
  const adminRun = run('nimbus');
  const demo = json<Row>('nimbus-demo');
  const demoRun = run('nimbus-demo');

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('network auto allocated topology create / --check-resources / delete', async () => {
    const unmet = await demoRun(['network', 'auto', 'allocated', 'topology', 'create', '--check-resources']);
    assert.notEqual(unmet.code, 0);
    assert.match(unmet.stderr, /No default router:external network/);

    const setDefault = await adminRun(['network', 'set', '--default', 'public']);
    assert.equal(setDefault.code, 0, setDefault.stderr);
    assert.equal((await admin(['network', 'show', 'public'])).is_default, true);
    await admin(['subnet', 'pool', 'create', '--pool-prefix', '10.128.0.0/16', '--default-prefix-length', '26', '--default', '--share', 'default-v4']);

    const check = await demoRun(['network', 'auto', 'allocated', 'topology', 'create', '--check-resources', '-f', 'json']);
    assert.equal(check.code, 0, check.stderr);
    const topology = await demo(['network', 'auto', 'allocated', 'topology', 'create']);
    const network = await demo(['network', 'show', String(topology.id)]);
    assert.equal(network.name, 'auto_allocated_network');
    assert.equal((await demo(['network', 'auto', 'allocated', 'topology', 'create', '--or-show'])).id, topology.id);

    const removed = await demoRun(['network', 'auto', 'allocated', 'topology', 'delete']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.notEqual((await demoRun(['network', 'show', String(topology.id)])).code, 0);
    const noDefault = await adminRun(['network', 'set', '--no-default', 'public']);
    assert.equal(noDefault.code, 0, noDefault.stderr);
    assert.equal((await admin(['network', 'show', 'public'])).is_default, false);
  });

  test('network service provider list; network flavor and flavor profile create, add profile, show, set, delete', async () => {
    const providers = await json<Row[]>('nimbus-demo')(['network', 'service', 'provider', 'list']);
    assert.deepEqual(providers, [{ 'Service Type': 'L3_ROUTER_NAT', Name: 'single_node', Default: false }]);

    const flavor = await admin(['network', 'flavor', 'create', '--service-type', 'L3_ROUTER_NAT', '--description', 'routers', 'cli-flavor']);
    assert.equal(flavor.service_type, 'L3_ROUTER_NAT');
    const driver = 'neutron.services.l3_router.service_providers.single_node.SingleNodeDriver';
    const profile = await admin(['network', 'flavor', 'profile', 'create', '--driver', driver, '--description', 'single node']);
    assert.equal(profile.driver, driver);
    const added = await adminRun(['network', 'flavor', 'add', 'profile', 'cli-flavor', String(profile.id)]);
    assert.equal(added.code, 0, added.stderr);
    const disabled = await adminRun(['network', 'flavor', 'set', '--disable', 'cli-flavor']);
    assert.equal(disabled.code, 0, disabled.stderr);
    const shown = await demo(['network', 'flavor', 'show', 'cli-flavor']);
    assert.equal(shown.enabled, false);
    assert.deepEqual(shown.service_profile_ids, [profile.id]);

    const removed = await adminRun(['network', 'flavor', 'remove', 'profile', 'cli-flavor', String(profile.id)]);
    assert.equal(removed.code, 0, removed.stderr);
    const deleted = await adminRun(['network', 'flavor', 'profile', 'delete', String(profile.id)]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await adminRun(['network', 'flavor', 'delete', 'cli-flavor'])).code, 0);
  });
});
