/** What every network route file gets: the operations and request helpers. */
import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { NetworkService } from '../service/index.js';

export interface NetworkApi {
  ops: NetworkService;
  /** The caller's context from X-Auth-Token (401 when missing or invalid). */
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The network API root, e.g. http://127.0.0.1:5000/network. */
  root: string;
}

/** The absolute URL of the request as the client sent it (for pagination links). */
export function requestUrl(api: NetworkApi, request: FastifyRequest): string {
  const path = request.url.replace(/^\/network/, '');
  return `${api.root}${path}`;
}

export function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  return Array.isArray(header) ? header.join(',') : header;
}
