/**
 * Request attribute checking in Neutron's manner (neutron-lib's
 * RESOURCE_ATTRIBUTE_MAP): each resource declares which attributes may be
 * given on create and on update; anything else is a 400 naming it, and
 * values are converted as Neutron converts them (`"true"` is a boolean).
 */
import { BadRequest, NotFound } from '../../core/errors.js';

export type AttrType = 'string' | 'boolean' | 'integer' | 'list' | 'string-list' | 'object' | 'any' | 'nullable-string' | 'nullable-integer';

export interface AttrSpec {
  type: AttrType;
  /** May be given on create. */
  create?: boolean;
  /** May be given on update. */
  update?: boolean;
  /** Longest string accepted; Neutron's NAME_MAX_LEN (255) unless said otherwise. */
  maxLength?: number;
  /** Most items a list may have (DEFAULT_MAX_ITEMS unless said otherwise), checked before anything is looked up. */
  maxItems?: number;
}

/** Neutron bounds names, ids, descriptions and host names to 255 characters. */
const DEFAULT_MAX_LENGTH = 255;
/** No Neutron list attribute needs more; lists with a Neutron limit (fixed IPs, routes, nameservers) are checked lower down. */
const DEFAULT_MAX_ITEMS = 1000;

/** The one availability zone Nimbus offers (see api/availability-zones.ts). */
const ZONES = ['nova'];

export type AttrMap = Record<string, AttrSpec>;

export const STANDARD_ATTRS: AttrMap = {
  name: { type: 'string', create: true, update: true, maxLength: 255 },
  description: { type: 'string', create: true, update: true, maxLength: 255 },
  project_id: { type: 'string', create: true },
  tenant_id: { type: 'string', create: true },
};

/** Checks a create or update body against `map`; returns the converted values. */
export function checkBody(resource: string, map: AttrMap, body: unknown, mode: 'create' | 'update'): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequest(`Body of ${resource} must be an object.`);
  }
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const spec = map[key] ?? STANDARD_ATTRS[key];
    if (!spec) {
      unknown.push(key);
      continue;
    }
    if (mode === 'create' ? !spec.create : !spec.update) {
      throw new BadRequest(`Cannot update read-only attribute ${key}`);
    }
    out[key] = convert(key, spec, value);
  }
  if (unknown.length > 0) throw new BadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  return out;
}

function invalid(key: string, reason: string): BadRequest {
  return new BadRequest(`Invalid input for ${key}. Reason: ${reason}.`);
}

export function toBoolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(lower)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(lower)) return false;
  }
  throw invalid(key, `'${String(value)}' cannot be converted to boolean`);
}

function convert(key: string, spec: AttrSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'string':
    case 'nullable-string':
      if (value === null && spec.type === 'nullable-string') return null;
      if (typeof value !== 'string') throw invalid(key, `'${JSON.stringify(value)}' is not a valid string`);
      if (value.length > (spec.maxLength ?? DEFAULT_MAX_LENGTH)) {
        throw invalid(key, `'${value.slice(0, 64)}...' exceeds maximum length of ${spec.maxLength ?? DEFAULT_MAX_LENGTH}`);
      }
      return value;
    case 'boolean':
      return toBoolean(key, value);
    case 'integer':
    case 'nullable-integer': {
      if (value === null && spec.type === 'nullable-integer') return null;
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid(key, `'${String(value)}' is not an integer`);
      return n;
    }
    case 'list':
    case 'string-list':
      if (!Array.isArray(value)) throw invalid(key, `'${JSON.stringify(value)}' is not a list`);
      if (value.length > (spec.maxItems ?? DEFAULT_MAX_ITEMS)) throw invalid(key, `a list of ${value.length} items exceeds the maximum of ${spec.maxItems ?? DEFAULT_MAX_ITEMS}`);
      if (spec.type === 'string-list') {
        const wrong = value.find((item) => typeof item !== 'string' || item.length > DEFAULT_MAX_LENGTH);
        if (wrong !== undefined) throw invalid(key, `'${JSON.stringify(wrong).slice(0, 64)}' is not a valid string`);
      }
      return value;
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(key, `'${JSON.stringify(value)}' is not a dictionary`);
      return value;
    case 'any':
      return value;
  }
}

/** `availability_zone_hints` (a string list, checked by checkBody) naming zones that exist, or Neutron's 404 AvailabilityZoneNotFound. */
export function checkAvailabilityZoneHints(hints: unknown): string[] {
  if (hints === undefined) return [];
  const zones = hints as string[];
  const unknown = zones.find((zone) => !ZONES.includes(zone));
  if (unknown !== undefined) throw new NotFound(`AvailabilityZone ${unknown} could not be found.`, { type: 'AvailabilityZoneNotFound' });
  return [...new Set(zones)];
}
