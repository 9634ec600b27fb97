/**
 * Volumes: create (blank, from an image, a snapshot or another volume),
 * show, list, update, delete, and their metadata. Creation and deletion are
 * two-phase: the API call checks, reserves quota, writes the row and its
 * durable task in one transaction and answers 202; `worker.ts` does the
 * backend work.
 */
import { uuid } from '../../core/ids.js';
import type { Page } from '../../core/pagination/index.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Volume, VolumeListQuery, VolumeType } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import { taskKinds, type CreatePayload, type VolumeDeps } from './deps.js';
import type { EncryptionOps } from './encryption.js';
import type { QuotaOps } from './quotas.js';
import { DELETABLE, DELETE_REFUSED } from './states.js';
import { assertNotFrozen } from './services.js';
import { isMultiattachType, type TypeOps } from './types.js';

export interface NewVolume {
  size?: number | null;
  name?: string | null;
  description?: string | null;
  volume_type?: string | null;
  availability_zone?: string | null;
  metadata?: Record<string, string>;
  snapshot_id?: string | null;
  source_volid?: string | null;
  imageRef?: string | null;
  group_id?: string | null;
}

/** `groupChecked`: the group is being made from a source by GroupOps, which checked it (its row comes last). */
export interface CreateOptions {
  groupChecked?: boolean;
}

export interface VolumeChanges {
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
}

export type VolumeListRequest = Omit<VolumeListQuery, 'projectId'> & { allTenants: boolean; projectId?: string };

const GIB = 1024 ** 3;

export class VolumeOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly types: TypeOps,
    private readonly quotas: QuotaOps,
    private readonly encryption: EncryptionOps,
  ) {}

  async create(ctx: VolumeContext, input: NewVolume, options: CreateOptions = {}): Promise<Volume> {
    const projectId = requireProject(ctx);
    this.deps.authz.authorize(ctx.auth, 'volume:create');
    const plan = await this.#plan(ctx, input);
    if (input.group_id && !options.groupChecked) await this.#checkGroup(ctx, input.group_id, plan.type);
    const az = input.availability_zone ?? this.deps.config.storage_availability_zone;
    if (az !== this.deps.config.storage_availability_zone) throw errors.invalidInput(`Availability zone '${az}' is invalid.`);
    await this.quotas.checkVolumeSize(projectId, plan.size);
    const id = uuid();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveVolume(trx, projectId, plan.size, plan.type.id);
      await store.insertVolume(
        trx,
        {
          id,
          project_id: projectId,
          user_id: ctx.auth.userId,
          name: input.name ?? null,
          description: input.description ?? null,
          size: plan.size,
          status: 'creating',
          status_reason: null,
          attach_status: 'detached',
          availability_zone: az,
          volume_type_id: plan.type.id,
          host: null,
          snapshot_id: input.snapshot_id ?? null,
          source_volid: input.source_volid ?? null,
          image_id: input.imageRef ?? null,
          bootable: plan.bootable,
          readonly: null,
          multiattach: isMultiattachType(plan.type),
          migration_status: null,
          created_at: now,
          updated_at: now,
          launched_at: null,
          group_id: input.group_id ?? null,
        },
        input.metadata ?? {},
        plan.imageMetadata,
      );
      await this.deps.queue.enqueue(trx, {
        kind: taskKinds(this.deps).create,
        payload: { volumeId: id, source: plan.source, requestId: ctx.auth.requestId },
        resourceId: id,
      });
    });
    return this.load(id);
  }

  async get(ctx: VolumeContext, id: string): Promise<Volume> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:get', { project_id: volume.project_id });
    return volume;
  }

  /** The volume if the caller's project owns it (or the caller is an admin); 404 otherwise. */
  async find(ctx: VolumeContext, id: string): Promise<Volume> {
    const volume = await store.getVolume(this.deps.db, id);
    if (!volume || (!ctx.isAdmin && volume.project_id !== ctx.projectId)) throw notFound.volume(id);
    return volume;
  }

  /** Reads a volume the service itself works on (tasks). */
  async load(id: string): Promise<Volume> {
    const volume = await store.getVolume(this.deps.db, id);
    if (!volume) throw notFound.volume(id);
    return volume;
  }

  async list(ctx: VolumeContext, request: VolumeListRequest): Promise<Page<Volume>> {
    this.deps.authz.authorize(ctx.auth, 'volume:get_all');
    const everyProject = request.allTenants && this.deps.authz.allowed(ctx.auth, 'volume:get_all_admin');
    const projectId = everyProject ? (request.projectId ?? null) : (ctx.projectId ?? '');
    return store.listVolumes(this.deps.db, { ...request, projectId });
  }

  async update(ctx: VolumeContext, id: string, changes: VolumeChanges): Promise<Volume> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:update', { project_id: volume.project_id });
    await this.deps.db.transaction().execute(async (trx) => {
      const row: { name?: string | null; description?: string | null; updated_at: string } = { updated_at: nowIso() };
      if (changes.name !== undefined) row.name = changes.name;
      if (changes.description !== undefined) row.description = changes.description;
      await store.updateVolume(trx, id, row);
      if (changes.metadata !== undefined) await store.setMetadata(trx, id, 'user', changes.metadata, true);
    });
    return this.load(id);
  }

  /**
   * Starts the deletion: refused while attached, in a busy state, or with
   * snapshots unless `cascade` (which deletes them too). `force` (admin)
   * accepts any status but attached.
   */
  async delete(ctx: VolumeContext, id: string, options: { cascade?: boolean; force?: boolean } = {}): Promise<void> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, options.force ? 'volume:force_delete' : 'volume:delete', { project_id: volume.project_id });
    if (volume.attach_status === 'attached' || volume.attachments.length > 0) throw errors.invalidVolume(DELETE_REFUSED);
    await assertNotFrozen(this.deps, volume.host);
    if (!options.force && (!DELETABLE.includes(volume.status) || volume.migration_status !== null)) throw errors.invalidVolume(DELETE_REFUSED);
    const snapshots = await store.snapshotsOfVolume(this.deps.db, id);
    if (snapshots.length > 0) {
      if (!options.cascade) throw errors.invalidVolume(DELETE_REFUSED);
      const busy = snapshots.find((s) => s.status !== 'available' && s.status !== 'error');
      if (busy) throw errors.invalidVolume(`Snapshot ${busy.id} must be available or error to delete with its volume.`);
    }
    const from = options.force ? [volume.status] : DELETABLE;
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateVolume(trx, id, { status: 'deleting', updated_at: nowIso() }, from))) {
        throw errors.invalidVolume(DELETE_REFUSED);
      }
      for (const snapshot of snapshots) await store.updateSnapshot(trx, snapshot.id, { status: 'deleting', updated_at: nowIso() });
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).delete, payload: { volumeId: id }, resourceId: id });
    });
  }

  async metadata(ctx: VolumeContext, id: string): Promise<Record<string, string>> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:get_volume_metadata', { project_id: volume.project_id });
    return volume.metadata;
  }

  /** Sets keys (`replace`: the given keys become the whole metadata). */
  async setMetadata(ctx: VolumeContext, id: string, values: Record<string, string>, replace: boolean): Promise<Record<string, string>> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:update_volume_metadata', { project_id: volume.project_id });
    checkMetadata(values);
    await store.setMetadata(this.deps.db, id, 'user', values, replace);
    return (await this.load(id)).metadata;
  }

  async deleteMetadata(ctx: VolumeContext, id: string, key: string): Promise<void> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:delete_volume_metadata', { project_id: volume.project_id });
    if (!(await store.deleteMetadataKey(this.deps.db, id, 'user', key))) throw notFound.volumeMetadata(id, key);
  }

  async imageMetadata(ctx: VolumeContext, id: string): Promise<Record<string, string>> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_image_metadata:show', { project_id: volume.project_id });
    return volume.imageMetadata;
  }

  async setImageMetadata(ctx: VolumeContext, id: string, values: Record<string, string>): Promise<Record<string, string>> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_image_metadata:set', { project_id: volume.project_id });
    checkMetadata(values);
    await store.setMetadata(this.deps.db, id, 'image', values, false);
    return (await this.load(id)).imageMetadata;
  }

  async deleteImageMetadata(ctx: VolumeContext, id: string, key: string): Promise<void> {
    const volume = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_image_metadata:remove', { project_id: volume.project_id });
    if (!(await store.deleteMetadataKey(this.deps.db, id, 'image', key))) {
      throw errors.invalidInput(`The key ${key} was not found in the volume image metadata.`);
    }
  }

  /** Count and total size of the caller's volumes (`/volumes/summary`, 3.12). */
  async summary(ctx: VolumeContext, allTenants: boolean): Promise<{ total_count: number; total_size: number; metadata: Record<string, string[]> }> {
    const page = await this.list(ctx, { allTenants, params: { limit: null, marker: null, sort: [] } });
    const metadata: Record<string, string[]> = {};
    for (const volume of page.rows) {
      for (const [key, value] of Object.entries(volume.metadata)) {
        const values = (metadata[key] ??= []);
        if (!values.includes(value)) values.push(value);
      }
    }
    return { total_count: page.rows.length, total_size: page.rows.reduce((sum, v) => sum + v.size, 0), metadata };
  }

  /** A volume may join a group of its project that is available and takes its type, as Cinder checks. */
  async #checkGroup(ctx: VolumeContext, groupId: string, type: VolumeType): Promise<void> {
    const group = await store.getGroup(this.deps.db, groupId);
    if (!group || (!ctx.isAdmin && group.project_id !== ctx.projectId)) throw notFound.group(groupId);
    if (!group.volume_type_ids.includes(type.id)) {
      throw errors.invalidInput(`Invalid volume_type provided: ${type.id} (requested type must be supported by this group).`);
    }
    if (group.status !== 'available') throw errors.invalidGroup(`Group status must be available, but current status is: ${group.status}.`);
  }

  /** Resolves the source, type, size and image metadata of a new volume, with Cinder's checks. */
  async #plan(
    ctx: VolumeContext,
    input: NewVolume,
  ): Promise<{
    size: number;
    type: VolumeType;
    bootable: boolean;
    imageMetadata: Record<string, string>;
    source: CreatePayload['source'];
  }> {
    const sources = [input.snapshot_id, input.source_volid, input.imageRef].filter((s) => s !== undefined && s !== null);
    if (sources.length > 1) throw errors.invalidInput('Only one of snapshot_id, source_volid and imageRef may be given.');
    let size = input.size ?? null;
    if (size !== null && (!Number.isInteger(size) || size <= 0)) {
      throw errors.invalidInput(`Volume size '${String(size)}' must be an integer and greater than 0`);
    }
    let type = input.volume_type ? await this.types.get(ctx, input.volume_type) : null;
    let bootable = false;
    let imageMetadata: Record<string, string> = {};
    let source: CreatePayload['source'] = { kind: 'blank' };

    if (input.snapshot_id) {
      const snapshot = await store.getSnapshot(this.deps.db, input.snapshot_id);
      if (!snapshot || (!ctx.isAdmin && snapshot.project_id !== ctx.projectId)) throw notFound.snapshot(input.snapshot_id);
      if (snapshot.status !== 'available') throw errors.invalidSnapshot("Originating snapshot status must be one of 'available' values");
      size ??= snapshot.size;
      if (size < snapshot.size) {
        throw errors.invalidInput(
          `Volume size '${size}'GB cannot be smaller than the snapshot size ${snapshot.size}GB. They must be >= original snapshot size.`,
        );
      }
      const origin = await this.load(snapshot.volume_id);
      type ??= await this.types.get(ctx, origin.volume_type_id);
      bootable = origin.bootable;
      imageMetadata = origin.imageMetadata;
      source = { kind: 'snapshot', snapshotId: snapshot.id };
    } else if (input.source_volid) {
      const origin = await store.getVolume(this.deps.db, input.source_volid);
      if (!origin || (!ctx.isAdmin && origin.project_id !== ctx.projectId)) throw notFound.volume(input.source_volid);
      if (origin.status !== 'available' && origin.status !== 'in-use') {
        throw errors.invalidVolume(`Unable to clone volumes that are in ${origin.status} status.`);
      }
      size ??= origin.size;
      if (size < origin.size) {
        throw errors.invalidInput(
          `Volume size '${size}'GB cannot be smaller than original volume size ${origin.size}GB. They must be >= original volume size.`,
        );
      }
      type ??= await this.types.get(ctx, origin.volume_type_id);
      bootable = origin.bootable;
      imageMetadata = origin.imageMetadata;
      source = { kind: 'volume', volumeId: origin.id };
    } else if (input.imageRef) {
      const images = this.deps.images();
      if (!images) throw errors.invalidInput('The image service is not available to create volumes from images.');
      const image = await images.get(ctx.auth, input.imageRef).catch(() => {
        throw errors.invalidInput('Invalid image identifier or unable to access requested image.');
      });
      if (image.status !== 'active') throw errors.invalidImage(`Image ${image.id} is not active.`);
      const imageGb = Math.ceil((image.virtual_size ?? image.size ?? 0) / GIB);
      if (size === null) throw errors.invalidInput('Size of the volume is required when creating from an image.');
      if (imageGb > size) throw errors.invalidInput(`Size of specified image ${imageGb}GB is larger than volume size ${size}GB.`);
      if (image.min_disk > size) throw errors.invalidInput(`Image minDisk size ${image.min_disk}GB is larger than the volume size ${size}GB.`);
      bootable = true;
      imageMetadata = {
        ...image.properties,
        image_id: image.id,
        image_name: image.name ?? '',
        checksum: image.checksum ?? '',
        container_format: image.container_format ?? '',
        disk_format: image.disk_format ?? '',
        min_disk: String(image.min_disk),
        min_ram: String(image.min_ram),
        size: String(image.size ?? 0),
      };
      source = { kind: 'image', imageId: image.id };
    }
    if (size === null) throw errors.invalidInput('Size of the volume is required.');
    type ??= await this.types.defaultType();
    if (await this.encryption.isEncrypted(type.id)) throw errors.keyManagerError();
    return { size, type, bootable, imageMetadata, source };
  }
}

function checkMetadata(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (key.length === 0 || key.length > 255) throw errors.invalidInput('metadata key must be 1 to 255 characters long.');
    if (typeof value !== 'string' || value.length > 255) throw errors.invalidInput(`metadata value of ${key} must be a string of at most 255 characters.`);
  }
}
