/**
 * CORS as Swift's proxy answers it, from the container's
 * `X-Container-Meta-Access-Control-Allow-Origin` (space-separated origins or
 * `*`), `-Max-Age` and `-Expose-Headers`: preflight OPTIONS requests need no
 * token, and an answer to a request from an allowed Origin names that origin
 * and the headers a browser script may read.
 */
import { Unauthorized } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import type { ContainerInfo } from '../storage/contract.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

const METHODS = 'HEAD, GET, PUT, POST, DELETE, COPY, OPTIONS';
const EXPOSED = [
  'cache-control',
  'content-language',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
  'etag',
  'x-timestamp',
  'x-trans-id',
  'x-openstack-request-id',
];

function allowedOrigin(info: ContainerInfo | null, origin: string): string | null {
  const allowed = (info?.metadata['x-container-meta-access-control-allow-origin'] ?? '').split(/\s+/).filter(Boolean);
  if (allowed.includes('*')) return '*';
  return allowed.includes(origin) ? origin : null;
}

/** OPTIONS: without an Origin, the methods; with one, a preflight answer or 401. */
export async function preflight(api: SwiftApi, req: SwiftRequest): Promise<unknown> {
  const origin = req.headers.origin;
  const { reply } = req;
  if (origin === undefined) return reply.code(200).header('allow', METHODS).send();
  const method = req.headers['access-control-request-method'];
  const info = req.container === null ? null : await api.containers.info(req.account, req.container);
  const allowed = allowedOrigin(info, origin);
  if (allowed === null || method === undefined || !METHODS.split(', ').includes(method)) throw new Unauthorized(STANDARD_BODY);
  reply.header('access-control-allow-origin', allowed);
  reply.header('access-control-allow-methods', METHODS);
  const requested = req.headers['access-control-request-headers'];
  if (requested) reply.header('access-control-allow-headers', requested);
  const maxAge = info?.metadata['x-container-meta-access-control-max-age'];
  if (maxAge) reply.header('access-control-max-age', maxAge);
  return reply.code(200).header('allow', METHODS).send();
}

/** Adds the CORS answer headers to a response for an allowed Origin. */
export async function addCorsHeaders(api: SwiftApi, req: SwiftRequest): Promise<void> {
  const origin = req.headers.origin;
  if (origin === undefined || req.container === null || req.method === 'OPTIONS') return;
  const info = await api.containers.info(req.account, req.container);
  const allowed = allowedOrigin(info, origin);
  if (allowed === null) return;
  const { reply } = req;
  const exposed = [...EXPOSED, ...Object.keys(reply.getHeaders()).filter((h) => h.startsWith('x-object-meta-') || h.startsWith('x-container-meta-'))];
  const extra = info?.metadata['x-container-meta-access-control-expose-headers'];
  if (extra) exposed.push(...extra.split(/[\s,]+/).filter(Boolean));
  reply.header('access-control-allow-origin', allowed);
  reply.header('access-control-expose-headers', exposed.join(', '));
}
