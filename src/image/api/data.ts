/**
 * Image data: `PUT /file` (upload), `PUT /stage` (staging for import) and
 * `GET /file` (download, with Range). Request and response bodies stream;
 * the request stream is handed to the store as it arrives.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ImageData } from '../service/index.js';
import { header, mediaType } from './body.js';
import type { IdParams, ImageApi } from './context.js';
import { imageErrors } from '../errors.js';

const OCTET_STREAM = 'application/octet-stream';

export function dataRoutes(app: FastifyInstance, api: ImageApi): void {
  app.put<IdParams>('/v2/images/:id/file', async (request, reply) => {
    const ctx = await api.context(request);
    checkContentType(request);
    await api.ops.data.upload(ctx, request.params.id, requestData(request), {
      size: announcedSize(request),
      store: header(request.headers['x-image-meta-store']),
    });
    return reply.code(204).send();
  });

  app.put<IdParams>('/v2/images/:id/stage', async (request, reply) => {
    const ctx = await api.context(request);
    checkContentType(request);
    await api.ops.data.stage(ctx, request.params.id, requestData(request), { size: announcedSize(request) });
    return reply.code(204).send();
  });

  app.get<IdParams>('/v2/images/:id/file', async (request, reply) => {
    const ctx = await api.context(request);
    const download = await api.ops.data.download(ctx, request.params.id, {
      range: header(request.headers.range),
      contentRange: header(request.headers['content-range']),
    });
    if (download.data === null) return reply.code(204).send();
    const { range, size, image } = download;
    reply.type(OCTET_STREAM);
    if (image.checksum !== null) reply.header('content-md5', image.checksum);
    if (range !== null) {
      reply.code(206);
      reply.header('content-range', `bytes ${range.start}-${range.end}/${size}`);
      reply.header('content-length', String(range.end - range.start + 1));
    } else {
      reply.header('content-length', String(size));
    }
    return reply.send(download.data);
  });
}

function checkContentType(request: FastifyRequest): void {
  const type = mediaType(request.headers['content-type']);
  if (type !== OCTET_STREAM) throw imageErrors.contentTypeInvalid(type);
}

/** `x-openstack-image-size`, else Content-Length; null when the client announced neither (chunked). */
function announcedSize(request: FastifyRequest): number | null {
  const value = header(request.headers['x-openstack-image-size']) ?? header(request.headers['content-length']);
  if (value === undefined) return null;
  if (!/^\s*\d+\s*$/.test(value)) throw imageErrors.imageSizeMissing();
  return Number(value);
}

/**
 * The request body as the store reads it. If the store stops early (a size
 * check failed), the socket must stay open for the error answer, so ending
 * the iteration does not destroy the request; Node discards what is left.
 */
function requestData(request: FastifyRequest): ImageData {
  return request.raw.iterator({ destroyOnReturn: false });
}
