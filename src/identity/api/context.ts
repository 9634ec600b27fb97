/** What every identity route file gets: the operations and request helpers. */
import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { IdentityServiceOps } from '../service/index.js';

export interface IdentityApi {
  ops: IdentityServiceOps;
  /** The caller's context from X-Auth-Token (401 when missing or invalid). */
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** Absolute URL of a v3 path, for `links`. */
  url(path: string): string;
  /** The identity API root, e.g. http://127.0.0.1:5000/identity. */
  root: string;
}
