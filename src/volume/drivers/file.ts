/**
 * The `file` backend: each volume and snapshot is one raw or qcow2 file under
 * the backend's directory, made and converted with qemu-img.
 *
 * - Snapshots are standalone copies; with qcow2, a volume made from a
 *   snapshot is a copy-on-write overlay backed by the snapshot file, and
 *   deleting the snapshot first flattens those overlays.
 * - Every file is made under a `.tmp-` name and renamed into place, so a
 *   crash never leaves a half-made volume; `sweep()` at start removes the
 *   temporaries, and the interrupted task, run again, makes the file anew.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackendObjectNotFound, BackendUnsupported, ImageTooLarge } from './errors.js';
import { GIB, type BackendStats, type ConnectionInfo, type Connector, type DriverCapabilities, type ImageSource, type VolumeDriver } from './driver.js';
import { nbdRunDir, startNbdExport, stopNbdExport } from './nbd.js';
import { convertDisk, createDisk, diskInfo, flattenDisk, resizeDisk, type DiskFormat } from './qemu-img.js';

export interface FileDriverOptions {
  backendName: string;
  root: string;
  format: DiskFormat;
  /** Capacity reported to the scheduler; null: the file system's size. */
  totalCapacityGb: number | null;
}

/** Glance disk formats and the qemu-img format that reads them. */
const QEMU_FORMATS: Record<string, string> = {
  raw: 'raw',
  qcow2: 'qcow2',
  vmdk: 'vmdk',
  vdi: 'vdi',
  vhd: 'vpc',
  vhdx: 'vhdx',
  iso: 'raw',
  ami: 'raw',
  ari: 'raw',
  aki: 'raw',
};

export class FileVolumeDriver implements VolumeDriver {
  readonly backendName: string;

  constructor(private readonly options: FileDriverOptions) {
    this.backendName = options.backendName;
  }

  capabilities(): DriverCapabilities {
    return {
      thinProvisioning: true,
      copyOnWriteFromSnapshot: this.options.format === 'qcow2',
      onlineExtend: true,
      multiattach: true,
      exportProtocols: ['local', 'nbd'],
    };
  }

  async stats(): Promise<BackendStats> {
    await mkdir(this.options.root, { recursive: true });
    const fs = await statfs(this.options.root);
    const free = Math.floor((fs.bavail * fs.bsize) / GIB);
    const total = this.options.totalCapacityGb ?? Math.floor((fs.blocks * fs.bsize) / GIB);
    return { totalCapacityGb: total, freeCapacityGb: Math.min(free, total) };
  }

  /** Removes temporaries a crash left; returns how many. */
  async sweep(): Promise<number> {
    await mkdir(this.options.root, { recursive: true });
    const leftovers = (await readdir(this.options.root)).filter((name) => name.startsWith('.tmp-'));
    for (const name of leftovers) await rm(join(this.options.root, name), { force: true });
    return leftovers.length;
  }

  async createVolume(volumeId: string, sizeGb: number): Promise<void> {
    await this.#make(this.#volumePath(volumeId), sizeGb, (tmp) => createDisk(tmp, this.options.format, sizeGb * GIB));
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await rm(this.#volumePath(volumeId), { force: true });
  }

  async extendVolume(volumeId: string, sizeGb: number): Promise<void> {
    const path = await this.#existing(this.#volumePath(volumeId), `Volume ${volumeId}`);
    const info = await diskInfo(path, this.options.format);
    if (info.virtualSize < sizeGb * GIB) await resizeDisk(path, this.options.format, sizeGb * GIB);
  }

  async cloneVolume(volumeId: string, sourceId: string, sizeGb: number): Promise<void> {
    const source = await this.#existing(this.#volumePath(sourceId), `Volume ${sourceId}`);
    await this.#make(this.#volumePath(volumeId), sizeGb, (tmp) => convertDisk(source, this.options.format, tmp, this.options.format));
  }

  async createSnapshot(snapshotId: string, volumeId: string): Promise<void> {
    const source = await this.#existing(this.#volumePath(volumeId), `Volume ${volumeId}`);
    await this.#make(this.#snapshotPath(snapshotId), null, (tmp) => convertDisk(source, this.options.format, tmp, this.options.format));
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const path = this.#snapshotPath(snapshotId);
    if (!(await exists(path))) return;
    if (this.options.format === 'qcow2') {
      for (const dependent of await this.#overlaysOf(path)) await flattenDisk(dependent);
    }
    await rm(path, { force: true });
  }

  async createVolumeFromSnapshot(volumeId: string, snapshotId: string, sizeGb: number): Promise<void> {
    const source = await this.#existing(this.#snapshotPath(snapshotId), `Snapshot ${snapshotId}`);
    const format = this.options.format;
    await this.#make(this.#volumePath(volumeId), sizeGb, (tmp) =>
      format === 'qcow2' ? createDisk(tmp, 'qcow2', sizeGb * GIB, { path: source, format }) : convertDisk(source, format, tmp, format),
    );
  }

  async copyImageToVolume(volumeId: string, image: ImageSource, sizeGb: number): Promise<void> {
    const sourceFormat = QEMU_FORMATS[image.diskFormat];
    if (!sourceFormat) {
      image.data.destroy();
      throw new BackendUnsupported(`Image disk format ${image.diskFormat} cannot be written to a volume.`);
    }
    const download = this.#tempPath('image');
    try {
      await pipeline(image.data, createWriteStream(download));
      const info = await diskInfo(download, sourceFormat);
      if (info.virtualSize > sizeGb * GIB) throw new ImageTooLarge(info.virtualSize, sizeGb);
      await this.#make(this.#volumePath(volumeId), sizeGb, (tmp) => convertDisk(download, sourceFormat, tmp, this.options.format));
    } finally {
      await rm(download, { force: true });
    }
  }

  async copyVolumeToImage(volumeId: string, diskFormat: string): Promise<Readable> {
    if (diskFormat !== 'raw' && diskFormat !== 'qcow2') {
      throw new BackendUnsupported(`Volumes can be uploaded as raw or qcow2 images, not ${diskFormat}.`);
    }
    return this.#exportAs(volumeId, diskFormat);
  }

  async readVolume(volumeId: string): Promise<Readable> {
    return this.#exportAs(volumeId, 'raw');
  }

  async readSnapshot(snapshotId: string): Promise<Readable> {
    return this.#convertOut(await this.#existing(this.#snapshotPath(snapshotId), `Snapshot ${snapshotId}`), 'raw');
  }

  async writeVolume(volumeId: string, data: Readable): Promise<void> {
    const path = await this.#existing(this.#volumePath(volumeId), `Volume ${volumeId}`);
    const size = (await diskInfo(path, this.options.format)).virtualSize;
    const incoming = this.#tempPath('restore');
    try {
      await pipeline(data, createWriteStream(incoming));
      const converted = this.#tempPath('restore');
      try {
        await convertDisk(incoming, 'raw', converted, this.options.format);
        await resizeDisk(converted, this.options.format, size);
        await rename(converted, path);
      } finally {
        await rm(converted, { force: true });
      }
    } finally {
      await rm(incoming, { force: true });
    }
  }

  /**
   * `local`: the file's path. `nbd`: the file served by qemu-storage-daemon
   * as a raw disk (see nbd.ts), adopted when already running.
   */
  async exportVolume(volumeId: string, connector: Connector): Promise<ConnectionInfo> {
    if (connector.protocol !== 'local' && connector.protocol !== 'nbd') {
      throw new BackendUnsupported(`The file backend exports volumes as local paths or NBD (asked: ${String(connector.protocol)}).`);
    }
    const path = await this.#existing(this.#volumePath(volumeId), `Volume ${volumeId}`);
    if (connector.protocol === 'local') return { driver_volume_type: 'local', data: { device_path: path, format: this.options.format } };
    const served = await startNbdExport(nbdRunDir(this.options.root), `volume-${safeId(volumeId)}`, path, this.options.format);
    return { driver_volume_type: 'nbd', data: { uri: served.uri, format: 'raw' } };
  }

  /** A local export is a path, with nothing to tear down; an NBD export's daemon is stopped. */
  async unexportVolume(volumeId: string, connector: Connector): Promise<void> {
    if (connector.protocol === 'nbd') await stopNbdExport(nbdRunDir(this.options.root), `volume-${safeId(volumeId)}`);
  }

  /** Makes `target` through a temporary file (skipped when it exists), then sets its size. */
  async #make(target: string, sizeGb: number | null, fill: (tmp: string) => Promise<void>): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    if (!(await exists(target))) {
      const tmp = this.#tempPath('make');
      try {
        await fill(tmp);
        if (sizeGb !== null) await this.#growTo(tmp, sizeGb);
        await rename(tmp, target);
      } finally {
        await rm(tmp, { force: true });
      }
      return;
    }
    if (sizeGb !== null) await this.#growTo(target, sizeGb);
  }

  async #growTo(path: string, sizeGb: number): Promise<void> {
    const info = await diskInfo(path, this.options.format);
    if (info.virtualSize < sizeGb * GIB) await resizeDisk(path, this.options.format, sizeGb * GIB);
  }

  /** A converted copy in a temporary file, removed once the stream closes. */
  async #exportAs(volumeId: string, format: string): Promise<Readable> {
    return this.#convertOut(await this.#existing(this.#volumePath(volumeId), `Volume ${volumeId}`), format);
  }

  /** The disk at `path` converted to `format` in a temporary file, removed once read. */
  async #convertOut(path: string, format: string): Promise<Readable> {
    const tmp = this.#tempPath('export');
    try {
      await convertDisk(path, this.options.format, tmp, format);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const stream = createReadStream(tmp);
    stream.once('close', () => void rm(tmp, { force: true }));
    return stream;
  }

  async #overlaysOf(snapshotPath: string): Promise<string[]> {
    const overlays: string[] = [];
    for (const name of await readdir(this.options.root)) {
      if (!name.startsWith('volume-')) continue;
      const path = join(this.options.root, name);
      const info = await diskInfo(path, 'qcow2').catch(() => null);
      if (info?.backingFile === snapshotPath) overlays.push(path);
    }
    return overlays;
  }

  async #existing(path: string, what: string): Promise<string> {
    if (!(await exists(path))) throw new BackendObjectNotFound(what);
    return path;
  }

  #volumePath(id: string): string {
    return join(this.options.root, `volume-${safeId(id)}.${this.options.format}`);
  }

  #snapshotPath(id: string): string {
    return join(this.options.root, `snapshot-${safeId(id)}.${this.options.format}`);
  }

  #tempPath(purpose: string): string {
    return join(this.options.root, `.tmp-${purpose}-${randomUUID()}`);
  }
}

/** Ids come from the service (UUIDs); refuse anything that could leave the directory. */
function safeId(id: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new BackendUnsupported(`Invalid object id ${JSON.stringify(id)}`);
  return id;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}
