/**
 * The `fake` backend: the same contract, states and errors as a real one,
 * without bytes. It remembers volume and snapshot sizes in a JSON file (so a
 * restart finds them, as a real backend's files survive), reads back as
 * empty, and can be told to fail or slow down per method for tests.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { BackendObjectNotFound, BackendUnsupported, ImageTooLarge } from './errors.js';
import { GIB, type BackendStats, type ConnectionInfo, type Connector, type DriverCapabilities, type ImageSource, type VolumeDriver } from './driver.js';

export interface FakeDriverOptions {
  backendName: string;
  /** Where the fake keeps its state; null keeps it in memory only. */
  stateFile: string | null;
  totalCapacityGb: number;
  /** Per method: milliseconds to wait before doing it. */
  delays?: Partial<Record<keyof VolumeDriver, number>>;
  /** Per method: the message of an error it throws instead of working. */
  fail?: Partial<Record<keyof VolumeDriver, string>>;
}

interface FakeState {
  volumes: Record<string, number>;
  snapshots: Record<string, number>;
}

export class FakeVolumeDriver implements VolumeDriver {
  readonly backendName: string;
  #state: FakeState;

  constructor(private readonly options: FakeDriverOptions) {
    this.backendName = options.backendName;
    this.#state = load(options.stateFile);
  }

  reloadState(): void {
    this.#state = load(this.options.stateFile);
  }

  capabilities(): DriverCapabilities {
    return { thinProvisioning: true, copyOnWriteFromSnapshot: true, onlineExtend: true, multiattach: true, exportProtocols: ['local', 'nbd'] };
  }

  async stats(): Promise<BackendStats> {
    const used = Object.values(this.#state.volumes).reduce((a, b) => a + b, 0);
    return { totalCapacityGb: this.options.totalCapacityGb, freeCapacityGb: Math.max(0, this.options.totalCapacityGb - used) };
  }

  async createVolume(volumeId: string, sizeGb: number): Promise<void> {
    await this.#enter('createVolume');
    this.#state.volumes[volumeId] = Math.max(this.#state.volumes[volumeId] ?? 0, sizeGb);
    this.#save();
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await this.#enter('deleteVolume');
    delete this.#state.volumes[volumeId];
    this.#save();
  }

  async extendVolume(volumeId: string, sizeGb: number): Promise<void> {
    await this.#enter('extendVolume');
    const size = this.#volume(volumeId);
    this.#state.volumes[volumeId] = Math.max(size, sizeGb);
    this.#save();
  }

  async cloneVolume(volumeId: string, sourceId: string, sizeGb: number): Promise<void> {
    await this.#enter('cloneVolume');
    this.#volume(sourceId);
    this.#state.volumes[volumeId] = sizeGb;
    this.#save();
  }

  async createSnapshot(snapshotId: string, volumeId: string): Promise<void> {
    await this.#enter('createSnapshot');
    this.#state.snapshots[snapshotId] = this.#volume(volumeId);
    this.#save();
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.#enter('deleteSnapshot');
    delete this.#state.snapshots[snapshotId];
    this.#save();
  }

  async createVolumeFromSnapshot(volumeId: string, snapshotId: string, sizeGb: number): Promise<void> {
    await this.#enter('createVolumeFromSnapshot');
    if (this.#state.snapshots[snapshotId] === undefined) throw new BackendObjectNotFound(`Snapshot ${snapshotId}`);
    this.#state.volumes[volumeId] = sizeGb;
    this.#save();
  }

  async copyImageToVolume(volumeId: string, image: ImageSource, sizeGb: number): Promise<void> {
    await this.#enter('copyImageToVolume');
    // The fake takes an image's byte count as its disk size.
    let bytes = 0;
    for await (const chunk of image.data) bytes += (chunk as Buffer).length;
    if (bytes > sizeGb * GIB) throw new ImageTooLarge(bytes, sizeGb);
    this.#state.volumes[volumeId] = sizeGb;
    this.#save();
  }

  async copyVolumeToImage(volumeId: string, diskFormat: string): Promise<Readable> {
    await this.#enter('copyVolumeToImage');
    if (diskFormat !== 'raw' && diskFormat !== 'qcow2') throw new BackendUnsupported(`Volumes can be uploaded as raw or qcow2 images, not ${diskFormat}.`);
    this.#volume(volumeId);
    return Readable.from([]);
  }

  async readVolume(volumeId: string): Promise<Readable> {
    await this.#enter('readVolume');
    this.#volume(volumeId);
    return Readable.from([]);
  }

  async readSnapshot(snapshotId: string): Promise<Readable> {
    await this.#enter('readSnapshot');
    if (this.#state.snapshots[snapshotId] === undefined) throw new BackendObjectNotFound(`Snapshot ${snapshotId}`);
    return Readable.from([]);
  }

  async writeVolume(volumeId: string, data: Readable): Promise<void> {
    await this.#enter('writeVolume');
    this.#volume(volumeId);
    for await (const chunk of data) void chunk;
  }

  async exportVolume(volumeId: string, connector: Connector): Promise<ConnectionInfo> {
    await this.#enter('exportVolume');
    this.#volume(volumeId);
    return connector.protocol === 'nbd'
      ? { driver_volume_type: 'nbd', data: { uri: `nbd://${connector.host}:10809/volume-${volumeId}`, format: 'raw' } }
      : { driver_volume_type: 'local', data: { device_path: `/dev/null#volume-${volumeId}`, format: 'raw' } };
  }

  async unexportVolume(): Promise<void> {
    await this.#enter('unexportVolume');
  }

  #volume(id: string): number {
    const size = this.#state.volumes[id];
    if (size === undefined) throw new BackendObjectNotFound(`Volume ${id}`);
    return size;
  }

  async #enter(method: keyof VolumeDriver): Promise<void> {
    const wait = this.options.delays?.[method];
    if (wait) await delay(wait);
    const failure = this.options.fail?.[method];
    if (failure) throw new Error(failure);
  }

  #save(): void {
    const file = this.options.stateFile;
    if (file === null) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(this.#state));
    renameSync(`${file}.tmp`, file);
  }
}

function load(file: string | null): FakeState {
  if (file === null) return { volumes: {}, snapshots: {} };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FakeState;
  } catch {
    return { volumes: {}, snapshots: {} };
  }
}
