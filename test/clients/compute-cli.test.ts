/**
 * The compute API through Debian's `openstack` CLI, as a user drives it:
 * boot and wait, list/show, power and resize actions, snapshot, console log,
 * security groups, delete; the admin views of hosts and quotas; Placement as
 * the scheduler sees it. Skips (saying why) where python3-openstackclient is
 * not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: compute', { skip }, () => {
  let cloud: TestServer;
  const json = <T = Row>(cloudName: string, args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const run = (cloudName: string, args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const demo = (args: string[]) => json('nimbus-demo', args);
  const demoRun = async (args: string[]) => {
    const result = await run('nimbus-demo', args);
    assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  /** `server show` until the status is reached (the CLI's --wait exists only for some commands). */
  const waitStatus = async (name: string, status: string) => {
    for (let i = 0; i < 60; i++) {
      const server = await demo(['server', 'show', name]);
      if (server.status === status && server['OS-EXT-STS:task_state'] === null) return server;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return assert.fail(`${name} never reached ${status}`);
  };

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 50;
      config.compute.fake.action_delay_ms = 10;
    });
  });
  after(() => cloud?.close());

  test('boot with image, flavor, network and key; list, show; stop, start, reboot, pause; resize --confirm; image; console; security groups; delete', async () => {
    const privateKeyFile = join(cloud.dataDir, 'cli-key.pem');
    const key = await demo(['keypair', 'create', '--private-key', privateKeyFile, 'cli-key']);
    assert.equal(key.name, 'cli-key');
    assert.match(readFileSync(privateKeyFile, 'utf8'), /BEGIN RSA PRIVATE KEY/);
    const created = await demo([
      'server',
      'create',
      '--image',
      'nimbus-blank-qcow2',
      '--flavor',
      'm1.nano',
      '--network',
      'private',
      '--key-name',
      'cli-key',
      '--wait',
      'cli-vm',
    ]);
    assert.equal(created.status, 'ACTIVE');
    assert.equal(created.key_name, 'cli-key');
    assert.match(JSON.stringify(created.addresses), /private.*10\.0\.0\.\d+/);
    const listed = await json<Row[]>('nimbus-demo', ['server', 'list']);
    assert.deepEqual(
      listed.map((s) => [s.Name, s.Status, s.Flavor]),
      [['cli-vm', 'ACTIVE', 'm1.nano']],
    );
    const shown = await demo(['server', 'show', 'cli-vm']);
    assert.equal(shown.id, created.id);
    assert.match(JSON.stringify(shown.image), /nimbus-blank-qcow2/);

    await demoRun(['server', 'stop', 'cli-vm']);
    assert.equal((await waitStatus('cli-vm', 'SHUTOFF'))['OS-EXT-STS:power_state'], 4);
    await demoRun(['server', 'start', 'cli-vm']);
    await waitStatus('cli-vm', 'ACTIVE');
    await demoRun(['server', 'reboot', '--hard', 'cli-vm']);
    await waitStatus('cli-vm', 'ACTIVE');
    await demoRun(['server', 'pause', 'cli-vm']);
    await waitStatus('cli-vm', 'PAUSED');
    await demoRun(['server', 'unpause', 'cli-vm']);
    await waitStatus('cli-vm', 'ACTIVE');
    const wrongState = await run('nimbus-demo', ['server', 'unpause', 'cli-vm']);
    assert.notEqual(wrongState.code, 0);
    assert.match(wrongState.stderr, /409.*Cannot 'unpause' instance .* while it is in vm_state active/);

    await demoRun(['server', 'resize', '--flavor', 'm1.micro', 'cli-vm']);
    await waitStatus('cli-vm', 'VERIFY_RESIZE');
    await demoRun(['server', 'resize', 'confirm', 'cli-vm']);
    const resized = await waitStatus('cli-vm', 'ACTIVE');
    assert.match(JSON.stringify(resized.flavor), /m1\.micro/);

    const image = await demo(['server', 'image', 'create', '--name', 'cli-snap', 'cli-vm']);
    assert.equal(image.name, 'cli-snap');
    await waitStatus('cli-vm', 'ACTIVE');
    const snapshot = await demo(['image', 'show', 'cli-snap']);
    assert.equal(snapshot.status, 'active');
    assert.equal(snapshot.disk_format, 'qcow2');

    // A server's own `updated` as a bound includes it (issue 21: filters agree with what is shown).
    const updated = String((await demo(['server', 'show', 'cli-vm'])).updated);
    const changedBefore = await json<Row[]>('nimbus-demo', ['--os-compute-api-version', '2.66', 'server', 'list', '--changes-before', updated]);
    assert.deepEqual(
      changedBefore.map((s) => s.Name),
      ['cli-vm'],
    );

    const log = await demoRun(['console', 'log', 'show', 'cli-vm']);
    assert.match(log.stdout, /cli-vm login:/);

    await demoRun(['security', 'group', 'create', 'cli-web']);
    await demoRun(['server', 'add', 'security', 'group', 'cli-vm', 'cli-web']);
    const portId = String((await json<Row[]>('nimbus-demo', ['port', 'list', '--server', 'cli-vm']))[0]?.ID);
    assert.equal(((await demo(['port', 'show', portId])).security_group_ids as string[]).length, 2);
    await demoRun(['server', 'remove', 'security', 'group', 'cli-vm', 'cli-web']);
    assert.equal(((await demo(['port', 'show', portId])).security_group_ids as string[]).length, 1);

    await demoRun(['server', 'delete', '--wait', 'cli-vm']);
    assert.deepEqual(await json<Row[]>('nimbus-demo', ['server', 'list']), []);
    assert.deepEqual(await json<Row[]>('nimbus-demo', ['port', 'list', '--device-owner', 'compute:nova']), []);
  });

  test('admin: hypervisor list, compute service list, quota show; placement resource providers and candidates', async () => {
    const hypervisors = await json<Row[]>('nimbus', ['hypervisor', 'list']);
    assert.deepEqual(
      hypervisors.map((h) => [h['Hypervisor Hostname'], h['Hypervisor Type'], h.State]),
      [['nimbus-compute', 'fake', 'up']],
    );
    const services = await json<Row[]>('nimbus', ['compute', 'service', 'list']);
    assert.deepEqual(
      services.map((s) => [s.Binary, s.Host, s.Zone, s.Status, s.State]),
      [['nova-compute', 'nimbus-compute', 'nova', 'enabled', 'up']],
    );
    const quota = await json('nimbus', ['quota', 'show', 'demo']);
    assert.equal(quota.instances, 10);
    assert.equal(quota.cores, 20);
    assert.equal(quota.ram, 51200);
    const providers = await json<Row[]>('nimbus', ['resource', 'provider', 'list']);
    assert.deepEqual(
      providers.map((p) => p.name),
      ['nimbus-compute'],
    );
    const candidates = await json<Row[]>('nimbus', ['allocation', 'candidate', 'list', '--resource', 'VCPU=1']);
    assert.equal(candidates.length, 1);
    assert.equal(candidates[0]?.['resource provider'], providers[0]?.uuid);
  });
});
