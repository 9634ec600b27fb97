/** What every compute route file gets: the operations, the request's microversion and auth, link builders. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { microversionHeaders, negotiateMicroversion, type Microversion } from '../../core/microversions.js';
import { COMPUTE_MICROVERSIONS } from '../microversion.js';
import type { ComputeServices } from '../service/index.js';

export interface ComputeApi {
  ops: ComputeServices;
  /** The caller's context from X-Auth-Token (401 when missing or invalid). */
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The compute root, e.g. http://127.0.0.1:5000/compute. */
  readonly root: string;
}

/** The API's versioned base, as Nova's self links use it. */
export const V21 = '/v2.1';

const versions = new WeakMap<FastifyRequest, Microversion>();

/**
 * Negotiates the microversion of every request under /compute/v2.1 (406 out
 * of range, 400 malformed) and announces it on every reply, errors included.
 */
export function installMicroversions(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (request) => {
    if (!request.url.includes(`${V21}`)) return;
    versions.set(request, COMPUTE_MICROVERSIONS.min);
    versions.set(request, negotiateMicroversion(request.headers, COMPUTE_MICROVERSIONS));
  });
  scope.addHook('onSend', async (request, reply, payload) => {
    // Nova's own name for the request id, which clients (Tempest) read.
    reply.header('x-compute-request-id', request.id);
    const version = versions.get(request);
    if (version) for (const [name, value] of Object.entries(microversionHeaders(version, COMPUTE_MICROVERSIONS))) reply.header(name, value);
    return payload;
  });
}

export function versionOf(request: FastifyRequest): Microversion {
  return versions.get(request) ?? COMPUTE_MICROVERSIONS.min;
}

/** Nova's pair of links for a resource: versioned `self` and unversioned `bookmark`. */
export function resourceLinks(root: string, collection: string, id: string | number): Array<{ rel: string; href: string }> {
  return [
    { rel: 'self', href: `${root}${V21}/${collection}/${id}` },
    { rel: 'bookmark', href: `${root}/${collection}/${id}` },
  ];
}

/** The `<collection>_links` next link Nova adds when a page is full. */
export function nextLinks(
  api: ComputeApi,
  request: FastifyRequest,
  path: string,
  items: Array<{ id: string }>,
  limit: number | undefined,
): Array<{ rel: string; href: string }> | undefined {
  if (limit === undefined || items.length === 0 || items.length < limit) return undefined;
  const params = new URLSearchParams(request.query as Record<string, string>);
  params.set('limit', String(limit));
  params.set('marker', items[items.length - 1]!.id);
  return [{ rel: 'next', href: `${api.root}${V21}/${path}?${params.toString()}` }];
}

export function sendEmpty(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).send();
}
