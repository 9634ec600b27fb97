import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import type { IndexService } from '../service/index.js';

/** What the routes work with. */
export interface MetricApi {
  index: IndexService;
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The server's public URL (no trailing slash), for links and Location headers. */
  publicUrl(): string;
}

export function bodyOf(request: FastifyRequest): Json | undefined {
  return request.body as Json | undefined;
}

export type Params<K extends string> = { Params: Record<K, string> };
