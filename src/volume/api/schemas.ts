/**
 * Cinder's request bodies as JSON schemas (cinder/api/schemas/*.py and
 * cinder/api/validation/parameter_types.py are the reference), checked at
 * the route once the caller is authenticated (see `begin`), as Cinder's
 * `@validation.schema` runs before the controller. Where Nimbus accepted
 * more than Cinder (digit strings for sizes, descriptions up to 64 KiB on
 * update) it still does: clients saw those answers. Violations read as
 * Cinder's validator words them (`cinderSchemaError` in ../errors.ts).
 */
import type { VersionedEntry } from '../../core/microversions.js';
import { osloBoolean } from '../../core/http/parameter-types.js';
import type { BodySchema } from '../../core/http/versioned-body.js';

/** A string or null of at most `max` characters (Cinder's name/description columns hold 255). */
const text = (max = 255) => ({ type: ['string', 'null'], maxLength: max }) as const;
const requiredText = { type: 'string', maxLength: 255 } as const;

/** An integer, or a string of digits as python clients may send it; its range is the service's check. */
const integer = { type: ['integer', 'string'], pattern: '^\\s*-?[0-9]+\\s*$' } as const;
/** As `integer`, or null where the field may be left unset (a volume's size from its source). */
const optionalInteger = { ...integer, type: ['integer', 'string', 'null'] } as const;

/** parameter_types.extra_specs: keys of letters, digits and `-_:. `, string values. */
const METADATA_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$';
const stringMap = (valueMax = 255) =>
  ({ type: 'object', patternProperties: { [METADATA_KEY]: { type: 'string', maxLength: valueMax } }, additionalProperties: false }) as const;
const metadata = { ...stringMap(), type: ['object', 'null'] } as const;

/** `{ "<key>": {...} }` with nothing else at the top (Cinder's `additionalProperties: False`). */
function wrapped(key: string, entity: object, extraTop: Record<string, object> = {}): BodySchema {
  return { type: 'object', required: [key], additionalProperties: false, properties: { [key]: { type: 'object', ...entity }, ...extraTop } };
}

// ---- volumes ---------------------------------------------------------------

const volumeCreateFields = {
  name: text(),
  description: text(),
  display_name: text(),
  display_description: text(),
  volume_type: text(),
  metadata,
  snapshot_id: text(),
  source_volid: text(),
  consistencygroup_id: text(),
  size: optionalInteger,
  availability_zone: text(),
  multiattach: osloBoolean,
  image_id: text(),
  imageRef: text(),
};
const schedulerHints = { 'OS-SCH-HNT:scheduler_hints': { type: ['object', 'null'] } };
const createV313 = { ...volumeCreateFields, group_id: text() };
const createV347 = { ...createV313, backup_id: text() };

/** POST /volumes, per Cinder's ranges: 3.13 adds group_id, 3.47 backup_id, 3.53 refuses unknown keys. */
export const volumeCreate: VersionedEntry<BodySchema>[] = [
  { from: '3.0', to: '3.12', value: wrapped('volume', { properties: volumeCreateFields }, schedulerHints) },
  { from: '3.13', to: '3.46', value: wrapped('volume', { properties: createV313 }, schedulerHints) },
  { from: '3.47', to: '3.52', value: wrapped('volume', { properties: createV347 }, schedulerHints) },
  { from: '3.53', value: wrapped('volume', { properties: createV347, additionalProperties: false }, schedulerHints) },
];

const volumeUpdateFields = {
  name: text(),
  description: text(65535),
  display_name: text(),
  display_description: text(65535),
  metadata: stringMap(),
};

/** PUT /volumes/{id}: from 3.53 at least one field must be given. */
export const volumeUpdate: VersionedEntry<BodySchema>[] = [
  { from: '3.0', to: '3.52', value: wrapped('volume', { properties: volumeUpdateFields, additionalProperties: false }) },
  {
    from: '3.53',
    value: wrapped('volume', {
      properties: volumeUpdateFields,
      additionalProperties: false,
      anyOf: Object.keys(volumeUpdateFields).map((field) => ({ required: [field] })),
    }),
  },
];

// ---- volume actions (each validated as `{ "<action>": {...} }`) -------------

/** An action without required arguments may name them null (`{"os-reserve": null}`). */
const action = (name: string, args: { required?: string[]; properties?: object }): BodySchema => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: args.required ? 'object' : ['object', 'null'], ...args } },
});

export const volumeActions: Record<string, BodySchema> = {
  'os-extend': action('os-extend', { required: ['new_size'], properties: { new_size: integer } }),
  'os-retype': action('os-retype', { required: ['new_type'], properties: { new_type: requiredText, migration_policy: text() } }),
  'os-set_bootable': action('os-set_bootable', { required: ['bootable'], properties: { bootable: osloBoolean } }),
  'os-update_readonly_flag': action('os-update_readonly_flag', { required: ['readonly'], properties: { readonly: osloBoolean } }),
  'os-reset_status': action('os-reset_status', { properties: { status: text(), attach_status: text(), migration_status: text() } }),
  'os-volume_upload_image': action('os-volume_upload_image', {
    required: ['image_name'],
    properties: { image_name: requiredText, disk_format: text(), container_format: text(), force: osloBoolean, visibility: text(), protected: osloBoolean },
  }),
  'os-set_image_metadata': action('os-set_image_metadata', { required: ['metadata'], properties: { metadata: stringMap() } }),
  'os-unset_image_metadata': action('os-unset_image_metadata', { required: ['key'], properties: { key: requiredText } }),
  'os-initialize_connection': action('os-initialize_connection', { required: ['connector'], properties: { connector: { type: 'object' } } }),
  'os-terminate_connection': action('os-terminate_connection', { required: ['connector'], properties: { connector: { type: 'object' } } }),
  'os-attach': action('os-attach', {
    required: ['mountpoint'],
    properties: { instance_uuid: text(), host_name: text(), mountpoint: requiredText, mode: { type: 'string', enum: ['rw', 'ro'] } },
  }),
  'os-detach': action('os-detach', { properties: { attachment_id: text() } }),
  'os-force_detach': action('os-force_detach', { properties: { attachment_id: text(), connector: { type: ['object', 'null'] } } }),
};

// ---- snapshots ---------------------------------------------------------------

export const snapshotCreate = wrapped('snapshot', {
  properties: {
    // Cinder looks a missing or null volume up ("Volume None could not be found", 404; Tempest expects it).
    volume_id: text(),
    name: text(),
    display_name: text(),
    description: text(),
    display_description: text(),
    force: osloBoolean,
    metadata,
  },
});

export const snapshotUpdate = wrapped('snapshot', {
  properties: { name: text(), display_name: text(), description: text(65535), display_description: text(65535) },
});

export const snapshotActions: Record<string, BodySchema> = {
  'os-reset_status': action('os-reset_status', { required: ['status'], properties: { status: requiredText } }),
  'os-force_delete': action('os-force_delete', {}),
  'os-update_snapshot_status': action('os-update_snapshot_status', {
    required: ['status'],
    properties: { status: { type: 'string' }, progress: { type: 'string' } },
  }),
};

// ---- metadata sub-resources --------------------------------------------------

export const metadataBody = { type: 'object', required: ['metadata'], properties: { metadata: stringMap() } } as const;
export const metaItemBody = { type: 'object', required: ['meta'], properties: { meta: stringMap() } } as const;

// ---- types, extra specs, access, QoS -------------------------------------------

export const typeCreate = wrapped('volume_type', {
  required: ['name'],
  properties: {
    name: requiredText,
    description: text(),
    is_public: osloBoolean,
    'os-volume-type-access:is_public': osloBoolean,
    extra_specs: stringMap(),
  },
});

export const typeUpdate = wrapped('volume_type', { properties: { name: text(), description: text(), is_public: osloBoolean } });

/** Cinder's volume_type_encryption schema: create needs provider and control_location, update nothing; other keys pass. */
const encryptionFields = {
  provider: { type: 'string', maxLength: 255 },
  control_location: { enum: ['front-end', 'back-end'] },
  cipher: text(),
  key_size: { type: ['integer', 'string', 'null'], pattern: '^\\s*[0-9]+\\s*$', minimum: 0 },
} as const;
export const encryptionCreate = wrapped('encryption', { required: ['provider', 'control_location'], properties: encryptionFields });
export const encryptionUpdate = wrapped('encryption', { properties: encryptionFields });

export const extraSpecsBody = { type: 'object', required: ['extra_specs'], properties: { extra_specs: stringMap() } } as const;
export const extraSpecItemBody = stringMap();

const projectAccess = (name: string) => action(name, { required: ['project'], properties: { project: requiredText } });
export const typeActions: Record<string, BodySchema> = {
  addProjectAccess: projectAccess('addProjectAccess'),
  removeProjectAccess: projectAccess('removeProjectAccess'),
};

export const qosCreate = wrapped('qos_specs', { properties: { name: requiredText }, additionalProperties: { type: 'string', maxLength: 255 } });
export const qosUpdate = { type: 'object', required: ['qos_specs'], properties: { qos_specs: stringMap() } } as const;
export const qosDeleteKeys = { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'string' } } } } as const;

// ---- attachments, transfers, backups, quotas -------------------------------------

export const attachmentCreate = wrapped('attachment', {
  required: ['volume_uuid'],
  properties: { volume_uuid: requiredText, instance_uuid: text(), connector: { type: ['object', 'null'] }, mode: { type: 'string', enum: ['rw', 'ro'] } },
});
export const attachmentUpdate = wrapped('attachment', { required: ['connector'], properties: { connector: { type: 'object' } } });
export const attachmentComplete = { type: 'object', required: ['os-complete'] } as const;

export const transferCreate = wrapped('transfer', { required: ['volume_id'], properties: { volume_id: requiredText, name: text() } });
export const transferAccept = wrapped('accept', { required: ['auth_key'], properties: { auth_key: requiredText } });

export const backupCreate = wrapped('backup', {
  required: ['volume_id'],
  properties: {
    volume_id: requiredText,
    name: text(),
    description: text(),
    container: text(),
    incremental: osloBoolean,
    force: osloBoolean,
    snapshot_id: text(),
    metadata,
    availability_zone: text(),
  },
});
export const backupUpdate = wrapped('backup', { additionalProperties: false, properties: { name: text(), description: text(), metadata } });
export const backupImport = wrapped('backup-record', {
  required: ['backup_service', 'backup_url'],
  additionalProperties: false,
  properties: { backup_service: requiredText, backup_url: { type: 'string' } },
});
export const backupResetStatus = wrapped('os-reset_status', {
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['available', 'error'] } },
});
export const backupRestore = {
  type: 'object',
  properties: { restore: { type: ['object', 'null'], properties: { volume_id: text(), name: text() } } },
} as const;

export const quotaUpdate = wrapped('quota_set', {});
export const quotaClassUpdate = wrapped('quota_class_set', {});
