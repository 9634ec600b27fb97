/**
 * The image API through Debian's `openstack` CLI, as a user drives it.
 * Skips (saying why) where python3-openstackclient is not installed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';
import type { Json } from '../support/json.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

/** Writes `size` random bytes to `file` a MiB at a time. */
function writeRandomFile(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += 1 << 20) writeSync(fd, randomBytes(Math.min(1 << 20, size - written)));
  } finally {
    closeSync(fd);
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('openstack CLI: image', { skip }, () => {
  let cloud: TestServer;
  let dir: string;
  type Fields = Json;
  const admin = (args: string[]) => openstackJson<Fields>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminList = (args: string[]) => openstackJson<Fields[]>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const demoRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoList = (args: string[]) => openstackJson<Fields[]>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  // Without --file, `image create` reads image data from stdin (the test's pipe, never closed): give it an empty file.
  const adminNoData = (args: string[]) => admin([...args.slice(0, 2), '--file', '/dev/null', ...args.slice(2)]);

  before(async () => {
    cloud = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'nimbus-image-cli-'));
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await cloud?.close();
  });

  test('image create --file of 100 MiB, then image save gives back identical bytes', { timeout: 240_000 }, async () => {
    const source = join(dir, 'disk.raw');
    writeRandomFile(source, 100 * 1024 * 1024);
    const image = await admin(['image', 'create', '--file', source, '--disk-format', 'raw', '--container-format', 'bare', 'cli-big']);
    assert.equal(image.name, 'cli-big');
    const shown = await admin(['image', 'show', 'cli-big']);
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, 100 * 1024 * 1024);
    const saved = join(dir, 'saved.raw');
    const save = await adminRun(['image', 'save', '--file', saved, 'cli-big']);
    assert.equal(save.code, 0, save.stderr);
    assert.equal(await sha256(saved), await sha256(source));
    rmSync(source);
    rmSync(saved);
  });

  test('image list --property, image set --tag and --property', async () => {
    const source = join(dir, 'small.raw');
    writeRandomFile(source, 64 * 1024);
    await admin(['image', 'create', '--file', source, '--disk-format', 'qcow2', '--container-format', 'bare', '--property', 'os_distro=cirros', 'cli-tagged']);
    await adminNoData(['image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--property', 'os_distro=debian', 'cli-other']);
    const listed = await adminList(['image', 'list', '--property', 'os_distro=cirros']);
    assert.deepEqual(
      listed.map((i) => i.Name),
      ['cli-tagged'],
    );
    assert.equal((await adminRun(['image', 'set', '--tag', 'blue', '--tag', 'small', '--property', 'hw_disk_bus=virtio', 'cli-tagged'])).code, 0);
    const shown = await admin(['image', 'show', 'cli-tagged']);
    assert.deepEqual([...shown.tags].sort(), ['blue', 'small']);
    assert.equal(shown.properties.hw_disk_bus, 'virtio');
    const tagged = await adminList(['image', 'list', '--tag', 'blue']);
    assert.deepEqual(
      tagged.map((i) => i.Name),
      ['cli-tagged'],
    );
    assert.equal((await adminRun(['image', 'unset', '--tag', 'small', '--property', 'hw_disk_bus', 'cli-tagged'])).code, 0);
    const unset = await admin(['image', 'show', 'cli-tagged']);
    assert.deepEqual(unset.tags, ['blue']);
    assert.equal(unset.properties.hw_disk_bus, undefined);
  });

  test('image add project, then image set --accept from the member project', async () => {
    const image = await adminNoData(['image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--shared', 'cli-shared']);
    assert.ok(!(await demoList(['image', 'list'])).some((i) => i.ID === image.id), 'not offered yet');
    const member = await admin(['image', 'add', 'project', 'cli-shared', 'demo']);
    assert.equal(member.status, 'pending');
    assert.ok(!(await demoList(['image', 'list'])).some((i) => i.ID === image.id), 'pending: not in the default list');
    const accept = await demoRun(['image', 'set', '--accept', image.id]);
    assert.equal(accept.code, 0, accept.stderr);
    assert.ok(
      (await demoList(['image', 'list'])).some((i) => i.ID === image.id),
      'accepted: listed',
    );
    const members = await adminList(['image', 'member', 'list', 'cli-shared']);
    assert.deepEqual(
      members.map((m) => m.Status),
      ['accepted'],
    );
    assert.equal((await adminRun(['image', 'remove', 'project', 'cli-shared', 'demo'])).code, 0);
    assert.ok(!(await demoList(['image', 'list'])).some((i) => i.ID === image.id));
  });

  test('image set --deactivate and --activate, then image delete', async () => {
    const source = join(dir, 'toggle.raw');
    writeRandomFile(source, 4096);
    await admin(['image', 'create', '--file', source, '--disk-format', 'raw', '--container-format', 'bare', 'cli-toggle']);
    assert.equal((await adminRun(['image', 'set', '--deactivate', 'cli-toggle'])).code, 0);
    assert.equal((await admin(['image', 'show', 'cli-toggle'])).status, 'deactivated');
    assert.equal((await adminRun(['image', 'set', '--activate', 'cli-toggle'])).code, 0);
    assert.equal((await admin(['image', 'show', 'cli-toggle'])).status, 'active');
    assert.equal((await adminRun(['image', 'set', '--protected', 'cli-toggle'])).code, 0);
    assert.notEqual((await adminRun(['image', 'delete', 'cli-toggle'])).code, 0, 'protected');
    assert.equal((await adminRun(['image', 'set', '--unprotected', 'cli-toggle'])).code, 0);
    assert.equal((await adminRun(['image', 'delete', 'cli-toggle'])).code, 0);
    assert.notEqual((await adminRun(['image', 'show', 'cli-toggle'])).code, 0);
  });
});
