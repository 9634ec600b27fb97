/** What every image route file gets: the operations and request helpers. */
import type { FastifyRequest } from 'fastify';
import type { ImageContext, ImageServiceOps, ImageOptions } from '../service/index.js';
import type { ImageValidator } from './schemas.js';

export interface ImageApi {
  ops: ImageServiceOps;
  options: ImageOptions;
  validator: ImageValidator;
  /** The caller from X-Auth-Token, as Glance sees it (401 when missing or invalid). */
  context(request: FastifyRequest): Promise<ImageContext>;
  /** The image API root clients use, e.g. http://127.0.0.1:5000/image. */
  root(): string;
}

export type IdParams = { Params: { id: string } };
