/**
 * block_device_mapping_v2 (and the legacy block_device_mapping) of POST
 * /servers, as Nova's schema (schemas/servers.py) and BlockDeviceDict.from_api
 * check them: types and enums, `tag` at 2.32 and from 2.42, `volume_type`
 * from 2.67, a uuid for every source but blank, no image→local device unless
 * it is the imageRef's root. What needs Glance or Cinder (does the volume
 * exist, boot sequence, sizes) is checked by the service (block-devices.ts).
 */
import type { Microversion } from '../../core/microversions.js';
import { blockDeviceErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { RequestedBlockDevice } from '../service/block-devices.js';
import * as v from './validate.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const LEGACY_KEYS = ['virtual_name', 'volume_id', 'snapshot_id', 'volume_size', 'device_name', 'delete_on_termination', 'no_device', 'connection_info'];
const V2_KEYS = [...LEGACY_KEYS, 'source_type', 'uuid', 'image_id', 'destination_type', 'guest_format', 'device_type', 'disk_bus', 'boot_index'];

const invalidFormat = blockDeviceErrors.invalid;

function uuidField(value: unknown, field: string): string {
  const text = v.string(value, field);
  if (!UUID.test(text)) throw v.invalid(field, value, `'${text}' is not a 'uuid'`);
  return text;
}

function optionalString(value: unknown, field: string, options: { min?: number; max?: number; pattern?: RegExp } = {}): string | null {
  return value === undefined ? null : v.string(value, field, { max: 255, ...options });
}

/** The fields both syntaxes share. */
function common(bdm: Record<string, unknown>) {
  const volumeSize = bdm.volume_size === undefined || bdm.volume_size === null ? null : v.integer(bdm.volume_size, 'volume_size', { min: 1 });
  return {
    volumeSize,
    deleteOnTermination: bdm.delete_on_termination === undefined ? false : v.boolean(bdm.delete_on_termination, 'delete_on_termination'),
    deviceName: optionalString(bdm.device_name, 'device_name', { min: 1, pattern: /^[a-zA-Z0-9._/-]*$/ }),
  };
}

function parseV2(raw: unknown, version: Microversion, imageGiven: boolean): RequestedBlockDevice | null {
  const bdm = v.object(raw, 'block_device_mapping_v2');
  const keys = [...V2_KEYS];
  if ((atLeast(version, '2.32') && !atLeast(version, '2.33')) || atLeast(version, '2.42')) keys.push('tag');
  if (atLeast(version, '2.67')) keys.push('volume_type');
  v.onlyKeys(bdm, keys, 'block_device_mapping_v2');
  const sourceType = bdm.source_type === undefined ? null : v.string(bdm.source_type, 'source_type');
  if (sourceType !== null && !['volume', 'image', 'snapshot', 'blank'].includes(sourceType)) {
    throw v.invalid('source_type', sourceType, "is not one of ['volume', 'image', 'snapshot', 'blank']");
  }
  const destination = bdm.destination_type === undefined ? null : v.string(bdm.destination_type, 'destination_type');
  if (destination !== null && destination !== 'local' && destination !== 'volume')
    throw v.invalid('destination_type', destination, "is not one of ['local', 'volume']");
  for (const field of ['volume_id', 'snapshot_id', 'image_id'] as const) if (bdm[field] !== undefined) uuidField(bdm[field], field);
  let bootIndex: number | null = null;
  if (bdm.boot_index !== undefined && bdm.boot_index !== null) {
    if (typeof bdm.boot_index === 'string' && !/^-?[0-9]+$/.test(bdm.boot_index))
      throw v.invalid('boot_index', bdm.boot_index, `'${bdm.boot_index}' does not match '^-?[0-9]+$'`);
    bootIndex = v.integer(bdm.boot_index, 'boot_index');
  }
  const uuid = optionalString(bdm.uuid, 'uuid', { min: 1, pattern: /^[a-zA-Z0-9._-]*$/ });
  const rest = common(bdm);
  const tag = optionalString(bdm.tag, 'tag', { min: 1, max: 60, pattern: /^[^,/]*$/ });
  const volumeType = bdm.volume_type === undefined || bdm.volume_type === null ? null : v.string(bdm.volume_type, 'volume_type', { min: 0, max: 255 });
  const guestFormat = optionalString(bdm.guest_format, 'guest_format');
  optionalString(bdm.device_type, 'device_type');
  optionalString(bdm.disk_bus, 'disk_bus');
  if (bdm.no_device) return null;
  if (sourceType === null) throw invalidFormat('Some required fields are missing');
  // Without a destination, image and blank sources are local disks, volumes and snapshots volumes.
  const destinationType = destination ?? (sourceType === 'image' || sourceType === 'blank' ? 'local' : 'volume');
  if (sourceType === 'blank' && uuid !== null) throw invalidFormat('Invalid device UUID.');
  if (sourceType !== 'blank' && uuid === null) throw invalidFormat('Missing device UUID.');
  if (sourceType === 'image' && destinationType === 'local' && !(imageGiven && bootIndex === 0))
    throw invalidFormat('Mapping image to local is not supported.');
  if (destinationType === 'local' && volumeType !== null) throw invalidFormat('Specifying a volume_type with destination_type=local is not supported.');
  if (sourceType === 'volume' && volumeType !== null) throw invalidFormat('Specifying volume type to existing volume is not supported.');
  return { sourceType: sourceType as RequestedBlockDevice['sourceType'], destinationType, sourceId: uuid, bootIndex, tag, volumeType, guestFormat, ...rest };
}

/** A legacy mapping: a volume or snapshot at a device; the one at vda is the root (Nova's from_legacy_mapping). */
function parseLegacy(raw: unknown): RequestedBlockDevice | null {
  const bdm = v.object(raw, 'block_device_mapping');
  v.onlyKeys(bdm, LEGACY_KEYS, 'block_device_mapping');
  const rest = common(bdm);
  if (bdm.virtual_name !== undefined) v.string(bdm.virtual_name, 'virtual_name', { max: 255 });
  if (bdm.connection_info !== undefined) v.string(bdm.connection_info, 'connection_info');
  if (bdm.no_device) return null;
  const volumeId = bdm.volume_id === undefined ? null : uuidField(bdm.volume_id, 'volume_id');
  const snapshotId = bdm.snapshot_id === undefined ? null : uuidField(bdm.snapshot_id, 'snapshot_id');
  if (volumeId === null && snapshotId === null) {
    // Ephemeral and swap devices (virtual_name) are local disks.
    return { sourceType: 'blank', destinationType: 'local', sourceId: null, bootIndex: -1, tag: null, volumeType: null, guestFormat: null, ...rest };
  }
  const root = rest.deviceName !== null && rest.deviceName.replace(/^\/dev\//, '') === 'vda';
  return {
    sourceType: snapshotId !== null ? 'snapshot' : 'volume',
    destinationType: 'volume',
    sourceId: snapshotId ?? volumeId,
    bootIndex: root ? 0 : -1,
    tag: null,
    volumeType: null,
    guestFormat: null,
    ...rest,
  };
}

/** The mappings of a create request, [] when none; `imageGiven` says whether imageRef names an image. */
export function parseBlockDevices(
  server: { block_device_mapping?: unknown[]; block_device_mapping_v2?: unknown[] },
  version: Microversion,
  imageGiven: boolean,
): RequestedBlockDevice[] {
  // The route schema made both lists arrays of at most MAX_DEVICES_PER_LIST entries.
  const legacyList = server.block_device_mapping ?? [];
  const v2List = server.block_device_mapping_v2 ?? [];
  if (legacyList.length > 0 && v2List.length > 0) throw blockDeviceErrors.mixedSyntaxes();
  const parsed = legacyList.length > 0 ? legacyList.map(parseLegacy) : v2List.map((raw) => parseV2(raw, version, imageGiven));
  return parsed.filter((bdm): bdm is RequestedBlockDevice => bdm !== null);
}
