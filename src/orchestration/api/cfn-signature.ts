/**
 * The EC2 signature version 2 Heat's presigned signal URLs carry
 * (signal_responder's ec2 signed URL, checked on arrival as the ec2token
 * middleware has Keystone check it): HMAC-SHA256 over
 * `VERB\nhost\npath\ncanonical query`, base64, where the canonical query is
 * the parameters (Signature excluded) sorted by name, each name and value
 * percent-encoded with only `-_.~` and alphanumerics left as they are.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  verb: string;
  /** Lower-case host, with the port when the URL has one. */
  host: string;
  /** The path, unquoted. */
  path: string;
  params: Record<string, string>;
}

/** RFC 3986 percent-encoding (Python's `quote(value, safe='-_~')`). */
function awsQuote(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${awsQuote(key)}=${awsQuote(params[key]!)}`)
    .join('&');
}

export function signatureV2(secret: string, request: SignedRequest): string {
  const text = [request.verb, request.host, request.path, canonicalQuery(request.params)].join('\n');
  return createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

/** True when `signature` is the request's signature under `secret` (constant-time compare). */
export function verifySignatureV2(secret: string, request: SignedRequest, signature: string): boolean {
  const expected = Buffer.from(signatureV2(secret, request));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
