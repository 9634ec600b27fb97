/**
 * POST /servers per microversion (nova/api/openstack/compute/schemas/servers.py):
 * the server's keys and their types. The entries of block_device_mapping(_v2),
 * personality and scheduler hints, UUIDs, IP addresses and base64 are
 * checked by the route (server-create.ts, block-devices.ts) with Nova's
 * messages; so are the numbers that may come as strings.
 */
import type { VersionedEntry } from '../../../core/microversions.js';
import { MAX_TAGS } from '../../service/servers.js';
import type { BodySchema } from '../schema.js';
import { boolean, metadata, name, positiveInteger, strictObject } from './parameter-types.js';
import { tag } from './server-metadata-tags.js';

/**
 * NICs and block devices one server may ask for. Nova's schema has no
 * maxItems (Neutron's port quota and Cinder's volume quota stop a build
 * later); here each entry is a lookup at the API and a port or volume made
 * by the build, so the list is bounded first, well above what a guest's
 * PCI slots hold.
 */
export const MAX_DEVICES_PER_LIST = 64;

const string255: BodySchema = { type: 'string', minLength: 1, maxLength: 255 };

const network = (withTag: boolean): BodySchema =>
  strictObject({
    uuid: { type: 'string' },
    port: { type: ['string', 'null'] },
    fixed_ip: { type: 'string' },
    ...(withTag && { tag: { type: 'string', minLength: 1, maxLength: 60 } }),
  });

const networks = (withTag: boolean, autoOrNone: boolean): BodySchema => {
  const list: BodySchema = { type: 'array', items: network(withTag), maxItems: MAX_DEVICES_PER_LIST };
  return autoOrNone ? { oneOf: [list, { type: 'string', enum: ['auto', 'none'] }] } : list;
};

/** What changes along the versions. */
interface Features {
  description: boolean;
  networkTag: boolean;
  networksRequired: boolean;
  tags: boolean;
  personality: boolean;
  certificates: boolean;
  requestedHost: boolean;
}

function createServer(features: Features): BodySchema {
  const server = strictObject(
    {
      name,
      imageRef: { type: ['string', 'null'], maxLength: 255 },
      flavorRef: string255,
      networks: networks(features.networkTag, features.networksRequired),
      key_name: string255,
      user_data: { type: ['string', 'null'] },
      metadata,
      security_groups: { type: 'array', items: { type: 'object', properties: { name: string255 }, required: ['name'] } },
      availability_zone: string255,
      min_count: positiveInteger,
      max_count: positiveInteger,
      return_reservation_id: boolean,
      adminPass: { type: 'string' },
      accessIPv4: { type: 'string' },
      accessIPv6: { type: 'string' },
      config_drive: { type: ['boolean', 'string'] },
      'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
      block_device_mapping: { type: 'array', maxItems: MAX_DEVICES_PER_LIST },
      block_device_mapping_v2: { type: 'array', maxItems: MAX_DEVICES_PER_LIST },
      ...(features.description && { description: { type: ['string', 'null'], maxLength: 255 } }),
      ...(features.tags && { tags: { type: 'array', items: tag, maxItems: MAX_TAGS } }),
      ...(features.personality && { personality: { type: 'array', items: strictObject({ path: { type: 'string' }, contents: { type: 'string' } }) } }),
      ...(features.certificates && { trusted_image_certificates: { type: ['array', 'null'] } }),
      ...(features.requestedHost && { host: string255, hypervisor_hostname: string255 }),
    },
    features.networksRequired ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef'],
  );
  const hints: BodySchema = { type: 'object' };
  return strictObject({ server, 'os:scheduler_hints': hints, 'OS-SCH-HNT:scheduler_hints': hints }, ['server']);
}

const base: Features = {
  description: false,
  networkTag: false,
  networksRequired: false,
  tags: false,
  personality: true,
  certificates: false,
  requestedHost: false,
};
const v219 = { ...base, description: true };
const v232 = { ...v219, networkTag: true };
const v237 = { ...v232, networksRequired: true };
const v252 = { ...v237, tags: true };
const v257 = { ...v252, personality: false };
const v263 = { ...v257, certificates: true };
const v274 = { ...v263, requestedHost: true };

export const createServerBody: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.18', value: createServer(base) },
  { from: '2.19', to: '2.31', value: createServer(v219) },
  { from: '2.32', to: '2.36', value: createServer(v232) },
  { from: '2.37', to: '2.51', value: createServer(v237) },
  { from: '2.52', to: '2.56', value: createServer(v252) },
  { from: '2.57', to: '2.62', value: createServer(v257) },
  { from: '2.63', to: '2.73', value: createServer(v263) },
  { from: '2.74', value: createServer(v274) },
];

/** PUT /servers/{id}: name, access addresses and disk config; description from 2.19. */
const updateFields: Record<string, BodySchema> = {
  name,
  accessIPv4: { type: 'string' },
  accessIPv6: { type: 'string' },
  'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
};

export const updateServerBody: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.18', value: strictObject({ server: strictObject(updateFields) }, ['server']) },
  { from: '2.19', value: strictObject({ server: strictObject({ ...updateFields, description: { type: ['string', 'null'], maxLength: 255 } }) }, ['server']) },
];
