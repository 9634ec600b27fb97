/** os-aggregates bodies (nova/api/openstack/compute/schemas/aggregates.py). */
import type { BodySchema } from '../schema.js';
import { envelope, metadataWithNull, name, strictObject } from './parameter-types.js';

/** A zone name, or null: no ':' (Nova's zone:host:node syntax). */
export const availabilityZone: BodySchema = { type: ['string', 'null'], minLength: 1, maxLength: 255, pattern: '^[^:]*$' };

export const createAggregate = envelope('aggregate', strictObject({ name, availability_zone: availabilityZone }, ['name']));

export const updateAggregate = envelope('aggregate', { ...strictObject({ name, availability_zone: availabilityZone }), minProperties: 1 });

const host = strictObject({ host: { type: 'string', minLength: 1, maxLength: 255 } }, ['host']);

/**
 * POST /os-aggregates/{id}/action: the body of each action; which action
 * (exactly one, a known one) the route decides, with Nova's messages.
 */
export const aggregateAction: BodySchema = {
  type: 'object',
  properties: {
    add_host: host,
    remove_host: host,
    set_metadata: strictObject({ metadata: metadataWithNull }, ['metadata']),
  },
};

/** POST /os-aggregates/{id}/images (2.81, schemas/aggregate_images.py): a non-empty list of image ids. */
export const aggregateImages: BodySchema = strictObject(
  { cache: { type: 'array', minItems: 1, items: strictObject({ id: { type: 'string', format: 'uuid' } }, ['id']) } },
  ['cache'],
);
