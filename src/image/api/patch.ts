/**
 * Image updates in Glance's JSON-patch dialects, chosen by Content-Type:
 * `application/openstack-images-v2.1-json-patch` (RFC 6902 objects,
 * `{"op": "replace", "path": "/name", "value": ...}`) and the older
 * `application/openstack-images-v2.0-json-patch` (`{"replace": "/name",
 * "value": ...}`). Paths are one level deep except `/locations/N`;
 * read-only and reserved attributes are 403s; values must fit the image
 * schema.
 */
import { BadRequest, Forbidden, UnsupportedMediaType } from '../../core/errors.js';
import { isReadOnly, isReserved, type ImageChange } from '../service/index.js';
import { isObject } from './body.js';
import type { ImageValidator } from './schemas.js';

export const PATCH_MEDIA_TYPES: Readonly<Record<string, 4 | 10>> = {
  'application/openstack-images-v2.0-json-patch': 4,
  'application/openstack-images-v2.1-json-patch': 10,
};
const OPERATIONS = ['add', 'remove', 'replace'] as const;
type Op = (typeof OPERATIONS)[number];
/** Path depths other than 1, per operation (Glance's `_path_depth_limits`). */
const DEPTHS: Record<string, Partial<Record<Op, number>>> = { locations: { add: 2, remove: 2, replace: 1 } };
/** Array attributes a deeper path may add an element to (validated as a one-element array). */
const ARRAY_ATTRIBUTES = ['tags', 'locations'];

export function parseImagePatch(contentType: string | undefined, body: unknown, validator: ImageValidator): ImageChange[] {
  const version = contentType === undefined ? undefined : PATCH_MEDIA_TYPES[contentType];
  if (version === undefined) {
    const allowed = Object.keys(PATCH_MEDIA_TYPES).sort().join(', ');
    throw new UnsupportedMediaType(`Image PATCH expects Content-Type one of: ${allowed}`, { headers: { 'accept-patch': allowed } });
  }
  if (body === undefined || body === null) throw new BadRequest('Body expected in request.');
  if (!Array.isArray(body)) throw new BadRequest('Request body must be a JSON array of operation objects.');
  return body.map((raw: unknown) => {
    if (!isObject(raw)) throw new BadRequest('Operations must be JSON objects.');
    const [op, pointer] = version === 10 ? operationD10(raw) : operationD4(raw);
    const path = decodePointer(pointer);
    const root = path[0] ?? '';
    if (path.length !== (DEPTHS[root]?.[op] ?? 1)) throw new BadRequest(`Invalid JSON pointer for this resource: '/${path.join('/')}'`);
    const change: ImageChange = { op, path, jsonSchemaVersion: version };
    if (op !== 'remove') {
      if (!('value' in raw)) throw new BadRequest(`Operation "${op}" requires a member named "value".`);
      change.value = raw.value;
    }
    validateChange(change, validator);
    return change;
  });
}

function operationD10(raw: Record<string, unknown>): [Op, string] {
  const op = raw.op;
  if (op === undefined) {
    throw new BadRequest(`Unable to find \`op\` in JSON Schema change. It must be one of the following: ${OPERATIONS.join(', ')}.`);
  }
  if (!OPERATIONS.includes(op as Op)) {
    throw new BadRequest(`Invalid operation: \`${String(op)}\`. It must be one of the following: ${OPERATIONS.join(', ')}.`);
  }
  if (!('path' in raw)) throw new BadRequest("Unable to find 'path' in JSON Schema change");
  return [op as Op, pointerText(raw.path)];
}

function operationD4(raw: Record<string, unknown>): [Op, string] {
  const present = OPERATIONS.filter((op) => op in raw);
  if (present.length > 1) throw new BadRequest('Operation objects must contain only one member named "add", "remove", or "replace".');
  const [op] = present;
  if (op === undefined) throw new BadRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
  return [op, pointerText(raw[op])];
}

function pointerText(value: unknown): string {
  if (typeof value !== 'string') throw new BadRequest(`Pointer \`${JSON.stringify(value)}\` does not start with "/".`);
  return value;
}

/** A JSON pointer in the limited form Glance accepts, decoded (`~1` is `/`, `~0` is `~`). */
function decodePointer(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new BadRequest(`Pointer \`${pointer}\` does not start with "/".`);
  if (/\/\s*?\//.test(pointer.slice(1))) throw new BadRequest(`Pointer \`${pointer}\` contains adjacent "/".`);
  if (pointer.length > 1 && pointer.endsWith('/')) throw new BadRequest(`Pointer \`${pointer}\` end with "/".`);
  if (pointer.slice(1).trim() === '/') throw new BadRequest(`Pointer \`${pointer}\` does not contains valid token.`);
  if (/~[^01]/.test(pointer) || pointer.endsWith('~')) {
    throw new BadRequest(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`);
  }
  return pointer
    .replace(/^\/+/, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~').trim());
}

/** Glance's `_validate_change`: the attribute may be written, and the value fits the schema. */
function validateChange(change: ImageChange, validator: ImageValidator): void {
  const root = change.path[0] ?? '';
  if (isReadOnly(root)) throw new Forbidden(`Attribute '${root}' is read-only.`);
  if (root !== 'locations' && isReserved(root)) throw new Forbidden(`Attribute '${root}' is reserved.`);
  if (change.op === 'remove') return;
  if (change.path.length === 1) validator.check({ [root]: change.value });
  else if (ARRAY_ATTRIBUTES.includes(root)) validator.check({ [root]: [change.value] });
}
