/**
 * Swift's constraints (swift/common/constraints.py defaults): limits on names,
 * metadata and sizes, announced in /info and enforced on every request.
 */
import { BadRequest, PayloadTooLarge, PreconditionFailed } from '../../core/errors.js';

export const LIMITS = {
  max_file_size: 5_368_709_122,
  max_meta_name_length: 128,
  max_meta_value_length: 256,
  max_meta_count: 90,
  max_meta_overall_size: 4096,
  max_header_size: 8192,
  extra_header_count: 0,
  max_object_name_length: 1024,
  container_listing_limit: 10_000,
  account_listing_limit: 10_000,
  max_account_name_length: 256,
  max_container_name_length: 256,
  valid_api_versions: ['v1', 'v1.0'],
} as const;

/** A header value (Node hands its bytes as latin1 characters) that is UTF-8. */
function utf8Header(value: string): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'latin1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks `X-<kind>-Meta-*` items as Swift's check_metadata does (names and
 * values in bytes, as Node hands header values): the request's headers, or
 * the whole set an account or container would hold after an update.
 */
export function checkMetadata(headers: Record<string, string>, kind: 'account' | 'container' | 'object'): void {
  const prefix = `x-${kind}-meta-`;
  let count = 0;
  let size = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    if (key === '') throw new BadRequest('Metadata name cannot be empty');
    if (kind !== 'object' && !(utf8Header(key) && utf8Header(value))) throw new BadRequest('Metadata must be valid UTF-8');
    count++;
    size += key.length + value.length;
    if (key.length > LIMITS.max_meta_name_length) throw new BadRequest(`Metadata name too long: ${name}`);
    if (value.length > LIMITS.max_meta_value_length) throw new BadRequest(`Metadata value longer than ${LIMITS.max_meta_value_length}: ${name}`);
    if (count > LIMITS.max_meta_count) throw new BadRequest(`Too many metadata items; max ${LIMITS.max_meta_count}`);
    if (size > LIMITS.max_meta_overall_size) throw new BadRequest(`Total metadata too large; max ${LIMITS.max_meta_overall_size}`);
  }
}

/** Swift's MAX_HEADER_SIZE for any one header of a write (Node already caps all of them together). */
export function checkHeaderValues(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value.length > LIMITS.max_header_size) throw new BadRequest(`Header value too long: ${name.slice(0, LIMITS.max_meta_name_length)}`);
  }
}

/** The metadata an account or container would hold after `updates` (an empty value removes), to check whole. */
export function mergedMetadata(stored: Record<string, string>, updates: Record<string, string>): Record<string, string> {
  const merged = { ...stored, ...updates };
  for (const [name, value] of Object.entries(merged)) if (value === '') delete merged[name];
  return merged;
}

export const INVALID_UTF8 = 'Invalid UTF8 or contains NULL';

/** Swift's check_utf8 for a name already decoded from UTF-8: no NUL (a lone surrogate cannot come out of the strict decoding). */
function checkNameText(name: string): void {
  if (name.includes('\0')) throw new PreconditionFailed(INVALID_UTF8);
}

function checkNameLength(kind: string, name: string, max: number): void {
  const length = Buffer.byteLength(name);
  if (length > max) throw new BadRequest(`${kind} name length of ${length} longer than ${max}`);
}

export function checkAccountName(name: string): void {
  checkNameText(name);
  checkNameLength('Account', name, LIMITS.max_account_name_length);
}

export function checkContainerName(name: string): void {
  checkNameText(name);
  checkNameLength('Container', name, LIMITS.max_container_name_length);
}

export function checkObjectName(name: string): void {
  checkNameText(name);
  checkNameLength('Object', name, LIMITS.max_object_name_length);
}

export function checkSize(size: number): void {
  if (size > LIMITS.max_file_size) throw new PayloadTooLarge('Your request is too large.');
}
