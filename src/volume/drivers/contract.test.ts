/** One contract suite for every volume driver: the fake always, the file backend (raw and qcow2) where qemu-img is installed. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { qemuImgAvailable } from '../../../test/volume/support.js';
import { BackendObjectNotFound, BackendUnsupported, FakeVolumeDriver, FileVolumeDriver, ImageTooLarge, type VolumeDriver } from './index.js';

const qemuImg = qemuImgAvailable();

const DRIVERS: Array<{ name: string; skip: string | false; make(root: string): VolumeDriver }> = [
  { name: 'fake', skip: false, make: (root) => new FakeVolumeDriver({ backendName: 'fake', stateFile: join(root, 'fake.json'), totalCapacityGb: 100 }) },
  ...(['raw', 'qcow2'] as const).map((format) => ({
    name: `file (${format})`,
    skip: qemuImg ? (false as const) : 'qemu-img (Debian qemu-utils) is not installed',
    make: (root: string) => new FileVolumeDriver({ backendName: 'file', root, format, totalCapacityGb: 100 }),
  })),
];

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

for (const entry of DRIVERS) {
  describe(`volume driver contract: ${entry.name}`, { skip: entry.skip }, () => {
    const withDriver = async (fn: (driver: VolumeDriver, root: string) => Promise<void>) => {
      const root = mkdtempSync(join(tmpdir(), 'nimbus-volume-driver-'));
      try {
        await fn(entry.make(root), root);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    };

    test('create, extend, snapshot, volume from snapshot, clone; every step idempotent', () =>
      withDriver(async (driver) => {
        await driver.createVolume('v1', 1);
        await driver.createVolume('v1', 1);
        await driver.extendVolume('v1', 2);
        await driver.extendVolume('v1', 2);
        await driver.createSnapshot('s1', 'v1');
        await driver.createVolumeFromSnapshot('v2', 's1', 3);
        await driver.createVolumeFromSnapshot('v2', 's1', 3);
        await driver.cloneVolume('v3', 'v1', 2);
        await drain(await driver.readSnapshot('s1'));
        await driver.deleteSnapshot('s1');
        await driver.deleteSnapshot('s1');
        // The volume from the snapshot still reads after the snapshot is gone.
        await drain(await driver.readVolume('v2'));
        for (const id of ['v1', 'v2', 'v3']) await driver.deleteVolume(id);
        await driver.deleteVolume('v1');
      }));

    test('missing objects are BackendObjectNotFound; unknown export protocols and formats are refused', () =>
      withDriver(async (driver) => {
        await assert.rejects(driver.extendVolume('nope', 2), BackendObjectNotFound);
        await assert.rejects(driver.createSnapshot('s', 'nope'), BackendObjectNotFound);
        await assert.rejects(driver.createVolumeFromSnapshot('v', 'nope', 1), BackendObjectNotFound);
        await driver.createVolume('v1', 1);
        await assert.rejects(driver.copyVolumeToImage('v1', 'vmdk'), BackendUnsupported);
        const local = await driver.exportVolume('v1', { host: 'here', protocol: 'local' });
        assert.equal(local.driver_volume_type, 'local');
        await driver.unexportVolume('v1', { host: 'here', protocol: 'local' });
      }));

    test(
      'NBD export: qemu-io writes and reads through it, a new driver adopts it, unexport stops it and the bytes are in the volume',
      { skip: entry.name === 'fake' ? 'the fake serves no bytes' : false },
      () =>
        withDriver(async (driver, root) => {
          await driver.createVolume('v1', 1);
          const connector = { host: 'here', protocol: 'nbd' as const };
          const info = await driver.exportVolume('v1', connector);
          try {
            assert.equal(info.driver_volume_type, 'nbd');
            assert.equal(info.data.format, 'raw');
            const uri = String(info.data.uri);
            assert.match(uri, /^nbd\+unix:\/\/\/volume-v1\?socket=/);
            execFileSync('qemu-io', ['-f', 'raw', '-c', 'write -P 0x5a 1M 64k', uri]);
            const read = execFileSync('qemu-io', ['-f', 'raw', '-c', 'read -P 0x5a 1M 64k', uri], { encoding: 'utf8' });
            assert.match(read, /read 65536\/65536 bytes/);
            const size = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-f', 'raw', uri], { encoding: 'utf8' })) as { 'virtual-size': number };
            assert.equal(size['virtual-size'], 1024 ** 3);
            // A restarted service (a new driver on the same directory) finds the running export.
            const again = await entry.make(root).exportVolume('v1', connector);
            assert.equal(again.data.uri, uri);
          } finally {
            await driver.unexportVolume('v1', connector);
          }
          const socket = String(info.data.uri).split('socket=')[1]!;
          assert.throws(() => execFileSync('qemu-io', ['-f', 'raw', '-c', 'read 0 512', String(info.data.uri)], { stdio: 'pipe' }));
          assert.ok(!existsSync(socket) && !existsSync(socket.replace(/\.sock$/, '.pid')), 'no socket or pid file left');
          const local = await driver.exportVolume('v1', { host: 'here', protocol: 'local' });
          const onDisk = execFileSync('qemu-io', ['-r', '-f', String(local.data.format), '-c', 'read -P 0x5a 1M 64k', String(local.data.device_path)], {
            encoding: 'utf8',
          });
          assert.match(onDisk, /read 65536\/65536 bytes/);
          await driver.unexportVolume('v1', connector);
        }),
    );

    test('an image larger than the volume is refused with ImageTooLarge and leaves no volume', () =>
      withDriver(async (driver, root) => {
        let image: Readable;
        if (entry.name === 'fake') {
          // The fake takes the byte count as the disk size: 1 GiB and a MiB more.
          image = Readable.from(
            (function* () {
              for (let i = 0; i < 1025; i++) yield Buffer.alloc(1024 * 1024);
            })(),
          );
        } else {
          // A qcow2 disk of 2 GiB virtual size (a few KiB of file), for a 1 GiB volume.
          const path = join(root, 'big.qcow2');
          execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path, '2G']);
          image = createReadStream(path);
        }
        await assert.rejects(driver.copyImageToVolume('v1', { data: image, diskFormat: entry.name === 'fake' ? 'raw' : 'qcow2' }, 1), ImageTooLarge);
        await assert.rejects(driver.extendVolume('v1', 2), BackendObjectNotFound);
        assert.deepEqual(
          readdirSync(root).filter((n) => n.startsWith('volume-') || n.startsWith('.tmp-')),
          [],
        );
      }));
  });
}
