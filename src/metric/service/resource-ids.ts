/**
 * Gnocchi's resource ids: a UUID stays itself (lower-case, dashed); any other
 * text becomes uuid5(namespace, text + NUL + creator), so one project's
 * `my-host` never collides with another's (gnocchi/utils.py ResourceUUID).
 */
import { createHash } from 'node:crypto';

/** Gnocchi's RESOURCE_ID_NAMESPACE. */
const NAMESPACE = '0a7a15ff-aa13-4ac2-897c-9bdf30ce175b';
const UUID_TEXT = /^(urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

function uuid5(name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The UUID text of a UUID, else null. */
export function asUuid(value: string): string | null {
  const match = UUID_TEXT.exec(value.trim());
  return match ? match.slice(2, 7).join('-').toLowerCase() : null;
}

/**
 * The resource UUID for an id as given; null when it cannot be one ('/' in it,
 * or longer than 289 characters). `strict`: only real UUIDs (uuid attributes).
 */
export function resourceUuid(value: string, creator: string | null, strict = false): string | null {
  const direct = asUuid(value);
  if (direct !== null || strict) return direct;
  if (value.includes('/') || value.length > 289) return null;
  return uuid5(`${value}\u0000${creator ?? '\u0000'}`);
}
