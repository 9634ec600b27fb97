/**
 * OAuth 1.0a request signatures (RFC 5849) as Keystone checks them through
 * oauthlib: the Authorization header's parameters, the checks oauthlib makes
 * before looking anything up (`_check_mandatory_parameters`, with Keystone's
 * validator: 32-hex keys, hex-digit nonces, no nonce store), and HMAC /
 * PLAINTEXT signature verification. RSA methods are accepted by name and
 * always fail, as Keystone (no RSA keys) fails them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signature covers: the method, the URL the client called (with its query) and its Authorization header. */
export interface SignedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** An OAuth error as oauthlib names it (`invalid_request`, `invalid_signature_method`) with its description. */
export class OAuthRequestError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthRequestError';
  }
}

/** The Authorization header's OAuth parameters, percent-decoded, in order (oauthlib's parse_authorization_header). */
export function authorizationParams(header: string | undefined): Array<[string, string]> | null {
  if (!header || !/^oauth /i.test(header)) return null;
  const params: Array<[string, string]> = [];
  for (const item of splitHttpList(header.slice('OAuth '.length))) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new OAuthRequestError('invalid_request', 'Malformed authorization header.');
    let value = item.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params.push([percentDecode(item.slice(0, eq).trim()), percentDecode(value)]);
  }
  return params;
}

/** A signed request after oauthlib's format checks: every oauth_* parameter and those the signature covers. */
export interface OAuthRequest {
  oauth: Record<string, string>;
  /** Every parameter but oauth_signature and realm (RFC 5849 3.4.1.3.1). */
  signed: Array<[string, string]>;
  realm: string | undefined;
  request: SignedRequest;
}

export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT'] as const;
/** oauthlib's RequestValidator.timestamp_lifetime. */
const TIMESTAMP_LIFETIME_S = 600;
const HEX_ID = /^[0-9a-f]{32}$/;
const HEX_DIGITS = /^[0-9a-f]*$/;

/**
 * The parameters of a request signed in its Authorization header, checked as
 * oauthlib does before any lookup (`nowMs` is the cloud's clock).
 * @throws OAuthRequestError with oauthlib's description.
 */
export function readOAuthRequest(request: SignedRequest, nowMs: number): OAuthRequest {
  const header = authorizationParams(request.authorization) ?? [];
  const query = [...new URL(request.url).searchParams.entries()];
  const all = [...query, ...header];
  const oauthEntries = all.filter(([key]) => key.startsWith('oauth_'));
  const oauth = Object.fromEntries(oauthEntries) as Record<string, string>;
  if (Object.keys(oauth).length !== oauthEntries.length) throw new OAuthRequestError('invalid_request', 'Duplicate OAuth1 entries.');
  const { oauth_signature: signature, oauth_consumer_key: key, oauth_nonce: nonce, oauth_timestamp: timestamp, oauth_signature_method: method } = oauth;
  if (!signature || !key || !nonce || !timestamp || !method) throw new OAuthRequestError('invalid_request', 'Missing mandatory OAuth parameters.');
  if (!(SIGNATURE_METHODS as readonly string[]).includes(method)) {
    throw new OAuthRequestError('invalid_signature_method', `Invalid signature, ${method} not in ${pythonList(SIGNATURE_METHODS)}.`);
  }
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') throw new OAuthRequestError('invalid_request', 'Invalid OAuth version.');
  if (timestamp.length !== 10) throw new OAuthRequestError('invalid_request', 'Invalid timestamp size');
  if (!/^\d+$/.test(timestamp)) throw new OAuthRequestError('invalid_request', 'Timestamp must be an integer.');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TIMESTAMP_LIFETIME_S) {
    throw new OAuthRequestError('invalid_request', `Timestamp given is invalid, differ from allowed by over ${TIMESTAMP_LIFETIME_S} seconds.`);
  }
  if (!HEX_ID.test(key)) throw new OAuthRequestError('invalid_request', 'Invalid client key format.');
  if (!HEX_DIGITS.test(nonce)) throw new OAuthRequestError('invalid_request', 'Invalid nonce format.');
  const realm = header.find(([name]) => name === 'realm')?.[1];
  return { oauth, signed: all.filter(([name]) => name !== 'oauth_signature' && name !== 'realm'), realm, request };
}

/** Keystone's tokens are uuid4 hex: oauthlib's check_request_token / check_access_token. */
export function isTokenKey(value: string): boolean {
  return HEX_ID.test(value);
}

/** RFC 5849 3.4.1: METHOD&base-uri&normalized-parameters, each part percent-encoded. */
export function signatureBaseString(request: OAuthRequest): string {
  const url = new URL(request.request.url);
  // URL drops default ports and lower-cases scheme and host, as 3.4.1.2 asks.
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  const params = request.signed
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return [request.request.method.toUpperCase(), percentEncode(baseUri), percentEncode(params)].join('&');
}

/** Whether the request's signature is the one its consumer and token secrets give (constant time). */
export function signatureValid(request: OAuthRequest, clientSecret: string, tokenSecret: string | null): boolean {
  const key = `${percentEncode(clientSecret)}&${percentEncode(tokenSecret ?? '')}`;
  const method = request.oauth.oauth_signature_method as (typeof SIGNATURE_METHODS)[number];
  const given = request.oauth.oauth_signature as string;
  const hash = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' }[method as string];
  let expected: string;
  if (hash) expected = createHmac(hash, key).update(signatureBaseString(request)).digest('base64');
  else if (method === 'PLAINTEXT') expected = key;
  else return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 5849 3.6: every byte but ALPHA, DIGIT, '-', '.', '_' and '~' as %XX. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new OAuthRequestError('invalid_request', 'Malformed authorization header.');
  }
}

/** Comma-separated items, commas inside double quotes kept (urllib's parse_http_list). */
function splitHttpList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += text[++i];
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ',' && !quoted) {
      if (current.trim()) items.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

/** Byte order of the encoded strings (all ASCII after encoding). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pythonList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
