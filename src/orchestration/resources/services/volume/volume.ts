/**
 * OS::Cinder::Volume: a blank volume or one from an image, snapshot, volume
 * or backup, waited for until `available`. Name, description and metadata
 * change in place, a larger size extends it, a new `backup_id` restores that
 * backup into it (a stack snapshot's restore); anything else replaces it.
 */
import { BadRequest } from '../../../../core/errors.js';
import type { VolumeInfo, VolumeOperations } from '../../../../volume/operations.js';
import type { ServiceRegistry } from '../../../../core/service-module.js';
import { failures } from '../errors.js';
import { attribute, custom, hidden, integer, map, range, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { door, integer as integerOf, pollUntil, stringMap, text, unlessGone } from '../support.js';
import { imageId } from '../compute/lookups.js';
import { awaitRestore, volumeSnapshots } from './volume-backup.js';
import { volumeView } from './views.js';

export function cinder(services: ServiceRegistry): VolumeOperations {
  return door(services, 'volume');
}

/** Waits for one of `statuses`; an `error*` status is Heat's ResourceInError. */
export function settleVolume(ctx: ResourceContext, id: string, statuses: readonly string[]): Promise<VolumeInfo> {
  return pollUntil(
    ctx,
    () => cinder(ctx.services).getVolume(ctx.caller, id),
    (volume) => {
      if (volume.status.startsWith('error')) throw failures.inError(volume.status, 'Unknown');
      return statuses.includes(volume.status);
    },
  );
}

const USABLE = ['available', 'in-use'];

/** Heat's create from `backup_id`: Cinder restores the backup into a new volume, which then gets the resource's name, description and metadata. */
async function fromBackup(
  ctx: ResourceContext,
  backupId: string,
  name: string,
  description: string | undefined,
  metadata: Record<string, string>,
): Promise<VolumeInfo> {
  const volumes = cinder(ctx.services);
  const { volumeId } = await volumes.restoreBackup(ctx.caller, backupId, { volumeId: null, name });
  return volumes.updateVolume(ctx.caller, volumeId, { name, ...(description !== undefined && { description }), metadata });
}

const plugin = serviceResource<VolumeInfo>(
  {
    type: 'OS::Cinder::Volume',
    description: 'A Cinder volume: blank, or made from an image, a snapshot or another volume.',
    nameProperty: 'name',
    properties: {
      availability_zone: string('The availability zone in which the volume will be created.'),
      size: integer('The size of the volume in GB. On update only increase in size is supported.', { updateAllowed: true, constraints: [range(1)] }),
      snapshot_id: string('If specified, the snapshot to create the volume from.', { constraints: [custom('cinder.snapshot')] }),
      name: string('A name used to distinguish the volume.', { updateAllowed: true }),
      description: string('A description of the volume.', { updateAllowed: true }),
      volume_type: string('If specified, the type of volume to use, mapping to a specific backend.'),
      metadata: map('Key/value pairs to associate with the volume.', { updateAllowed: true, default: {} }),
      imageRef: hidden(string('The ID of the image to create the volume from.'), '5.0.0', 'image'),
      image: string('If specified, the name or ID of the image to create the volume from.', { constraints: [custom('glance.image')] }),
      source_volid: string('If specified, the volume to use as source.', { constraints: [custom('cinder.volume')] }),
      backup_id: string('If specified, the backup to create the volume from.', { updateAllowed: true }),
    },
    attributes: {
      availability_zone: attribute('The availability zone in which the volume is located.', 'string'),
      size: attribute('The size of the volume in GB.', 'string'),
      snapshot_id: attribute('The snapshot the volume was created from, if any.', 'string'),
      display_name: attribute('Name of the volume.', 'string'),
      display_description: attribute('Description of the volume.', 'string'),
      volume_type: attribute('The type of the volume mapping to a backend, if any.', 'string'),
      metadata: attribute('Key/value pairs associated with the volume.', 'string'),
      metadata_values: attribute('Key/value pairs associated with the volume in raw dict form.', 'map'),
      source_volid: attribute('The volume used as source, if any.', 'string'),
      status: attribute('The current status of the volume.', 'string'),
      created_at: attribute('The timestamp indicating volume creation.', 'string'),
      bootable: attribute('Boolean indicating if the volume can be booted or not.', 'boolean'),
      attachments: attribute('A string representation of the list of attachments of the volume.', 'string'),
      attachments_list: attribute('The list of attachments of the volume.', 'list'),
      multiattach: attribute('Boolean indicating whether allow the volume to be attached more than once.', 'boolean'),
      encrypted: attribute('Boolean indicating if the volume is encrypted or not.', 'boolean'),
    },
  },
  {
    get: (ctx, id) => cinder(ctx.services).getVolume(ctx.caller, id),
    findByName: async (ctx, name) => (await cinder(ctx.services).listVolumes(ctx.caller, { name }))[0] ?? null,
    async create(ctx, p, name) {
      const image = text(p, 'image') ?? text(p, 'imageRef');
      const size = integerOf(p, 'size');
      const snapshot = text(p, 'snapshot_id');
      const source = text(p, 'source_volid');
      const type = text(p, 'volume_type');
      const zone = text(p, 'availability_zone');
      const description = text(p, 'description');
      const backup = text(p, 'backup_id');
      if (backup !== undefined) return fromBackup(ctx, backup, name, description, stringMap(p, 'metadata') ?? {});
      if (size === undefined && image === undefined && snapshot === undefined && source === undefined)
        throw new BadRequest('Property error: : size: size must be specified unless a snapshot, source volume or backup is given', {
          type: 'StackValidationFailed',
        });
      const sourceSize =
        snapshot !== undefined
          ? (await cinder(ctx.services).getSnapshot(ctx.caller, snapshot)).size
          : source !== undefined
            ? (await cinder(ctx.services).getVolume(ctx.caller, source)).size
            : 1;
      return cinder(ctx.services).createVolume(ctx.caller, {
        size: size ?? sourceSize,
        name,
        ...(description !== undefined && { description }),
        metadata: stringMap(p, 'metadata') ?? {},
        ...(image !== undefined && { imageId: await imageId(ctx, image) }),
        ...(snapshot !== undefined && { snapshotId: snapshot }),
        ...(source !== undefined && { sourceVolumeId: source }),
        ...(type !== undefined && { volumeType: type }),
        ...(zone !== undefined && { availabilityZone: zone }),
      });
    },
    awaitReady: async (ctx, volume, p) => {
      const backup = text(p, 'backup_id');
      if (backup !== undefined) await awaitRestore(ctx, backup);
      await settleVolume(ctx, volume.id, USABLE);
    },
    async update(ctx, id, change) {
      const volumes = cinder(ctx.services);
      const p = change.properties;
      const { changed } = change;
      if (changed.includes('name') || changed.includes('description') || changed.includes('metadata'))
        await volumes.updateVolume(ctx.caller, id, {
          name: text(p, 'name') ?? ctx.resource.physicalName,
          description: text(p, 'description') ?? null,
          metadata: stringMap(p, 'metadata') ?? {},
        });
      const backup = text(p, 'backup_id');
      if (changed.includes('backup_id') && backup !== undefined) {
        await volumes.restoreBackup(ctx.caller, backup, { volumeId: id });
        await awaitRestore(ctx, backup);
        await settleVolume(ctx, id, USABLE);
      }
      const size = integerOf(p, 'size');
      if (!changed.includes('size') || size === undefined) return;
      const volume = await settleVolume(ctx, id, USABLE);
      if (size < volume.size) throw new BadRequest(`The new size must be greater than current. Got ${size} vs ${volume.size}.`, { type: 'NotSupported' });
      if (size > volume.size) await volumes.extendVolume(ctx.caller, id, size);
      await settleVolume(ctx, id, USABLE);
    },
    async remove(ctx, id) {
      const volume = await unlessGone(cinder(ctx.services).getVolume(ctx.caller, id));
      // A retried delete finds the volume already deleting: Cinder refuses a second request.
      if (volume !== null && volume.status !== 'deleting') await cinder(ctx.services).deleteVolume(ctx.caller, id);
    },
    awaitGone: async (ctx, id) => {
      await pollUntil(
        ctx,
        () => unlessGone(cinder(ctx.services).getVolume(ctx.caller, id)),
        (volume) => volume === null || volume.status.startsWith('error_deleting'),
      );
    },
    idOf: (v) => v.id,
    view: volumeView,
  },
);

/** The volume type, with its part in stack snapshots (a backup each). */
export const volumeResource: ResourcePlugin = { ...plugin, ...volumeSnapshots };
