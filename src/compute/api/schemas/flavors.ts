/** Flavor manage, extra specs and access bodies (nova/api/openstack/compute/schemas/flavor_manage.py, flavors_extraspecs.py, flavor_access.py). */
import type { VersionedEntry } from '../../../core/microversions.js';
import type { BodySchema } from '../schema.js';
import { boolean, envelope, MAX_INT, metadata, name, strictObject } from './parameter-types.js';

/** `flavor_param_positive` / `flavor_param_non_negative`: integers or strings of digits (whose range the route checks). */
const positive: BodySchema = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, maximum: MAX_INT };
const nonNegative: BodySchema = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 0, maximum: MAX_INT };
const description: BodySchema = { type: ['string', 'null'], maxLength: 65535 };

const createFields: Record<string, BodySchema> = {
  name,
  // A number is an id too (stored as its decimal string); length and pattern bind strings only, as in JSON Schema.
  id: { type: ['string', 'number', 'null'], minLength: 1, maxLength: 255, pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$' },
  ram: positive,
  vcpus: positive,
  disk: nonNegative,
  'OS-FLV-EXT-DATA:ephemeral': nonNegative,
  swap: nonNegative,
  rxtx_factor: { type: ['number', 'string'], pattern: '^[0-9]+(\\.[0-9]+)?$' },
  'os-flavor-access:is_public': boolean,
};
const required = ['name', 'ram', 'vcpus', 'disk'];

export const createFlavor: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.54', value: envelope('flavor', strictObject(createFields, required)) },
  { from: '2.55', value: envelope('flavor', strictObject({ ...createFields, description }, required)) },
];

/** PUT /flavors/{id} exists from 2.55; before, the route refuses whatever the body. */
export const updateFlavor: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.54', value: {} },
  { from: '2.55', value: envelope('flavor', strictObject({ description }, ['description'])) },
];

export const createExtraSpecs = envelope('extra_specs', metadata);

/** PUT .../os-extra_specs/{key}: `{key: value}`, one key matching the URI (checked by the route). */
export const updateExtraSpec = metadata;

const tenant = strictObject({ tenant: { type: 'string', minLength: 1, maxLength: 255 } }, ['tenant']);

/** POST /flavors/{id}/action: the body of each action; which action the route decides. */
export const flavorAccessAction: BodySchema = { type: 'object', properties: { addTenantAccess: tenant, removeTenantAccess: tenant } };
