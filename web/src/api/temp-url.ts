/**
 * Swift's temporary URLs, signed in the browser: HMAC-SHA256 (WebCrypto) of `GET\n<expires>\n<path>` under
 * the account's Temp-URL-Key, as `swift tempurl` signs them. The path is the object's unquoted URL path.
 */
import { serviceUrl } from './client';
import { ApiError } from './errors';
import { swiftPath } from './object-store';
import type { Session } from './session';

export const TEMP_URL_KEY_HEADER = 'x-account-meta-temp-url-key';

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A key good enough to sign with: 32 random bytes, hex. */
export function newTempUrlKey(): string {
  return hex(crypto.getRandomValues(new Uint8Array(32)).buffer);
}

/** A URL that lets anyone GET `object` until `expires` (seconds since the epoch), no token needed. */
export async function tempUrl(session: Session, key: string, container: string, object: string, expires: number): Promise<string> {
  // WebCrypto exists only in a secure context: https, or the loopback address a test uses.
  if (!window.crypto?.subtle) throw new ApiError(0, 'This page is not served over https, so the browser offers no HMAC to sign a temporary URL with.', null);
  const url = new URL(serviceUrl(session, 'object-store', swiftPath(container, object)), window.location.origin);
  const signedPath = `${decodeURIComponent(new URL(serviceUrl(session, 'object-store', ''), window.location.origin).pathname)}/${container}/${object}`;
  const encoder = new TextEncoder();
  const hmac = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = await crypto.subtle.sign('HMAC', hmac, encoder.encode(`GET\n${expires}\n${signedPath}`));
  url.search = new URLSearchParams({ temp_url_sig: hex(signature), temp_url_expires: String(expires) }).toString();
  return url.toString();
}
