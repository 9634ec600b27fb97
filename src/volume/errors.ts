/**
 * Cinder's error body (the common wsgi Fault, see core/http/wsgi-fault.ts), and the named errors of
 * cinder/exception.py the volume service raises, with Cinder's messages.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge } from '../core/errors.js';
import { jsonschemaMessage, pythonStr, violationField, violationValue } from '../core/http/jsonschema-wording.js';
import { renderWsgiFault } from '../core/http/wsgi-fault.js';

export const renderCinderError = renderWsgiFault;

/**
 * A route schema's violation as Cinder's validator words it
 * (cinder/api/validation/validators.py): the field, its value and
 * jsonschema's message; jsonschema's message alone at the top of the body.
 */
export function cinderSchemaError(violation: FastifySchemaValidationError): BadRequest {
  const field = violationField(violation);
  const message = jsonschemaMessage(violation);
  if (field === null) return new BadRequest(message);
  return new BadRequest(`Invalid input for field/attribute ${field}. Value: ${pythonStr(violationValue(violation))}. ${message}`);
}

export const notFound = {
  volume: (id: string) => new NotFound(`Volume ${id} could not be found.`),
  snapshot: (id: string) => new NotFound(`Snapshot ${id} could not be found.`),
  volumeType: (id: string) => new NotFound(`Volume type ${id} could not be found.`),
  volumeTypeByName: (name: string) => new NotFound(`Volume type with name ${name} could not be found.`),
  qos: (id: string) => new NotFound(`No such QoS spec ${id}.`),
  typeEncryption: (typeId: string) => new NotFound(`Volume type encryption for type ${typeId} does not exist.`),
  attachment: (id: string) => new NotFound(`Volume attachment could not be found with filter: attachment_id = ${id}.`),
  volumeMetadata: (id: string, key: string) => new NotFound(`Volume ${id} has no metadata with key ${key}.`),
  snapshotMetadata: (id: string, key: string) => new NotFound(`Snapshot ${id} has no metadata with key ${key}.`),
  extraSpec: (id: string, key: string) => new NotFound(`Volume Type ${id} has no extra specs with key ${key}.`),
  image: (id: string) => new NotFound(`Image ${id} could not be found.`),
  backup: (id: string) => new NotFound(`Backup ${id} could not be found.`),
  transfer: (id: string) => new NotFound(`Transfer ${id} could not be found.`),
  volumeServiceOnHost: (host: string) => new NotFound(`Service cinder-volume could not be found on host ${host}.`),
  serviceOnHost: (binary: string, host: string) => new NotFound(`Service ${binary} could not be found on host ${host}.`),
  service: (host: string) => new NotFound(`Can't find service: ${host}`),
  /** Cinder's MarkerNotFound is a 404 (the shared keyset pager answers 400, as Nova and Glance do). */
  groupType: (id: string) => new NotFound(`Group type ${id} could not be found.`),
  defaultGroupType: () => new NotFound('Default group type can not be found.'),
  groupSpec: (id: string, key: string) => new NotFound(`Group Type ${id} has no specs with key ${key}.`),
  group: (id: string) => new NotFound(`Group ${id} could not be found.`),
  groupSnapshot: (id: string) => new NotFound(`GroupSnapshot ${id} could not be found.`),
  message: (id: string) => new NotFound(`Message ${id} could not be found.`),
  marker: (marker: string) => new NotFound(`Marker ${marker} could not be found.`),
  /** `/volumes/` (a show without an id to Cinder's router). */
  resource: () => new NotFound('The resource could not be found.'),
  /** A route that exists only from a microversion on. */
  needsVersion: (from: string) => new NotFound(`The resource could not be found (it needs microversion ${from}).`),
} as const;

export const errors = {
  invalidInput: (reason: string) => new BadRequest(`Invalid input received: ${reason}`),
  /** A plain webob HTTPBadRequest with the controller's explanation. */
  badRequest: (explanation: string) => new BadRequest(explanation),
  invalidVolume: (reason: string) => new BadRequest(`Invalid volume: ${reason}`),
  invalidSnapshot: (reason: string) => new BadRequest(`Invalid snapshot: ${reason}`),
  invalidVolumeType: (reason: string) => new BadRequest(`Invalid volume type: ${reason}`),
  invalidImage: (reason: string) => new BadRequest(`Invalid image: ${reason}`),
  invalidBackup: (reason: string) => new BadRequest(`Invalid backup: ${reason}`),
  invalidFilters: (...keys: string[]) => new BadRequest(`Invalid filters ${keys.join(',')} are found in query options.`),
  invalidAuthKey: (id: string) => new BadRequest(`Invalid auth key: Attempt to transfer ${id} with invalid auth key.`),
  policy: (action: string) => new Forbidden(`Policy doesn't allow ${action} to be performed.`),
  /** A non-admin addressing another project in the URL. */
  malformedUrl: () => new BadRequest('Malformed request url'),
  malformedActionBody: () => new BadRequest('Malformed request body: an action body holds exactly one action.'),
  noSuchAction: (name: string) => new BadRequest(`There is no such action: ${name}`),
  resetStatusEmpty: () => new BadRequest('Must specify status, attach_status or migration_status.'),
  metadataTooManyItems: () => new BadRequest('Request body contains too many items.'),
  bodyUriMismatch: () => new BadRequest('Request body and URI mismatch'),
  typeUpdateEmpty: () => new BadRequest('Specify volume type name, description, is_public or a combination thereof.'),
  qosNameMissing: () => new BadRequest('Please specify a name for QoS specs.'),
  volumeTypeIdMissing: () => new BadRequest('Volume Type id must not be None.'),
  defaultTypeDelete: () => new BadRequest('Default volume type can not be deleted.'),
  typeInUse: (id: string) =>
    new BadRequest(`Target volume type is still in use. Volume Type ${id} deletion is not allowed with volumes present with the type.`),
  typeExists: (name: string) => new Conflict(`Volume Type ${name} already exists.`),
  typeAccessExists: (typeId: string, projectId: string) => new Conflict(`Volume type access for ${typeId} / ${projectId} combination already exists.`),
  typeEncryptionExists: (typeId: string) => new BadRequest(`Volume type encryption for type ${typeId} already exists.`),
  /** Creating, changing or removing the encryption of a type volumes use. */
  encryptedTypeInUse: (verb: 'create' | 'update' | 'delete') => new BadRequest(`Cannot ${verb} encryption specs. Volume type in use.`),
  /** Cinder's answer to a volume of an encrypted type when no key manager can make its key: Nimbus has none. */
  keyManagerError: () => new BadRequest('Key manager error'),
  groupTypeExists: (name: string) => new Conflict(`Group Type ${name} already exists.`),
  invalidGroup: (reason: string) => new BadRequest(`Invalid Group: ${reason}`),
  invalidGroupSnapshot: (reason: string) => new BadRequest(`Invalid GroupSnapshot: ${reason}`),
  invalidGroupType: (reason: string) => new BadRequest(`Invalid group type: ${reason}`),
  qosExists: (name: string) => new Conflict(`QoS Specs ${name} already exists.`),
  qosKeyMissing: (id: string, key: string) => new Conflict(`QoS spec ${id} has no key ${key}.`),
  /** A find by name (operations.ts) that matches more than one resource. */
  ambiguousName: (kind: string, name: string) => new Conflict(`Multiple ${kind}s match the name ${name}; use an id.`),
  /** VolumeSizeExceedsAvailableQuota / SnapshotSizeExceedsAvailableQuota. */
  gigabytesQuota: (name: string, requested: number, quota: number, consumed: number) =>
    new PayloadTooLarge(
      `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed ${name} quota. Requested ${requested}G, quota is ${quota}G and ${consumed}G has been consumed.`,
    ),
  countQuota: (what: 'volumes' | 'snapshots' | 'backups', allowed: number, name: string) => {
    const prefix = { volumes: 'VolumeLimitExceeded', snapshots: 'SnapshotLimitExceeded', backups: 'BackupLimitExceeded' }[what];
    return new PayloadTooLarge(`${prefix}: Maximum number of ${what} allowed (${allowed}) exceeded for quota '${name}'.`);
  },
  groupQuota: (allowed: number) => new PayloadTooLarge(`GroupLimitExceeded: Maximum number of groups allowed (${allowed}) exceeded`),
  volumeSizeLimit: (size: number, limit: number) =>
    new PayloadTooLarge(`VolumeSizeExceedsLimit: Requested volume size ${size}G is larger than maximum allowed limit ${limit}G.`),
};
