/**
 * The `POST /volumes/{id}/action` actions that change the volume itself:
 * extend, retype, set bootable, readonly flag, upload to an image, and the
 * admin's reset status. Attach and detach are in attachments.ts.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Volume } from '../store/index.js';
import type { VolumeContext } from './context.js';
import { taskKinds, type VolumeDeps } from './deps.js';
import type { EncryptionOps } from './encryption.js';
import type { QuotaOps } from './quotas.js';
import type { Scheduler } from './scheduler.js';
import { ACCEPTS, isVolumeStatus } from './states.js';
import { isMultiattachType, type TypeOps } from './types.js';
import type { VolumeOps } from './volumes.js';

export interface UploadRequest {
  image_name: string;
  disk_format: string;
  container_format: string;
  force: boolean;
  visibility: 'public' | 'private' | 'shared' | 'community';
  protected: boolean;
}

export class VolumeActionOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly volumes: VolumeOps,
    private readonly types: TypeOps,
    private readonly quotas: QuotaOps,
    private readonly scheduler: Scheduler,
    private readonly encryption: EncryptionOps,
  ) {}

  /** Grows a volume; in-use volumes too when `attached` is allowed (3.42). */
  async extend(ctx: VolumeContext, id: string, newSize: number, options: { attachedAllowed: boolean }): Promise<void> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, volume.status === 'in-use' ? 'volume:extend_attached_volume' : 'volume:extend', { project_id: volume.project_id });
    const accepted = options.attachedAllowed ? ACCEPTS.extendAttached! : ACCEPTS.extend!;
    if (!accepted.includes(volume.status)) {
      throw errors.invalidVolume(`Volume status must be ${accepted.join(' or ')} to extend, currently ${volume.status}.`);
    }
    if (!Number.isInteger(newSize) || newSize <= volume.size) {
      throw errors.invalidInput(`New size for extend must be greater than current size. (current: ${volume.size}, extended: ${newSize}).`);
    }
    await this.quotas.checkVolumeSize(volume.project_id, newSize);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveGigabytes(trx, volume.project_id, newSize - volume.size, volume.volume_type_id);
      if (!(await store.updateVolume(trx, id, { status: 'extending', updated_at: nowIso() }, [volume.status]))) {
        throw errors.invalidVolume('The volume changed status while the extend was requested.');
      }
      await this.deps.queue.enqueue(trx, {
        kind: taskKinds(this.deps).extend,
        payload: { volumeId: id, size: newSize, restoreStatus: volume.status, requestId: ctx.auth.requestId },
        resourceId: id,
      });
    });
  }

  /** Changes the type when the volume's backend also serves the new type (no migration). */
  async retype(ctx: VolumeContext, id: string, newType: string): Promise<void> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:retype', { project_id: volume.project_id });
    if (!ACCEPTS.retype.includes(volume.status)) {
      throw errors.invalidVolume(`Volume status must be available or in-use to retype, currently ${volume.status}.`);
    }
    const type = await this.types.get(ctx, newType);
    if (type.id === volume.volume_type_id) throw errors.invalidInput('Retype requires a different volume type.');
    const wanted = type.extra_specs.volume_backend_name;
    const backend = this.scheduler.byHost(volume.host);
    // A change of encryption needs Cinder's migration to another volume, which Nimbus lacks (as a change of backend).
    const encryptionChanges = (await this.encryption.isEncrypted(type.id)) !== (await this.encryption.isEncrypted(volume.volume_type_id));
    if (encryptionChanges || (wanted !== undefined && backend?.driver.backendName !== wanted)) {
      throw errors.invalidVolume('Retype requires migration but is not allowed.');
    }
    if (volume.attachments.length > 1 && !isMultiattachType(type)) {
      throw errors.invalidInput('Volume has several attachments and the new type does not allow multiattach.');
    }
    await this.deps.db.transaction().execute(async (trx) => {
      // The volume row first: a concurrent retype, extend or delete of it makes this one fail before any quota moves.
      const from = { typeId: volume.volume_type_id, size: volume.size, status: ACCEPTS.retype };
      if (!(await store.retypeVolume(trx, id, from, { volume_type_id: type.id, multiattach: isMultiattachType(type), updated_at: nowIso() }))) {
        throw errors.invalidVolume('The volume changed while it was being retyped.');
      }
      await this.quotas.moveType(trx, volume.project_id, volume.size, volume.volume_type_id, type.id);
    });
  }

  async setBootable(ctx: VolumeContext, id: string, bootable: boolean): Promise<void> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:set_bootable', { project_id: volume.project_id });
    await store.updateVolume(this.deps.db, id, { bootable, updated_at: nowIso() });
  }

  async setReadonly(ctx: VolumeContext, id: string, readonly: boolean): Promise<void> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:update_readonly_flag', { project_id: volume.project_id });
    if (volume.status !== 'available') {
      throw errors.invalidVolume(`The volume must be available to change its read-only flag, currently ${volume.status}.`);
    }
    await store.updateVolume(this.deps.db, id, { readonly, updated_at: nowIso() });
  }

  /** Admin: sets the status (and attach status) to unstick a volume; no backend work. */
  async resetStatus(ctx: VolumeContext, id: string, change: { status?: string; attach_status?: string; migration_status?: string }): Promise<void> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_admin_actions:reset_status', { project_id: volume.project_id });
    if (change.status !== undefined && !isVolumeStatus(change.status)) throw errors.invalidInput(`'${change.status}' is not a valid volume status.`);
    if (change.attach_status !== undefined && !['attached', 'detached'].includes(change.attach_status)) {
      throw errors.invalidInput(`Must specify a valid attach status: attached or detached, got ${change.attach_status}.`);
    }
    await store.updateVolume(this.deps.db, id, {
      ...(change.status !== undefined ? { status: change.status, status_reason: null } : {}),
      ...(change.attach_status !== undefined ? { attach_status: change.attach_status } : {}),
      ...(change.migration_status !== undefined ? { migration_status: change.migration_status === 'none' ? null : change.migration_status } : {}),
      updated_at: nowIso(),
    });
  }

  /**
   * Creates a Glance image with the caller's rights and a task that copies
   * the volume's bytes into it; the volume is `uploading` meanwhile.
   */
  async uploadToImage(ctx: VolumeContext, id: string, request: UploadRequest): Promise<{ volume: Volume; imageId: string }> {
    const volume = await this.volumes.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:upload_image', { project_id: volume.project_id });
    if (request.visibility === 'public')
      this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:upload_public', { project_id: volume.project_id });
    const accepted = request.force ? ACCEPTS.uploadForced! : ACCEPTS.upload!;
    if (!accepted.includes(volume.status)) throw errors.invalidVolume(`Volume status must be ${accepted.join(' or ')}, currently ${volume.status}.`);
    if (request.disk_format !== 'raw' && request.disk_format !== 'qcow2') {
      throw errors.invalidInput(`Invalid disk-format '${request.disk_format}' specified. Allowed disk-formats are raw, qcow2.`);
    }
    const images = this.deps.images();
    if (!images) throw errors.invalidInput('The image service is not available.');
    const image = await images.create(ctx.auth, {
      id: uuid(),
      name: request.image_name,
      disk_format: request.disk_format,
      container_format: request.container_format,
      visibility: request.visibility,
      protected: request.protected,
      min_disk: volume.size,
      properties: Object.fromEntries(Object.entries(volume.imageMetadata).filter(([k]) => !IMAGE_CORE.has(k))),
    });
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        if (!(await store.updateVolume(trx, id, { status: 'uploading', updated_at: nowIso() }, [volume.status]))) {
          throw errors.invalidVolume('The volume changed status while the upload was requested.');
        }
        await this.deps.queue.enqueue(trx, {
          kind: taskKinds(this.deps).upload,
          payload: { volumeId: id, imageId: image.id, diskFormat: request.disk_format, restoreStatus: volume.status, requestId: ctx.auth.requestId },
          resourceId: id,
        });
      });
    } catch (error) {
      await images.delete(ctx.auth, image.id).catch(() => undefined);
      throw error;
    }
    return { volume: await this.volumes.load(id), imageId: image.id };
  }
}

/** volume_image_metadata keys that are Glance core attributes, not properties. */
const IMAGE_CORE = new Set(['image_id', 'image_name', 'checksum', 'container_format', 'disk_format', 'min_disk', 'min_ram', 'size']);
