/**
 * Boot from volume and volume attach through Debian's `openstack` CLI, with
 * the fake hypervisor and the `file` volume backend (qcow2): `server create
 * --volume`, `--boot-from-volume`, `server add/remove volume`, `server
 * delete --wait` and what is left of the volumes. Skips (saying why) where
 * python3-openstackclient or qemu-img is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/server.js';
import { qemuImgAvailable } from '../volume/support.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';
import type { Json } from '../support/json.js';

const skip = !openstackAvailable()
  ? 'the openstack CLI is not installed (apt-get install python3-openstackclient)'
  : !qemuImgAvailable()
    ? 'qemu-img is not installed (apt-get install qemu-utils)'
    : false;

type Row = Json;

describe('openstack CLI: boot from volume, server add/remove volume', { skip }, () => {
  let cloud: TestServer;
  const demo = <T = Row>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoRun = async (args: string[]) => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const volumeStatus = async (name: string, status: string): Promise<Row> => {
    for (let i = 0; i < 120; i++) {
      const shown = await demo(['volume', 'show', name]);
      if (shown.status === status) return shown;
      await delay(250);
    }
    return assert.fail(`volume ${name} never reached ${status}`);
  };

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 50;
      config.compute.fake.action_delay_ms = 10;
      config.volume.backends.file = { ...config.volume.backends.file!, volume_driver: 'file', volume_format: 'qcow2' };
    });
  });
  after(() => cloud?.close());

  test('server create --volume and --boot-from-volume, add/remove volume, delete --wait', { timeout: 300_000 }, async () => {
    await demo(['volume', 'create', '--image', 'nimbus-blank-qcow2', '--size', '1', '--bootable', 'root-vol']);
    const root = await volumeStatus('root-vol', 'available');

    const fromVolume = await demo(['server', 'create', '--volume', 'root-vol', '--flavor', 'm1.nano', '--network', 'private', '--wait', 'bfv-vm']);
    assert.equal(fromVolume.status, 'ACTIVE');
    assert.match(String(fromVolume.image), /booted from volume/);
    assert.match(JSON.stringify(fromVolume.volumes_attached), new RegExp(root.id));
    const inUse = await volumeStatus('root-vol', 'in-use');
    assert.match(JSON.stringify(inUse.attachments), /\/dev\/vda/);

    const fromImage = await demo([
      'server',
      'create',
      '--image',
      'nimbus-blank-qcow2',
      '--boot-from-volume',
      '1',
      '--flavor',
      'm1.nano',
      '--network',
      'private',
      '--wait',
      'bfv-img',
    ]);
    assert.equal(fromImage.status, 'ACTIVE');
    const made = (await demo<Row[]>(['volume', 'list', '--long'])).find((v) => JSON.stringify(v['Attached to']).includes(fromImage.id));
    assert.ok(made, 'the --boot-from-volume volume is listed as attached to the server');
    assert.equal(made.Status, 'in-use');
    assert.equal(made.Bootable, 'true');

    await demo(['volume', 'create', '--size', '1', 'data-vol']);
    await volumeStatus('data-vol', 'available');
    await demoRun(['server', 'add', 'volume', 'bfv-vm', 'data-vol']);
    const attached = await volumeStatus('data-vol', 'in-use');
    assert.match(JSON.stringify(attached.attachments), /\/dev\/vdb/);
    const listed = await demo<Row[]>(['server', 'volume', 'list', 'bfv-vm']);
    assert.deepEqual(listed.map((a) => a.Device).sort(), ['/dev/vda', '/dev/vdb']);
    await demoRun(['server', 'remove', 'volume', 'bfv-vm', 'data-vol']);
    await volumeStatus('data-vol', 'available');

    await demoRun(['server', 'delete', '--wait', 'bfv-vm', 'bfv-img']);
    await volumeStatus('root-vol', 'available');
    // The CLI leaves delete_on_termination false: the volume made from the image stays.
    await volumeStatus(made.ID as string, 'available');
    await demoRun(['volume', 'delete', 'root-vol', 'data-vol', made.ID as string]);
  });
});
