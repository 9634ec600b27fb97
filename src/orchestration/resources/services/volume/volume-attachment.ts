/**
 * OS::Cinder::VolumeAttachment: a volume plugged into a server through
 * compute's door (Nova's os-volume_attachments). Its physical id is the
 * volume's id, as Nova's attachment id is; the server is kept in its data.
 */
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { nova } from '../compute/lookups.js';
import { custom, string } from '../schema.js';
import { deleteUnlessGone, text } from '../support.js';
import { cinder, settleVolume } from './volume.js';

async function attach(ctx: ResourceContext, p: JsonObject): Promise<void> {
  const serverId = text(p, 'instance_uuid') ?? '';
  const volume = await cinder(ctx.services).findVolume(ctx.caller, text(p, 'volume_id') ?? '');
  await ctx.setData('server', serverId);
  await ctx.setPhysicalId(volume.id);
  const attached = await nova(ctx.services).listVolumeAttachments(ctx.caller, serverId);
  // An earlier attempt that attached it: Nova refuses a second attachment of the same volume.
  if (!attached.some((a) => a.volumeId === volume.id)) await nova(ctx.services).attachVolume(ctx.caller, serverId, volume.id);
  await settleVolume(ctx, volume.id, ['in-use']);
}

async function detach(ctx: ResourceContext): Promise<void> {
  const serverId = ctx.resource.data.server;
  const volumeId = ctx.resource.physicalId;
  if (serverId === undefined || volumeId === null) return;
  await deleteUnlessGone(nova(ctx.services).detachVolume(ctx.caller, serverId, volumeId));
}

export const volumeAttachmentResource: ResourcePlugin = {
  type: 'OS::Cinder::VolumeAttachment',
  description: 'Attaches a volume to a server.',
  properties: {
    instance_uuid: string('The ID of the server to which the volume attaches.', { required: true, updateAllowed: true }),
    volume_id: string('The ID of the volume to be attached.', { required: true, updateAllowed: true, constraints: [custom('cinder.volume')] }),
    mountpoint: string(
      'The location where the volume is exposed on the instance. This assignment may not be honored and it is advised that the path /dev/disk/by-id/virtio-<VolumeId> be used instead.',
      { updateAllowed: true },
    ),
  },
  attributes: {},
  create: attach,
  async update(ctx, change) {
    await detach(ctx);
    await attach(ctx, change.properties);
  },
  delete: detach,
  resolveAttribute: async () => null,
};
