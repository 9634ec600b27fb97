/**
 * Which image attributes a client may set, and how Glance refuses the others:
 * read-only and reserved names are 403s, values outside the domain 400s,
 * too many properties or tags 413s.
 */
import type { Visibility } from '../store/index.js';
import { imageErrors } from '../errors.js';

/** Rejected in a create body before anything else (`_disallowed_properties`). */
export const DISALLOWED_ON_CREATE = ['direct_url', 'self', 'file', 'schema', 'stores'] as const;

/** Never written by clients (`_readonly_properties` of the API and of the image factory). */
export const READ_ONLY = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'size',
  'virtual_size',
  'direct_url',
  'self',
  'file',
  'schema',
  'id',
  'os_hash_algo',
  'os_hash_value',
  'stores',
] as const;

/** Names no property may take (`_reserved_properties`), and Glance's own namespace. */
export const RESERVED = ['location', 'locations', 'deleted', 'deleted_at'] as const;
export const RESERVED_NAMESPACE = 'os_glance';

/** The image attributes a create body or a patch may set; every other name is an extra property. */
export const WRITABLE_ATTRIBUTES = [
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'min_disk',
  'min_ram',
  'owner',
  'disk_format',
  'container_format',
  'tags',
] as const;
export type WritableAttribute = (typeof WRITABLE_ATTRIBUTES)[number];

export const VISIBILITIES: readonly Visibility[] = ['public', 'private', 'shared', 'community'];

export function isWritableAttribute(name: string): name is WritableAttribute {
  return (WRITABLE_ATTRIBUTES as readonly string[]).includes(name);
}

export function isReadOnly(name: string): boolean {
  return (READ_ONLY as readonly string[]).includes(name);
}

export function isReserved(name: string): boolean {
  return (RESERVED as readonly string[]).includes(name) || name.startsWith(RESERVED_NAMESPACE);
}

/** A property a client may not set: 403, as Glance's ReservedProperty / ReadonlyProperty. */
export function checkPropertyName(name: string): void {
  if (isReadOnly(name)) throw imageErrors.readOnly(name);
  if (isReserved(name)) throw imageErrors.reserved(name);
  if (name.length > 255) throw imageErrors.propertyNameTooLong();
}

export function checkNotNegative(name: 'min_disk' | 'min_ram', value: number): void {
  if (value < 0) throw imageErrors.negativeValue(name, value);
}

/** Glance's ImagePropertyLimitExceeded / ImageTagLimitExceeded / ImageMemberLimitExceeded. */
export function checkCount(what: 'properties' | 'tags' | 'members', attempted: number, maximum: number): void {
  if (maximum < 0 || attempted <= maximum) return;
  const subject = what === 'members' ? 'image members for this image' : `image ${what}`;
  throw imageErrors.countLimit(subject, attempted, maximum);
}
