/**
 * What the volume service offers other services in-process
 * (`deps.services.volume`): Nova's attach/detach of volumes to servers
 * (os-volume_attachments) and boot from volume (block_device_mapping_v2).
 * Every call carries the caller's CallerContext, so Cinder's policy and
 * quotas hold as for an API call. The REST API under /volume is a second
 * client of the same operations.
 *
 * Attach, as Nova's new-style flow does it:
 *   reserve(volume, server) → attachment id (volume `reserved`)
 *   connect(attachment, connector) → connection info for the hypervisor
 *   (the hypervisor plugs the disk in)
 *   complete(attachment) (volume `in-use`)
 * Detach: detach(attachment) (export ended, volume `available`).
 * Boot from volume: createVolume with an image, snapshot or source volume,
 * waitForVolume until `available`, then attach as above;
 * delete_on_termination: detach then deleteVolume.
 */
import type { CallerContext } from '../core/context.js';
import type { ConnectionInfo } from './drivers/driver.js';
import type { VolumeServiceOps } from './service/index.js';
import type { Volume } from './store/index.js';

export type { ConnectionInfo } from './drivers/driver.js';

/** What Nova needs to know of a volume. */
export interface VolumeInfo {
  id: string;
  status: string;
  size: number;
  projectId: string;
  availabilityZone: string;
  bootable: boolean;
  multiattach: boolean;
  /** Glance properties of the image it was made from (hw_disk_bus, ...), for the guest's config. */
  imageMetadata: Record<string, string>;
  attachments: Array<{ attachmentId: string; serverId: string | null; device: string | null; status: string }>;
}

/** What Nova needs to know of a snapshot it makes a volume from. */
export interface SnapshotInfo {
  id: string;
  status: string;
  size: number;
  volumeId: string;
}

export interface CreateVolumeRequest {
  size: number;
  name?: string;
  /** One source at most: none gives a blank volume. */
  imageId?: string;
  snapshotId?: string;
  sourceVolumeId?: string;
  volumeType?: string;
  availabilityZone?: string;
}

/** Nova's connector: the host that will open the volume. */
export interface HostConnector {
  host: string;
  /** `local` (a path on this host) or `nbd` (another host); default `local`. */
  protocol?: 'local' | 'nbd';
  /** The guest device, e.g. /dev/vdb. */
  mountpoint?: string;
}

export interface VolumeOperations {
  getVolume(auth: CallerContext, volumeId: string): Promise<VolumeInfo>;
  getSnapshot(auth: CallerContext, snapshotId: string): Promise<SnapshotInfo>;
  /** Starts the creation (202-like): the volume is `creating`; poll with waitForVolume. */
  createVolume(auth: CallerContext, request: CreateVolumeRequest): Promise<VolumeInfo>;
  /** Resolves once the volume reaches one of `statuses`; rejects on `error` or after `timeoutMs`. */
  waitForVolume(auth: CallerContext, volumeId: string, statuses: readonly string[], timeoutMs?: number): Promise<VolumeInfo>;
  /** Starts the deletion (refused while attached or with snapshots). */
  deleteVolume(auth: CallerContext, volumeId: string): Promise<void>;
  /** Reserves the volume for `serverId`; refuses an attached volume unless its type is multiattach. */
  reserve(auth: CallerContext, volumeId: string, serverId: string): Promise<{ attachmentId: string }>;
  /** Exports the volume to the connector's host and returns how to open it. */
  connect(auth: CallerContext, attachmentId: string, connector: HostConnector): Promise<ConnectionInfo>;
  /** The hypervisor has the disk: the volume is `in-use`. */
  complete(auth: CallerContext, attachmentId: string): Promise<void>;
  /** Ends the attachment and its export; the volume is `available` when no attachment is left. */
  detach(auth: CallerContext, attachmentId: string): Promise<void>;
  /** Grows a volume (also in-use: Nova then tells the guest). */
  extendVolume(auth: CallerContext, volumeId: string, newSize: number): Promise<void>;
}

export function volumeOperations(ops: VolumeServiceOps): VolumeOperations {
  const info = (volume: Volume): VolumeInfo => ({
    id: volume.id,
    status: volume.status,
    size: volume.size,
    projectId: volume.project_id,
    availabilityZone: volume.availability_zone,
    bootable: volume.bootable,
    multiattach: volume.multiattach,
    imageMetadata: volume.imageMetadata,
    attachments: volume.attachments.map((a) => ({ attachmentId: a.id, serverId: a.instance_uuid, device: a.mountpoint, status: a.attach_status })),
  });
  const get = async (auth: CallerContext, id: string) => info(await ops.volumes.get(ops.context(auth), id));
  return {
    getVolume: get,
    async getSnapshot(auth, snapshotId) {
      const snapshot = await ops.snapshots.get(ops.context(auth), snapshotId);
      return { id: snapshot.id, status: snapshot.status, size: snapshot.size, volumeId: snapshot.volume_id };
    },
    async createVolume(auth, request) {
      const volume = await ops.volumes.create(ops.context(auth), {
        size: request.size,
        name: request.name ?? null,
        imageRef: request.imageId ?? null,
        snapshot_id: request.snapshotId ?? null,
        source_volid: request.sourceVolumeId ?? null,
        volume_type: request.volumeType ?? null,
        availability_zone: request.availabilityZone ?? null,
      });
      return info(volume);
    },
    async waitForVolume(auth, volumeId, statuses, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const volume = await get(auth, volumeId);
        if (statuses.includes(volume.status)) return volume;
        if (volume.status.startsWith('error')) throw new Error(`Volume ${volumeId} went to ${volume.status}.`);
        if (Date.now() > deadline) throw new Error(`Volume ${volumeId} is still ${volume.status} after ${timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    deleteVolume: (auth, volumeId) => ops.volumes.delete(ops.context(auth), volumeId),
    async reserve(auth, volumeId, serverId) {
      const attachment = await ops.attachments.create(ops.context(auth), { volumeId, instanceUuid: serverId, connector: null });
      return { attachmentId: attachment.id };
    },
    async connect(auth, attachmentId, connector) {
      const attachment = await ops.attachments.update(ops.context(auth), attachmentId, { ...connector });
      return attachment.connection_info as unknown as ConnectionInfo;
    },
    complete: (auth, attachmentId) => ops.attachments.complete(ops.context(auth), attachmentId),
    detach: (auth, attachmentId) => ops.attachments.delete(ops.context(auth), attachmentId),
    extendVolume: (auth, volumeId, newSize) => ops.actions.extend(ops.context(auth), volumeId, newSize, { attachedAllowed: true }),
  };
}
