/**
 * Image updates in Glance's JSON-patch dialects, chosen by Content-Type:
 * `application/openstack-images-v2.1-json-patch` (RFC 6902 objects,
 * `{"op": "replace", "path": "/name", "value": ...}`) and the older
 * `application/openstack-images-v2.0-json-patch` (`{"replace": "/name",
 * "value": ...}`). Paths are one level deep except `/locations/N`;
 * read-only and reserved attributes are 403s; values must fit the image
 * schema.
 */
import { isReadOnly, isReserved, type ImageChange } from '../service/index.js';
import { isObject } from './body.js';
import type { ImageValidator } from './schemas.js';
import { imageErrors } from '../errors.js';

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
    throw imageErrors.patchContentType(allowed);
  }
  if (body === undefined || body === null) throw imageErrors.bodyExpected();
  if (!Array.isArray(body)) throw imageErrors.patchNotArray();
  return body.map((raw: unknown) => {
    if (!isObject(raw)) throw imageErrors.patchOperationNotObject();
    const [op, pointer] = version === 10 ? operationD10(raw) : operationD4(raw);
    const path = decodePointer(pointer);
    const root = path[0] ?? '';
    if (path.length !== (DEPTHS[root]?.[op] ?? 1)) throw imageErrors.patchPathInvalid(path);
    const change: ImageChange = { op, path, jsonSchemaVersion: version };
    if (op !== 'remove') {
      if (!('value' in raw)) throw imageErrors.patchValueMissing(op);
      change.value = raw.value;
    }
    validateChange(change, validator);
    return change;
  });
}

function operationD10(raw: Record<string, unknown>): [Op, string] {
  const op = raw.op;
  if (op === undefined) {
    throw imageErrors.patchOpMissing(OPERATIONS);
  }
  if (!OPERATIONS.includes(op as Op)) {
    throw imageErrors.patchOpInvalid(op, OPERATIONS);
  }
  if (!('path' in raw)) throw imageErrors.patchPathMissing();
  return [op as Op, pointerText(raw.path)];
}

function operationD4(raw: Record<string, unknown>): [Op, string] {
  const present = OPERATIONS.filter((op) => op in raw);
  if (present.length > 1) throw imageErrors.patchOpAmbiguous();
  const [op] = present;
  if (op === undefined) throw imageErrors.patchOpAbsent();
  return [op, pointerText(raw[op])];
}

function pointerText(value: unknown): string {
  if (typeof value !== 'string') throw imageErrors.pointerNoLeadingSlash(JSON.stringify(value));
  return value;
}

/** A JSON pointer in the limited form Glance accepts, decoded (`~1` is `/`, `~0` is `~`). */
function decodePointer(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw imageErrors.pointerNoLeadingSlash(pointer);
  if (/\/\s*?\//.test(pointer.slice(1))) throw imageErrors.pointerAdjacentSlashes(pointer);
  if (pointer.length > 1 && pointer.endsWith('/')) throw imageErrors.pointerTrailingSlash(pointer);
  if (pointer.slice(1).trim() === '/') throw imageErrors.pointerNoToken(pointer);
  if (/~[^01]/.test(pointer) || pointer.endsWith('~')) {
    throw imageErrors.pointerBadEscape(pointer);
  }
  return pointer
    .replace(/^\/+/, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~').trim());
}

/** Glance's `_validate_change`: the attribute may be written, and the value fits the schema. */
function validateChange(change: ImageChange, validator: ImageValidator): void {
  const root = change.path[0] ?? '';
  if (isReadOnly(root)) throw imageErrors.readOnly(root);
  if (root !== 'locations' && isReserved(root)) throw imageErrors.reserved(root);
  if (change.op === 'remove') return;
  if (change.path.length === 1) validator.check({ [root]: change.value });
  else if (ARRAY_ATTRIBUTES.includes(root)) validator.check({ [root]: [change.value] });
}
