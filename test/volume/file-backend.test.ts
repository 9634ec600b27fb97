/**
 * The `file` backend's bytes: a volume made from a 50 MiB image holds the
 * image's bytes, a snapshot and a volume from it hold the same, extend grows
 * the file, and upload-to-image gives the bytes back through Glance.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imageClient } from '../image/support.js';
import type { TestServer } from '../support/server.js';
import { qemuImgAvailable, startVolumeServer, volumeClient, type VolumeClient } from './support.js';
import type { Json } from '../support/json.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const hasQemuImg = qemuImgAvailable();

/** The first `length` bytes of a (sparse, large) file, without reading the rest. */
function head(path: string, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

describe('file backend bytes (qcow2)', { skip: hasQemuImg ? false : 'qemu-img (Debian qemu-utils) is not installed' }, () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  const imageBytes = randomBytes(50 * MIB);

  /** The volume's first `length` bytes, read as raw through qemu-img. */
  const volumeBytes = (id: string, length: number): Buffer => {
    const raw = join(cloud.dataDir, `check-${id}.raw`);
    execFileSync('qemu-img', ['convert', '-O', 'raw', volumePath(id), raw]);
    try {
      return head(raw, length);
    } finally {
      rmSync(raw, { force: true });
    }
  };
  const volumePath = (id: string) => join(cloud.dataDir, 'volumes', 'file', `volume-${id}.qcow2`);
  const virtualSize = (id: string) =>
    (JSON.parse(execFileSync('qemu-img', ['info', '--output=json', volumePath(id)]).toString()) as { 'virtual-size': number })['virtual-size'];

  before(async () => {
    cloud = await startVolumeServer({ volume_driver: 'file', volume_format: 'qcow2' });
    demo = await volumeClient(cloud, await cloud.demoToken());
  });
  after(() => cloud.close());

  test('image → volume → snapshot → volume → extend → upload: the bytes survive every step', { timeout: 120_000 }, async () => {
    const images = imageClient(cloud, demo.token);
    const image = await images.create({ name: 'fifty', disk_format: 'raw', container_format: 'bare' });
    assert.equal((await images.upload(image.id, imageBytes)).status, 204);

    const fromImage = await demo.call('POST', '/volumes', { volume: { size: 1, imageRef: image.id } });
    assert.equal(fromImage.status, 202, fromImage.text);
    const volumeId = fromImage.body.volume.id as string;
    const ready = await demo.waitFor(volumeId, 'available');
    assert.equal(ready.bootable, 'true');
    assert.equal(ready.volume_image_metadata.image_id, image.id);
    assert.ok(volumeBytes(volumeId, 50 * MIB).equals(imageBytes), 'the volume holds the image bytes');
    assert.equal(virtualSize(volumeId), GIB);

    const snap = await demo.call('POST', '/snapshots', { snapshot: { volume_id: volumeId } });
    await demo.waitFor(`snapshots/${snap.body.snapshot.id}`, 'available');
    const fromSnap = await demo.call('POST', '/volumes', { volume: { snapshot_id: snap.body.snapshot.id, size: 2 } });
    const copyId = fromSnap.body.volume.id as string;
    await demo.waitFor(copyId, 'available');
    assert.ok(volumeBytes(copyId, 50 * MIB).equals(imageBytes), 'the volume from the snapshot holds the same bytes');
    assert.equal(virtualSize(copyId), 2 * GIB);

    assert.equal((await demo.call('POST', `/volumes/${volumeId}/action`, { 'os-extend': { new_size: 3 } })).status, 202);
    await demo.waitFor(volumeId, 'available');
    assert.equal(virtualSize(volumeId), 3 * GIB, 'extend grew the file');

    // Deleting the snapshot flattens the copy-on-write volume made from it.
    assert.equal((await demo.call('DELETE', `/snapshots/${snap.body.snapshot.id}`)).status, 202);
    await demo.waitGone(`snapshots/${snap.body.snapshot.id}`);
    assert.ok(volumeBytes(copyId, 50 * MIB).equals(imageBytes), 'the copy keeps its bytes once the snapshot is gone');

    // qcow2 keeps the upload small: the 2 GiB volume is mostly unwritten.
    const upload = await demo.call('POST', `/volumes/${copyId}/action`, { 'os-volume_upload_image': { image_name: 'back', disk_format: 'qcow2' } });
    assert.equal(upload.status, 202, upload.text);
    const uploadedId = upload.body['os-volume_upload_image'].image_id as string;
    await demo.waitFor(copyId, 'available');
    const downloaded = await images.download(uploadedId);
    assert.equal(downloaded.status, 200);
    const qcow2 = join(cloud.dataDir, 'uploaded.qcow2');
    const raw = join(cloud.dataDir, 'uploaded.raw');
    writeFileSync(qcow2, downloaded.body);
    execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', qcow2, raw]);
    assert.ok(head(raw, 50 * MIB).equals(imageBytes), 'the uploaded image holds the volume bytes');
    rmSync(raw);

    for (const id of [volumeId, copyId]) {
      assert.equal((await demo.call('DELETE', `/volumes/${id}`)).status, 202);
      await demo.waitGone(id);
    }
    assert.throws(() => readFileSync(volumePath(volumeId)), /ENOENT/, 'the file is gone with the volume');
  });

  test('backup then restore into a new volume gives identical bytes; an incremental backup stores no unchanged chunk', { timeout: 120_000 }, async () => {
    const images = imageClient(cloud, demo.token);
    const image = await images.create({ name: 'backup-source', disk_format: 'raw', container_format: 'bare' });
    assert.equal((await images.upload(image.id, imageBytes)).status, 204);
    const source = await demo.call('POST', '/volumes', { volume: { size: 1, imageRef: image.id } });
    const sourceId = source.body.volume.id as string;
    await demo.waitFor(sourceId, 'available');

    const full = await demo.call('POST', '/backups', { backup: { volume_id: sourceId, name: 'full' } });
    assert.equal(full.status, 202, full.text);
    const fullId = full.body.backup.id as string;
    const fullDone = await waitBackup(fullId, 'available');
    assert.equal(fullDone.is_incremental, false);
    // 50 MiB of data in 32 MiB chunks: two chunk objects and the manifest; the zero chunks are not stored.
    assert.equal(fullDone.object_count, 3);
    const incremental = await demo.call('POST', '/backups', { backup: { volume_id: sourceId, name: 'incr', incremental: true } });
    const incrementalId = incremental.body.backup.id as string;
    const incrementalDone = await waitBackup(incrementalId, 'available');
    assert.equal(incrementalDone.is_incremental, true);
    assert.equal(incrementalDone.object_count, 1, "only the manifest: every chunk is the parent's");
    assert.equal((await demo.call('DELETE', `/backups/${fullId}`)).status, 400, 'a backup with incremental children stays');

    const restored = await demo.call('POST', `/backups/${incrementalId}/restore`, { restore: { name: 'restored' } });
    assert.equal(restored.status, 202, restored.text);
    const restoredId = restored.body.restore.volume_id as string;
    await demo.waitFor(restoredId, 'available');
    await waitBackup(incrementalId, 'available');
    assert.ok(volumeBytes(restoredId, 50 * MIB).equals(imageBytes), 'the restored volume holds the backed-up bytes');

    // The object store runs, so the chunks and manifests lie in Swift, in the project's account.
    const swiftListing = async () => {
      const listed = await cloud.request('GET', `/object-store/v1/AUTH_${demo.projectId}/volumebackups?format=json`, { token: demo.token });
      assert.equal(listed.status, 200, listed.text);
      return (listed.body as Array<{ name: string }>).map((o) => o.name);
    };
    assert.deepEqual(
      await swiftListing(),
      [`backup_${fullId}/chunk-000000`, `backup_${fullId}/chunk-000001`, `backup_${fullId}/manifest.json`, `backup_${incrementalId}/manifest.json`].sort(),
    );
    assert.ok(!existsSync(join(cloud.dataDir, 'backups')), 'no backup files beside Swift');

    for (const id of [incrementalId, fullId]) {
      assert.equal((await demo.call('DELETE', `/backups/${id}`)).status, 202);
      await demo.waitGone(`backups/${id}`);
    }
    assert.deepEqual(await swiftListing(), []);
  });

  const waitBackup = async (id: string, status: string): Promise<Json> => {
    for (let i = 0; i < 400; i++) {
      const backup = (await demo.call('GET', `/backups/${id}`)).body.backup;
      if (backup?.status === status) return backup;
      if (backup?.status === 'error') throw new Error(`backup failed: ${backup.fail_reason}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`backup ${id} never reached ${status}`);
  };
});
