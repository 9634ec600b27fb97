/**
 * The block storage API through Debian's `openstack` CLI, as a user drives
 * it, on the `file` backend. Skips (saying why) where python3-openstackclient
 * or qemu-img is not installed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { qemuImgAvailable, startVolumeServer } from '../volume/support.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';
import type { Json } from '../support/json.js';

const skip = !openstackAvailable()
  ? 'the openstack CLI is not installed (apt-get install python3-openstackclient)'
  : !qemuImgAvailable()
    ? 'qemu-img is not installed (apt-get install qemu-utils)'
    : false;

describe('openstack CLI: volume', { skip }, () => {
  let cloud: TestServer;
  type Fields = Json;
  const admin = (args: string[]) => openstackJson<Fields>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const demo = (args: string[]) => openstackJson<Fields>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoList = (args: string[]) => openstackJson<Fields[]>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);

  /** Polls `volume show` / `volume snapshot show` until the status. */
  const waitFor = async (kind: string[], name: string, status: string): Promise<Fields> => {
    for (let i = 0; i < 60; i++) {
      const shown = await demo([...kind, 'show', name]);
      if (shown.status === status) return shown;
      if (String(shown.status).startsWith('error')) throw new Error(`${name} went to ${shown.status}`);
      await delay(250);
    }
    throw new Error(`${name} never reached ${status}`);
  };
  const waitGone = async (kind: string[], name: string) => {
    for (let i = 0; i < 60; i++) {
      if ((await demoRun([...kind, 'show', name])).code !== 0) return;
      await delay(250);
    }
    throw new Error(`${name} is still there`);
  };

  before(async () => {
    cloud = await startVolumeServer({ volume_driver: 'file', volume_format: 'qcow2' });
  });
  after(() => cloud.close());

  test('quota set --volumes as cinderclient sends it (with tenant_id), then quota show (issue 21)', async () => {
    const set = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'quota', 'set', '--volumes', '17', '--snapshots', '9', 'demo']);
    assert.equal(set.code, 0, set.stderr);
    const shown = await admin(['quota', 'show', 'demo']);
    assert.equal(shown.volumes, 17);
    assert.equal(shown.snapshots, 9);
  });

  test('block storage resource filter list (3.33) names the filters of each list (issue 21)', async () => {
    const filters = await openstackJson<Array<Record<string, unknown>>>(cloud.cloudsYaml, [
      '--os-cloud',
      'nimbus-demo',
      '--os-volume-api-version',
      '3.33',
      'block',
      'storage',
      'resource',
      'filter',
      'list',
    ]);
    const volume = filters.find((row) => row.Resource === 'volume');
    assert.ok(volume, JSON.stringify(filters));
    assert.match(String(volume.Filters), /availability_zone/);
    const old = await demoRun(['--os-volume-api-version', '3.32', 'block', 'storage', 'resource', 'filter', 'list']);
    assert.notEqual(old.code, 0, 'before 3.33 there is no such resource');
  });

  test('volume type create --property; volume create --size/--image/--snapshot; list, show, set, delete', { timeout: 600_000 }, async () => {
    const type = await admin(['volume', 'type', 'create', '--property', 'volume_backend_name=file', 'gold']);
    assert.equal(type.name, 'gold');
    assert.match(String(JSON.stringify(type.properties)), /volume_backend_name/);

    const v1 = await demo(['volume', 'create', '--size', '1', '--type', 'gold', 'v1']);
    assert.equal(v1.size, 1);
    await waitFor(['volume'], 'v1', 'available');
    assert.ok((await demoList(['volume', 'list'])).some((v) => v.Name === 'v1'));

    const set = await demoRun(['volume', 'set', '--name', 'v1b', '--property', 'tier=fast', '--description', 'renamed', 'v1']);
    assert.equal(set.code, 0, set.stderr);
    const shown = await demo(['volume', 'show', 'v1b']);
    assert.equal(shown.description, 'renamed');
    assert.match(JSON.stringify(shown.properties), /tier/);
    assert.equal(shown.type, 'gold');

    const snap = await demo(['volume', 'snapshot', 'create', '--volume', 'v1b', 's1']);
    assert.equal(snap.name, 's1');
    await waitFor(['volume', 'snapshot'], 's1', 'available');
    await demo(['volume', 'create', '--snapshot', 's1', '--size', '2', 'v2']);
    const v2 = await waitFor(['volume'], 'v2', 'available');
    assert.equal(v2.size, 2);

    const disk = join(cloud.dataDir, 'cli-image.raw');
    writeFileSync(disk, Buffer.alloc(1024 * 1024, 7));
    const image = await demo(['image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--file', disk, 'cli-image']);
    await demo(['volume', 'create', '--image', image.id, '--size', '1', 'v3']);
    const v3 = await waitFor(['volume'], 'v3', 'available');
    assert.equal(v3.bootable, 'true');

    const extend = await demoRun(['volume', 'set', '--size', '2', 'v3']);
    assert.equal(extend.code, 0, extend.stderr);
    assert.equal((await waitFor(['volume'], 'v3', 'available')).size, 2);

    const backup = await demo(['volume', 'backup', 'create', '--name', 'b1', 'v3']);
    for (let i = 0; i < 120 && (await demo(['volume', 'backup', 'show', backup.id])).status !== 'available'; i++) await delay(250);
    // A name no volume has: the backup is restored into a new volume of that name.
    // Debian's python3-openstackclient returns the restore object where a
    // (columns, data) pair is expected, so the command fails while printing,
    // after the server accepted the restore (fixed in later openstackclient).
    const restore = await demoRun(['volume', 'backup', 'restore', backup.id, 'v4']);
    if (restore.code !== 0) assert.match(restore.stderr, /cannot unpack non-iterable VolumeBackupsRestore object/);
    await waitFor(['volume'], 'v4', 'available');
    for (let i = 0; i < 120 && (await demo(['volume', 'backup', 'show', backup.id])).status !== 'available'; i++) await delay(250);
    assert.equal((await demoRun(['volume', 'backup', 'delete', backup.id])).code, 0);
    assert.equal((await demoRun(['volume', 'delete', 'v4'])).code, 0);

    const refused = await demoRun(['volume', 'delete', 'v1b']);
    assert.notEqual(refused.code, 0, 'a volume with snapshots is not deleted');
    for (const name of ['v2', 'v3']) {
      assert.equal((await demoRun(['volume', 'delete', name])).code, 0);
      await waitGone(['volume'], name);
    }
    assert.equal((await demoRun(['volume', 'snapshot', 'delete', 's1'])).code, 0);
    await waitGone(['volume', 'snapshot'], 's1');
    const offer = await demo(['volume', 'transfer', 'request', 'create', '--name', 'gift', 'v1b']);
    assert.ok(offer.auth_key, JSON.stringify(offer));
    const accept = await admin(['volume', 'transfer', 'request', 'accept', '--auth-key', offer.auth_key, offer.id]);
    assert.equal(accept.volume_id, shown.id);
    const moved = await admin(['volume', 'show', shown.id]);
    assert.equal(moved.status, 'available');
    assert.equal((await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'volume', 'delete', shown.id])).code, 0);
  });
});
