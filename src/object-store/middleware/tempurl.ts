/**
 * Temporary URLs (Swift's tempurl middleware): `temp_url_sig` is an HMAC of
 * `METHOD\nEXPIRES\nPATH` (or `prefix:PATH-PREFIX` with `temp_url_prefix`)
 * under one of the account's or container's Temp-URL-Keys, hex for
 * sha1/sha256/sha512 or `<digest>:<base64>`. A valid signature stands in for
 * a token on that one object and method (a GET or PUT signature also allows HEAD).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TEMPURL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
export const TEMPURL_DIGESTS = ['sha1', 'sha256', 'sha512'];

export interface TempUrlQuery {
  signature: string;
  expires: string;
  prefix: string | null;
}

export function tempUrlQuery(query: URLSearchParams): TempUrlQuery | null {
  const signature = query.get('temp_url_sig');
  const expires = query.get('temp_url_expires');
  if (signature === null || expires === null) return null;
  return { signature, expires, prefix: query.get('temp_url_prefix') };
}

/** Expiry as seconds since the epoch: an integer or ISO 8601 (`2030-01-01T00:00:00Z`). */
function expirySeconds(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value)) return Date.parse(value) / 1000;
  return null;
}

function signatureDigest(signature: string): { digest: string; mac: Buffer } | null {
  const colon = signature.indexOf(':');
  if (colon > 0) {
    const digest = signature.slice(0, colon);
    if (!TEMPURL_DIGESTS.includes(digest)) return null;
    return {
      digest,
      mac: Buffer.from(
        signature
          .slice(colon + 1)
          .replaceAll('-', '+')
          .replaceAll('_', '/'),
        'base64',
      ),
    };
  }
  const digest = { 40: 'sha1', 64: 'sha256', 128: 'sha512' }[signature.length];
  if (!digest || !/^[0-9a-f]+$/i.test(signature)) return null;
  return { digest, mac: Buffer.from(signature, 'hex') };
}

/**
 * True when the query signs this method on this object (paths unquoted, as
 * the client signed them) under one of `keys`, and has not expired.
 */
export function tempUrlValid(
  query: TempUrlQuery,
  method: string,
  target: { containerPath: string; object: string },
  keys: string[],
  now = Date.now() / 1000,
): boolean {
  const expires = expirySeconds(query.expires);
  if (expires === null || expires < now) return false;
  const parsed = signatureDigest(query.signature);
  if (!parsed) return false;
  let signedPath = `${target.containerPath}/${target.object}`;
  if (query.prefix !== null) {
    if (!target.object.startsWith(query.prefix)) return false;
    signedPath = `prefix:${target.containerPath}/${query.prefix}`;
  }
  const methods = method === 'HEAD' ? ['HEAD', 'GET', 'PUT'] : [method];
  for (const key of keys) {
    for (const signedMethod of methods) {
      const mac = createHmac(parsed.digest, key).update(`${signedMethod}\n${query.expires}\n${signedPath}`).digest();
      if (mac.length === parsed.mac.length && timingSafeEqual(mac, parsed.mac)) return true;
    }
  }
  return false;
}
