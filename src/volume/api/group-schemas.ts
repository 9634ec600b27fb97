/** Request bodies of group types, groups and group snapshots, as cinder/api/schemas/group*.py has them. */
import { osloBoolean } from '../../core/http/parameter-types.js';
import type { BodySchema } from '../../core/http/versioned-body.js';

const text = { type: ['string', 'null'], maxLength: 255 } as const;
const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' } as const;
const specs = {
  type: ['object', 'null'],
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
} as const;

function wrapped(key: string, entity: object): BodySchema {
  return { type: 'object', required: [key], additionalProperties: false, properties: { [key]: { type: 'object', additionalProperties: false, ...entity } } };
}

export const groupTypeCreate = wrapped('group_type', {
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, description: text, is_public: osloBoolean, group_specs: specs },
});
export const groupTypeUpdate = wrapped('group_type', { properties: { name: text, description: text, is_public: osloBoolean } });
export const groupSpecsBody = wrapped('group_specs', { patternProperties: specs.patternProperties });
/** PUT /group_specs/{key}: one key, its string value. */
export const groupSpecItem: BodySchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  patternProperties: specs.patternProperties,
  additionalProperties: false,
};

export const groupCreate = wrapped('group', {
  required: ['group_type', 'volume_types'],
  properties: {
    name: text,
    description: text,
    group_type: { type: 'string', minLength: 1, maxLength: 255 },
    volume_types: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', maxLength: 255 } },
    availability_zone: text,
  },
});
export const groupUpdate = wrapped('group', {
  properties: { name: text, description: text, add_volumes: text, remove_volumes: text },
  anyOf: [{ required: ['name'] }, { required: ['description'] }, { required: ['add_volumes'] }, { required: ['remove_volumes'] }],
});
export const groupFromSource = wrapped('create-from-src', {
  properties: { name: text, description: text, source_group_id: uuid, group_snapshot_id: uuid },
  oneOf: [{ required: ['group_snapshot_id'] }, { required: ['source_group_id'] }],
});
export const groupDelete = wrapped('delete', { properties: { 'delete-volumes': osloBoolean } });
export const resetStatus = (key: string) => wrapped(key, { required: ['status'], properties: { status: { type: 'string', maxLength: 255 } } });
export const groupSnapshotCreate = wrapped('group_snapshot', { required: ['group_id'], properties: { group_id: uuid, name: text, description: text } });
