/**
 * Nova's admin APIs through Debian's `openstack` CLI, as an operator drives
 * them: hypervisors, compute services, aggregates with zones, server groups,
 * usage. Skips (saying why) where python3-openstackclient is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: compute admin', { skip }, () => {
  let cloud: TestServer;
  const admin = (args: string[]) => openstackJson<Row>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminList = (args: string[]) => openstackJson<Row[]>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const demo = (args: string[]) => openstackJson<Row>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.fake.hosts = 2;
      config.compute.devstack_defaults = true;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
    });
  });
  after(() => cloud?.close());

  test('hypervisor list/show and stats', async () => {
    const hypervisors = await adminList(['hypervisor', 'list']);
    assert.deepEqual(
      hypervisors.map((h) => h['Hypervisor Hostname']),
      ['nimbus-compute-1', 'nimbus-compute-2'],
    );
    const shown = await admin(['hypervisor', 'show', 'nimbus-compute-2']);
    assert.equal(shown.hypervisor_hostname, 'nimbus-compute-2');
    assert.equal(shown.running_vms, 0);
    assert.equal(shown.service_host, 'nimbus-compute-2');
    const stats = await admin(['hypervisor', 'stats', 'show']);
    assert.equal(stats.count, 2);
    assert.equal(stats.vcpus, Number(shown.vcpus) * 2);
    const denied = await demoRun(['hypervisor', 'list']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /os-hypervisors:list|403/);
  });

  test('compute service list and set --disable --disable-reason', async () => {
    const services = await adminList(['compute', 'service', 'list']);
    assert.equal(services.length, 2);
    assert.ok(services.every((s) => s.Binary === 'nova-compute' && s.Status === 'enabled' && s.State === 'up'));
    const disabled = await adminRun(['compute', 'service', 'set', '--disable', '--disable-reason', 'maintenance', 'nimbus-compute-1', 'nova-compute']);
    assert.equal(disabled.code, 0, disabled.stderr);
    const listed = await adminList(['compute', 'service', 'list', '--host', 'nimbus-compute-1', '--long']);
    assert.equal(listed[0]?.Status, 'disabled');
    assert.equal(listed[0]?.['Disabled Reason'], 'maintenance');
    const enabled = await adminRun(['compute', 'service', 'set', '--enable', 'nimbus-compute-1', 'nova-compute']);
    assert.equal(enabled.code, 0, enabled.stderr);
    assert.equal((await adminList(['compute', 'service', 'list', '--host', 'nimbus-compute-1']))[0]?.Status, 'enabled');
  });

  test('aggregate create --zone, add host, set --property', async () => {
    const created = await admin(['aggregate', 'create', '--zone', 'cli-az', 'cli-agg']);
    assert.equal(created.name, 'cli-agg');
    assert.equal(created.availability_zone, 'cli-az');
    const added = await admin(['aggregate', 'add', 'host', 'cli-agg', 'nimbus-compute-2']);
    assert.match(JSON.stringify(added.hosts), /nimbus-compute-2/);
    const set = await adminRun(['aggregate', 'set', '--property', 'ssd=true', 'cli-agg']);
    assert.equal(set.code, 0, set.stderr);
    const shown = await admin(['aggregate', 'show', 'cli-agg']);
    assert.match(JSON.stringify(shown.properties), /ssd/);
    const zones = await adminList(['compute', 'service', 'list', '--host', 'nimbus-compute-2']);
    assert.equal(zones[0]?.Zone, 'cli-az');
  });

  test('server group create --policy anti-affinity', async () => {
    const group = await demo(['server', 'group', 'create', '--policy', 'anti-affinity', 'cli-group']);
    assert.equal(group.name, 'cli-group');
    assert.match(String(group.policy ?? group.policies), /anti-affinity/);
    const shown = await demo(['server', 'group', 'show', 'cli-group']);
    assert.equal(shown.id, group.id);
    assert.equal((await demoRun(['server', 'group', 'delete', 'cli-group'])).code, 0);
  });

  test('server suspend/resume, rescue/unrescue, shelve/unshelve, migrate + migration confirm, usage list', async () => {
    const created = await demo(['server', 'create', '--image', 'nimbus-blank-qcow2', '--flavor', 'm1.nano', '--network', 'private', '--wait', 'cli-vm']);
    assert.equal(created.status, 'ACTIVE');
    const id = String(created.id);
    const status = async () => (await admin(['server', 'show', id])).status;
    const waitFor = async (wanted: string) => {
      for (let i = 0; i < 100 && (await status()) !== wanted; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await status(), wanted);
    };
    const ok = async (result: Promise<{ code: number; stderr: string }>) => {
      const done = await result;
      assert.equal(done.code, 0, done.stderr);
    };

    await ok(demoRun(['server', 'suspend', 'cli-vm']));
    await waitFor('SUSPENDED');
    await ok(demoRun(['server', 'resume', 'cli-vm']));
    await waitFor('ACTIVE');

    await ok(demoRun(['server', 'rescue', 'cli-vm']));
    await waitFor('RESCUE');
    await ok(demoRun(['server', 'unrescue', 'cli-vm']));
    await waitFor('ACTIVE');

    await ok(demoRun(['server', 'shelve', 'cli-vm']));
    await waitFor('SHELVED_OFFLOADED');
    await ok(demoRun(['server', 'unshelve', 'cli-vm']));
    await waitFor('ACTIVE');

    const before = (await admin(['server', 'show', id]))['OS-EXT-SRV-ATTR:host'];
    await ok(adminRun(['server', 'migrate', '--wait', id]));
    await waitFor('VERIFY_RESIZE');
    const moved = await admin(['server', 'show', id]);
    assert.notEqual(moved['OS-EXT-SRV-ATTR:host'], before);
    await ok(adminRun(['server', 'migration', 'confirm', id]));
    await waitFor('ACTIVE');
    const migrations = await adminList(['server', 'migration', 'list', '--server', id]);
    assert.equal(migrations[0]?.Status, 'confirmed');

    const usage = await adminList(['usage', 'list']);
    const projects = await adminList(['project', 'list']);
    const demoProject = projects.find((p) => p.Name === 'demo')?.ID;
    assert.ok(
      usage.some((u) => u.Project === demoProject || u.Project === 'demo'),
      JSON.stringify(usage),
    );
  });
});
