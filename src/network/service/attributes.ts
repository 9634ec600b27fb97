/**
 * Neutron's attribute maps (neutron-lib's RESOURCE_ATTRIBUTE_MAP): each
 * resource declares which attributes may be given on create and on update and
 * of which type. From a map follow the JSON schema its bodies are checked
 * with (at the route and in operations.ts, see body-schemas.ts) and the
 * conversions Neutron applies (`"true"` is a boolean).
 */
import { errors, notFound } from '../errors.js';

export type AttrType = 'string' | 'boolean' | 'integer' | 'list' | 'nullable-list' | 'string-list' | 'object' | 'any' | 'nullable-string' | 'nullable-integer';

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

/** JSON schema of one resource's body for `mode`: its attributes and the standard ones, nothing else, each of its type. */
export function attributesSchema(resource: string, map: AttrMap, mode: 'create' | 'update'): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries({ ...STANDARD_ATTRS, ...map })) {
    // `false`: given in the wrong mode, the key is refused as read-only (Neutron's wording).
    properties[key] = (mode === 'create' ? spec.create : spec.update) ? valueSchema(spec) : false;
  }
  return { title: resource, type: 'object', properties, additionalProperties: false };
}

/** Digit strings Neutron converts to integers (convert_to_int). */
const INTEGER_TEXT = '^-?[0-9]+$';

function valueSchema(spec: AttrSpec): Record<string, unknown> {
  const maxLength = spec.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxItems = spec.maxItems ?? DEFAULT_MAX_ITEMS;
  switch (spec.type) {
    case 'string':
      return { type: 'string', maxLength };
    case 'nullable-string':
      return { type: ['string', 'null'], maxLength };
    // Neutron converts "true", "on", 1, ... (convert_to_boolean): the spelling is checked as it is converted.
    case 'boolean':
      return { type: ['boolean', 'string', 'number'] };
    case 'integer':
      return { type: ['integer', 'string'], pattern: INTEGER_TEXT };
    case 'nullable-integer':
      return { type: ['integer', 'string', 'null'], pattern: INTEGER_TEXT };
    case 'list':
      return { type: 'array', maxItems };
    // Neutron's convert_none_to_empty_list: null is an empty list.
    case 'nullable-list':
      return { type: ['array', 'null'], maxItems };
    case 'string-list':
      return { type: 'array', maxItems, items: { type: 'string', maxLength: DEFAULT_MAX_LENGTH } };
    case 'object':
      return { type: 'object' };
    case 'any':
      return {};
  }
}

/**
 * Neutron's conversions of a body its schema accepted (at the route, or in
 * operations.ts): booleans from their spellings, integers from digit strings.
 */
export function convertBody(map: AttrMap, body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    const type = map[key]?.type;
    if (type === 'boolean') out[key] = toBoolean(key, value);
    if ((type === 'integer' || type === 'nullable-integer') && typeof value === 'string') out[key] = Number(value);
  }
  return out;
}

export function toBoolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(lower)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(lower)) return false;
  }
  throw errors.invalidAttribute(key, `'${String(value)}' cannot be converted to boolean`);
}

/** `availability_zone_hints` (a string list, checked by its schema) naming zones that exist, or Neutron's 404 AvailabilityZoneNotFound. */
export function checkAvailabilityZoneHints(hints: unknown): string[] {
  if (hints === undefined) return [];
  const zones = hints as string[];
  const unknown = zones.find((zone) => !ZONES.includes(zone));
  if (unknown !== undefined) throw notFound.availabilityZone(unknown);
  return [...new Set(zones)];
}
