/**
 * Cinder's error body (the common wsgi Fault, see core/http/wsgi-fault.ts), and the named errors of
 * cinder/exception.py the volume service raises, with Cinder's messages.
 */
import { BadRequest, Forbidden, NotFound, PayloadTooLarge } from '../core/errors.js';
import { renderWsgiFault } from '../core/http/wsgi-fault.js';

export const renderCinderError = renderWsgiFault;

export const notFound = {
  volume: (id: string) => new NotFound(`Volume ${id} could not be found.`),
  snapshot: (id: string) => new NotFound(`Snapshot ${id} could not be found.`),
  volumeType: (id: string) => new NotFound(`Volume type ${id} could not be found.`),
  volumeTypeByName: (name: string) => new NotFound(`Volume type with name ${name} could not be found.`),
  qos: (id: string) => new NotFound(`No such QoS spec ${id}.`),
  attachment: (id: string) => new NotFound(`Volume attachment could not be found with filter: attachment_id = ${id}.`),
  volumeMetadata: (id: string, key: string) => new NotFound(`Volume ${id} has no metadata with key ${key}.`),
  snapshotMetadata: (id: string, key: string) => new NotFound(`Snapshot ${id} has no metadata with key ${key}.`),
  extraSpec: (id: string, key: string) => new NotFound(`Volume Type ${id} has no extra specs with key ${key}.`),
  image: (id: string) => new NotFound(`Image ${id} could not be found.`),
} as const;

export const errors = {
  invalidInput: (reason: string) => new BadRequest(`Invalid input received: ${reason}`),
  invalidVolume: (reason: string) => new BadRequest(`Invalid volume: ${reason}`),
  invalidSnapshot: (reason: string) => new BadRequest(`Invalid snapshot: ${reason}`),
  invalidVolumeType: (reason: string) => new BadRequest(`Invalid volume type: ${reason}`),
  invalidImage: (reason: string) => new BadRequest(`Invalid image: ${reason}`),
  policy: (action: string) => new Forbidden(`Policy doesn't allow ${action} to be performed.`),
  /** VolumeSizeExceedsAvailableQuota / SnapshotSizeExceedsAvailableQuota. */
  gigabytesQuota: (name: string, requested: number, quota: number, consumed: number) =>
    new PayloadTooLarge(
      `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed ${name} quota. Requested ${requested}G, quota is ${quota}G and ${consumed}G has been consumed.`,
    ),
  countQuota: (what: 'volumes' | 'snapshots' | 'backups', allowed: number, name: string) => {
    const prefix = { volumes: 'VolumeLimitExceeded', snapshots: 'SnapshotLimitExceeded', backups: 'BackupLimitExceeded' }[what];
    return new PayloadTooLarge(`${prefix}: Maximum number of ${what} allowed (${allowed}) exceeded for quota '${name}'.`);
  },
  volumeSizeLimit: (size: number, limit: number) =>
    new PayloadTooLarge(`VolumeSizeExceedsLimit: Requested volume size ${size}G is larger than maximum allowed limit ${limit}G.`),
};
