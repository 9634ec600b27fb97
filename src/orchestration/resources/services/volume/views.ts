/** A volume as Cinder's API shows it, and the attribute names Heat gives its fields. */
import type { VolumeInfo } from '../../../../volume/operations.js';
import type { JsonObject } from '../../../json.js';
import { asJson } from '../support.js';

export function volumeView(v: VolumeInfo): JsonObject {
  const attachments = v.attachments.map((a) => ({ attachment_id: a.attachmentId, server_id: a.serverId, device: a.device, volume_id: v.id, id: v.id }));
  return asJson({
    id: v.id,
    name: v.name,
    display_name: v.name,
    description: v.description,
    display_description: v.description,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    volume_type: v.volumeTypeId,
    bootable: v.bootable,
    multiattach: v.multiattach,
    encrypted: false,
    metadata: v.metadata,
    metadata_values: v.metadata,
    volume_image_metadata: v.imageMetadata,
    attachments,
    attachments_list: attachments,
    created_at: v.createdAt,
    'os-vol-tenant-attr:tenant_id': v.projectId,
  });
}
