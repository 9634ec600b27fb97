/**
 * Request attribute checking in Neutron's manner (neutron-lib's
 * RESOURCE_ATTRIBUTE_MAP): each resource declares which attributes may be
 * given on create and on update; anything else is a 400 naming it, and
 * values are converted as Neutron converts them (`"true"` is a boolean).
 */
import { BadRequest } from '../../core/errors.js';

export type AttrType = 'string' | 'boolean' | 'integer' | 'list' | 'object' | 'any' | 'nullable-string' | 'nullable-integer';

export interface AttrSpec {
  type: AttrType;
  /** May be given on create. */
  create?: boolean;
  /** May be given on update. */
  update?: boolean;
  maxLength?: number;
}

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
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        throw invalid(key, `'${value}' exceeds maximum length of ${spec.maxLength}`);
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
      if (!Array.isArray(value)) throw invalid(key, `'${JSON.stringify(value)}' is not a list`);
      return value;
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(key, `'${JSON.stringify(value)}' is not a dictionary`);
      return value;
    case 'any':
      return value;
  }
}
