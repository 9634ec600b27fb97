/**
 * The volume driver contract: what a block storage backend does for the
 * volume service. One driver instance serves one backend of
 * `volume.enabled_backends`.
 *
 * Vocabulary:
 * - A *volume* and a *snapshot* are named by their Cinder ids; where and how
 *   the backend keeps their bytes (a file path, an LV) never leaves the driver.
 * - Sizes are whole gibibytes, as in the API.
 * - An *export* makes a volume reachable by a host that will plug it into a
 *   VM: `local` gives a file path on this host (QEMU opens it directly);
 *   `nbd` gives an NBD URI served by qemu-storage-daemon for another host.
 *
 * Every method is idempotent, because the task that calls it runs again after
 * a crash: creating what exists with the same size succeeds, deleting what is
 * missing succeeds. A method that fails leaves nothing behind (bytes are made
 * under a temporary name and renamed into place). Errors are the classes of
 * `errors.ts`.
 */
import type { Readable } from 'node:stream';

export interface DriverCapabilities {
  /** Sparse volumes: only written blocks take space. */
  thinProvisioning: boolean;
  /** Volumes from snapshots share the snapshot's blocks (copy-on-write). */
  copyOnWriteFromSnapshot: boolean;
  /** Extending a volume that a VM has open (Cinder 3.42). */
  onlineExtend: boolean;
  multiattach: boolean;
  /** Export protocols the backend offers. */
  exportProtocols: ReadonlyArray<ExportProtocol>;
}

export interface BackendStats {
  /** Capacity the backend offers, in GiB. */
  totalCapacityGb: number;
  /** Free space, in GiB (the volume service subtracts what it allocated). */
  freeCapacityGb: number;
}

/** An image's bytes as the image service gives them. */
export interface ImageSource {
  data: Readable;
  /** Glance's disk_format (raw, qcow2, vmdk, ...). */
  diskFormat: string;
}

export type ExportProtocol = 'local' | 'nbd';

/** The host a volume is exported to (Nova's connector). */
export interface Connector {
  host: string;
  /** `local` when the host is this one; `nbd` to reach it over the network. */
  protocol: ExportProtocol;
}

/**
 * What the host needs to open the volume: Cinder's `connection_info`.
 * `local`: `{ driver_volume_type: 'local', data: { device_path, format } }`;
 * `nbd`: `{ driver_volume_type: 'nbd', data: { uri, format: 'raw' } }`.
 */
export interface ConnectionInfo {
  driver_volume_type: ExportProtocol;
  data: Record<string, string | boolean>;
}

export interface VolumeDriver {
  /** The backend's `volume_backend_name`. */
  readonly backendName: string;
  capabilities(): DriverCapabilities;
  /** Re-reads what the driver records in the data directory after a state snapshot replaced it. */
  reloadState?(): void;
  stats(): Promise<BackendStats>;

  /** Makes a blank volume of `sizeGb` (zeroes). Undo: `deleteVolume`. */
  createVolume(volumeId: string, sizeGb: number): Promise<void>;
  /** Removes the volume's bytes; succeeds when it does not exist. */
  deleteVolume(volumeId: string): Promise<void>;
  /** Grows the volume to `sizeGb` (never shrinks); already that size succeeds. */
  extendVolume(volumeId: string, sizeGb: number): Promise<void>;
  /** A new volume with the bytes of `sourceId`, grown to `sizeGb`. */
  cloneVolume(volumeId: string, sourceId: string, sizeGb: number): Promise<void>;
  /** A point-in-time copy of the volume. Undo: `deleteSnapshot`. */
  createSnapshot(snapshotId: string, volumeId: string): Promise<void>;
  /** Removes a snapshot; volumes made from it keep their bytes. Missing succeeds. */
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** A new volume with the snapshot's bytes, grown to `sizeGb`. */
  createVolumeFromSnapshot(volumeId: string, snapshotId: string, sizeGb: number): Promise<void>;
  /**
   * A new volume holding the image's disk (converted from its format), grown
   * to `sizeGb`. Throws `ImageTooLarge` when the disk does not fit.
   */
  copyImageToVolume(volumeId: string, image: ImageSource, sizeGb: number): Promise<void>;
  /** The volume's disk in `diskFormat` (raw or qcow2), for an image upload. */
  copyVolumeToImage(volumeId: string, diskFormat: string): Promise<Readable>;
  /** The volume's raw bytes (backups read them). */
  readVolume(volumeId: string): Promise<Readable>;
  /** The snapshot's raw bytes (a backup of a snapshot reads them). */
  readSnapshot(snapshotId: string): Promise<Readable>;
  /** Replaces the volume's bytes with raw `data` (backup restore); the size stays. */
  writeVolume(volumeId: string, data: Readable): Promise<void>;

  /** Makes the volume reachable by `connector`'s host. Undo: `unexportVolume`. */
  exportVolume(volumeId: string, connector: Connector): Promise<ConnectionInfo>;
  /** Ends an export; succeeds when there is none. */
  unexportVolume(volumeId: string, connector: Connector): Promise<void>;
}

export const GIB = 1024 ** 3;
