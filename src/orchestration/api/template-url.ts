/**
 * `template_url`: Heat fetches the template itself (heat/common/urlfetch.py).
 * Nimbus fetches only loopback http(s) URLs, so a request cannot make the
 * server reach into other hosts' networks; anything else is refused with
 * Heat's "Could not retrieve template" 400, as a fetch failure is.
 */
import { isIP } from 'node:net';
import { apiErrors } from '../errors/api.js';
import { MAX_TEMPLATE_BYTES } from './stack-body.js';

const FETCH_TIMEOUT_MS = 10_000;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export async function fetchLoopbackTemplate(url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw apiErrors.templateUrl(`Invalid URL ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw apiErrors.templateUrl(`Invalid URL scheme ${parsed.protocol.replace(/:$/, '')}`);
  if (!isLoopbackHost(parsed.hostname)) throw apiErrors.templateUrl(`Failed to retrieve template: only loopback URLs are fetched (${url})`);
  let response: Response;
  try {
    response = await fetch(parsed, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw apiErrors.templateUrl(`Failed to retrieve template: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw apiErrors.templateUrl(`Failed to retrieve template: ${response.status} ${response.statusText}`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_TEMPLATE_BYTES) {
    throw apiErrors.templateUrl(`Template exceeds maximum allowed size (${MAX_TEMPLATE_BYTES} bytes)`);
  }
  return text;
}
