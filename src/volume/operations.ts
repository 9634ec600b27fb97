/**
 * The volume service's one public door (`deps.services.volume`): Nova's
 * attach/detach of volumes to servers (os-volume_attachments) and boot from
 * volume (block_device_mapping_v2); Heat's OS::Cinder::Volume (create, find
 * by name, update name/description/metadata, extend, delete), snapshots, and
 * OS::Cinder::VolumeType (type-operations.ts: types, extra specs, access).
 * Every call takes the caller's CallerContext first and goes through the
 * same service layer as the REST API under /volume, so Cinder's policy
 * (403 "Policy doesn't allow ...") and quotas (413) hold as for an API call;
 * a caller sees only its project's volumes unless it is an admin. Failures
 * are the NimbusErrors of errors.ts (404 `Volume <id> could not be found.`,
 * 400 `Invalid volume: ...` for a refused state).
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
import { NotFound } from '../core/errors.js';
import type { QuotaUse } from '../core/quota/index.js';
import type { ConnectionInfo } from './drivers/driver.js';
import { errors, notFound } from './errors.js';
import type { VolumeServiceOps } from './service/index.js';
import type { Snapshot, Volume } from './store/index.js';
import { backupOperations, type BackupOperations } from './backup-operations.js';
import { volumeTypeOperations, type VolumeTypeOperations } from './type-operations.js';

export type { BackupInfo, BackupOperations } from './backup-operations.js';
export type { ConnectionInfo } from './drivers/driver.js';
/** Every status a volume can have (Cinder's list). */
export { VOLUME_STATUSES } from './service/states.js';
export type { CreateVolumeTypeRequest, VolumeTypeInfo, VolumeTypeOperations, VolumeTypeUpdate } from './type-operations.js';

/** A volume as other services see it. */
export interface VolumeInfo {
  id: string;
  name: string | null;
  description: string | null;
  status: string;
  size: number;
  projectId: string;
  availabilityZone: string;
  volumeTypeId: string;
  bootable: boolean;
  multiattach: boolean;
  /** The user's metadata (key → value). */
  metadata: Record<string, string>;
  /** Glance properties of the image it was made from (hw_disk_bus, ...), for the guest's config. */
  imageMetadata: Record<string, string>;
  attachments: Array<{ attachmentId: string; serverId: string | null; device: string | null; status: string }>;
  /** The snapshot the volume was made from, if any. */
  snapshotId: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/** A snapshot as other services see it. */
export interface SnapshotInfo {
  id: string;
  name: string | null;
  description: string | null;
  status: string;
  size: number;
  volumeId: string;
  metadata: Record<string, string>;
  projectId: string;
  userId: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface CreateVolumeRequest {
  size: number;
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  /** One source at most: none gives a blank volume. */
  imageId?: string;
  snapshotId?: string;
  sourceVolumeId?: string;
  /** A type's id or name; the default type when absent. */
  volumeType?: string;
  availabilityZone?: string;
}

/** What updateVolume changes; absent fields stay as they are. */
export interface VolumeUpdate {
  name?: string | null;
  description?: string | null;
  /** Replaces the whole user metadata (Cinder's PUT /volumes/{id} with metadata). */
  metadata?: Record<string, string>;
}

/** Filters of listVolumes; absent ones match every volume. */
export interface VolumeFilter {
  name?: string;
  status?: string;
  /** Admins only: every project's volumes (others get their own project's). */
  allProjects?: boolean;
}

export interface CreateSnapshotRequest {
  volumeId: string;
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  /** Snapshot an in-use volume too (Cinder's `force`). */
  force?: boolean;
}

/** Nova's connector: the host that will open the volume. */
export interface HostConnector {
  host: string;
  /** `local` (a path on this host) or `nbd` (another host); default `local`. */
  protocol?: 'local' | 'nbd';
  /** The guest device, e.g. /dev/vdb. */
  mountpoint?: string;
}

/** One Cinder service as os-services shows it. */
export interface VolumeServiceState {
  host: string;
  binary: string;
  zone: string;
  /** Admins' switch: `enabled` or `disabled`. */
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  disabledReason: string | null;
}

export interface VolumeOperations extends VolumeTypeOperations, BackupOperations {
  /** The volume; 404 when it does not exist or belongs to another project (non-admin). Read only. */
  getVolume(auth: CallerContext, volumeId: string): Promise<VolumeInfo>;
  /**
   * The volume with this id, else the one volume of the caller's project with
   * this name (Heat's and the CLI's find); 404 when none, 409 when several
   * share the name. Read only.
   */
  findVolume(auth: CallerContext, nameOrId: string): Promise<VolumeInfo>;
  /** The caller's volumes (every project's for an admin with `allProjects`), oldest first. Read only. */
  listVolumes(auth: CallerContext, filter?: VolumeFilter): Promise<VolumeInfo[]>;
  /**
   * Starts the creation (202-like): the row and its quota are committed and
   * the volume is `creating`; poll with waitForVolume (it ends `available`,
   * or `error` with nothing reserved left behind). A refusal (quota 413, bad
   * source 400/404) creates nothing. Not idempotent: each call is a new volume.
   */
  createVolume(auth: CallerContext, request: CreateVolumeRequest): Promise<VolumeInfo>;
  /** Resolves once the volume reaches one of `statuses`; rejects on `error` or after `timeoutMs`. Read only. */
  waitForVolume(auth: CallerContext, volumeId: string, statuses: readonly string[], timeoutMs?: number): Promise<VolumeInfo>;
  /** Sets name, description and/or the whole metadata in one transaction; idempotent. */
  updateVolume(auth: CallerContext, volumeId: string, update: VolumeUpdate): Promise<VolumeInfo>;
  /**
   * Starts the deletion (`deleting`, then the row is gone and its quota
   * released: getVolume answers 404). Refused (400, nothing changed) while
   * attached, busy or with snapshots. A second call on a deleting volume is refused too.
   */
  deleteVolume(auth: CallerContext, volumeId: string): Promise<void>;
  /** Grows a volume (also in-use: Nova then tells the guest); `extending` until done. Refused for a smaller or equal size. */
  extendVolume(auth: CallerContext, volumeId: string, newSize: number): Promise<void>;
  /** The snapshot; 404 as getVolume. Read only. */
  getSnapshot(auth: CallerContext, snapshotId: string): Promise<SnapshotInfo>;
  /**
   * Starts a snapshot (`creating`, then `available`; poll getSnapshot). Quota
   * is reserved with the row; a refusal (volume busy, quota) creates nothing.
   * Not idempotent.
   */
  createSnapshot(auth: CallerContext, request: CreateSnapshotRequest): Promise<SnapshotInfo>;
  /** The caller's project's snapshots; every project's for an admin asking `allProjects`. */
  listSnapshots(auth: CallerContext, filter?: { allProjects?: boolean }): Promise<SnapshotInfo[]>;
  /** Starts the deletion (`deleting`, then gone: 404). Refused while volumes are made from it. */
  deleteSnapshot(auth: CallerContext, snapshotId: string): Promise<void>;
  /** Reserves the volume for `serverId`; refuses an attached volume unless its type is multiattach. Not idempotent. */
  reserve(auth: CallerContext, volumeId: string, serverId: string): Promise<{ attachmentId: string }>;
  /** Exports the volume to the connector's host and returns how to open it; a repeat re-exports (idempotent). */
  connect(auth: CallerContext, attachmentId: string, connector: HostConnector): Promise<ConnectionInfo>;
  /** The hypervisor has the disk: the volume is `in-use`. Idempotent. */
  complete(auth: CallerContext, attachmentId: string): Promise<void>;
  /** Ends the attachment and its export; the volume is `available` when no attachment is left. */
  detach(auth: CallerContext, attachmentId: string): Promise<void>;
  /** Sets the project's own limits as PUT os-quota-sets does (policy volume_extension:quotas:update; 400 for a key Cinder keeps no quota of). Idempotent. */
  setQuotas(auth: CallerContext, projectId: string, limits: Record<string, number>): Promise<Record<string, number>>;
  /** A project's limits and use as os-quota-sets?usage=True gives them (policy volume_extension:quotas:show), by Cinder's resource name. Read only. */
  quotaUsage(auth: CallerContext, projectId: string): Promise<Record<string, QuotaUse>>;
  /** The services as os-services lists them (admin: volume_extension:services:index). Read only; for the exporter's agent states. */
  listServices(auth: CallerContext): Promise<VolumeServiceState[]>;
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    volume?: VolumeOperations;
  }
}

/** Every row at once: these listings are for a plugin's find, not a paged API. */
const ALL_ROWS = { limit: null, marker: null, sort: [{ key: 'created_at' as const, dir: 'asc' as const }] };

function volumeInfo(volume: Volume): VolumeInfo {
  return {
    id: volume.id,
    name: volume.name,
    description: volume.description,
    status: volume.status,
    size: volume.size,
    projectId: volume.project_id,
    availabilityZone: volume.availability_zone,
    volumeTypeId: volume.volume_type_id,
    bootable: volume.bootable,
    multiattach: volume.multiattach,
    metadata: volume.metadata,
    imageMetadata: volume.imageMetadata,
    attachments: volume.attachments.map((a) => ({ attachmentId: a.id, serverId: a.instance_uuid, device: a.mountpoint, status: a.attach_status })),
    snapshotId: volume.snapshot_id,
    createdAt: volume.created_at,
  };
}

function snapshotInfo(snapshot: Snapshot): SnapshotInfo {
  return {
    id: snapshot.id,
    name: snapshot.name,
    description: snapshot.description,
    status: snapshot.status,
    size: snapshot.size,
    volumeId: snapshot.volume_id,
    metadata: snapshot.metadata,
    projectId: snapshot.project_id,
    userId: snapshot.user_id,
    createdAt: snapshot.created_at,
  };
}

export function volumeOperations(ops: VolumeServiceOps): VolumeOperations {
  const get = async (auth: CallerContext, id: string) => volumeInfo(await ops.volumes.get(ops.context(auth), id));
  const list = async (auth: CallerContext, filter: VolumeFilter = {}) => {
    const page = await ops.volumes.list(ops.context(auth), {
      allTenants: filter.allProjects ?? false,
      ...(filter.name !== undefined && { name: filter.name }),
      ...(filter.status !== undefined && { status: filter.status }),
      params: ALL_ROWS,
    });
    return page.rows.map(volumeInfo);
  };
  return {
    ...volumeTypeOperations(ops),
    ...backupOperations(ops),
    getVolume: get,
    async findVolume(auth, nameOrId) {
      try {
        return await get(auth, nameOrId);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
      const named = await list(auth, { name: nameOrId });
      if (named.length > 1) throw errors.ambiguousName('volume', nameOrId);
      if (!named[0]) throw notFound.volume(nameOrId);
      return named[0];
    },
    listVolumes: list,
    async createVolume(auth, request) {
      const volume = await ops.volumes.create(ops.context(auth), {
        size: request.size,
        name: request.name ?? null,
        description: request.description ?? null,
        ...(request.metadata && { metadata: request.metadata }),
        imageRef: request.imageId ?? null,
        snapshot_id: request.snapshotId ?? null,
        source_volid: request.sourceVolumeId ?? null,
        volume_type: request.volumeType ?? null,
        availability_zone: request.availabilityZone ?? null,
      });
      return volumeInfo(volume);
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
    async updateVolume(auth, volumeId, update) {
      return volumeInfo(await ops.volumes.update(ops.context(auth), volumeId, update));
    },
    deleteVolume: (auth, volumeId) => ops.volumes.delete(ops.context(auth), volumeId),
    extendVolume: (auth, volumeId, newSize) => ops.actions.extend(ops.context(auth), volumeId, newSize, { attachedAllowed: true }),
    async getSnapshot(auth, snapshotId) {
      return snapshotInfo(await ops.snapshots.get(ops.context(auth), snapshotId));
    },
    async listSnapshots(auth, filter = {}) {
      const page = await ops.snapshots.list(ops.context(auth), { allTenants: filter.allProjects ?? false, params: ALL_ROWS });
      return page.rows.map(snapshotInfo);
    },
    async createSnapshot(auth, request) {
      const snapshot = await ops.snapshots.create(
        ops.context(auth),
        {
          volume_id: request.volumeId,
          name: request.name ?? null,
          description: request.description ?? null,
          ...(request.metadata && { metadata: request.metadata }),
          force: request.force ?? false,
        },
        { inUseAllowed: false },
      );
      return snapshotInfo(snapshot);
    },
    deleteSnapshot: (auth, snapshotId) => ops.snapshots.delete(ops.context(auth), snapshotId),
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
    setQuotas: (auth, projectId, limits) => ops.quotas.update(ops.context(auth), projectId, limits),
    async quotaUsage(auth, projectId) {
      const shown = await ops.quotas.show(ops.context(auth), projectId, true);
      return Object.fromEntries(
        Object.entries(shown).flatMap(([r, q]) => (typeof q === 'number' ? [] : [[r, { limit: q.limit, inUse: q.in_use, reserved: q.reserved }]])),
      );
    },
    async listServices(auth) {
      return (await ops.services.list(ops.context(auth))).map((s) => ({
        host: s.host,
        binary: s.binary,
        zone: s.zone,
        status: s.status,
        state: s.state,
        disabledReason: s.disabled_reason,
      }));
    },
  };
}
