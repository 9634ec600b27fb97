/** POST and PUT /servers/{id}/os-volume_attachments per microversion (nova/api/openstack/compute/schemas/volume_attachments.py). */
import type { VersionedEntry } from '../../../core/microversions.js';
import type { BodySchema } from '../schema.js';
import { boolean, envelope, strictObject } from './parameter-types.js';

const UUID_PATTERN = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';

const volumeId: BodySchema = { type: 'string', pattern: UUID_PATTERN };
const fields: Record<string, BodySchema> = {
  volumeId,
  device: { type: ['string', 'null'], pattern: '^(/dev/)?[a-z]+[0-9]*$' },
};
const tag: BodySchema = { type: 'string', minLength: 1, maxLength: 60 };

/** `tag` from 2.49, `delete_on_termination` from 2.79. */
export const attachVolume: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.48', value: envelope('volumeAttachment', strictObject(fields, ['volumeId'])) },
  { from: '2.49', to: '2.78', value: envelope('volumeAttachment', strictObject({ ...fields, tag }, ['volumeId'])) },
  { from: '2.79', value: envelope('volumeAttachment', strictObject({ ...fields, tag, delete_on_termination: boolean }, ['volumeId'])) },
];

/** PUT /servers/{id}/os-volume_attachments/{volume}: up to 2.84 only a swap, naming the new volume. */
export const swapVolume: VersionedEntry<BodySchema>[] = [{ from: '2.1', value: envelope('volumeAttachment', strictObject({ volumeId }, ['volumeId'])) }];
