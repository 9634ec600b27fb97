/**
 * Every image route, mounted under /image, with the request-body handling
 * Glance's WSGI layer has: JSON bodies are parsed whatever their declared
 * type (the PATCH handler then insists on the json-patch types), data routes
 * get the raw request stream, never buffered.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_JSON_BODY_LIMIT, parseJsonBody } from '../../core/http/json-body.js';
import type { ImageApi } from './context.js';
import { dataRoutes } from './data.js';
import { imagesRoutes } from './images.js';
import { importRoutes } from './import.js';
import { memberRoutes } from './members.js';
import { metadefContentRoutes } from './metadef-content.js';
import { metadefNamespaceRoutes } from './metadef-namespaces.js';
import { MetadefValidator } from './metadef-schemas.js';
import { schemaRoutes } from './schema-routes.js';
import { versionRoutes } from './versions.js';
import { imageErrors } from '../errors.js';

/** Paths (under the prefix) and the methods Glance answers there; other methods are 405. */
const ALLOWED_METHODS: ReadonlyArray<[RegExp, string]> = [
  [/^\/v2\/images$/, 'GET, POST'],
  [/^\/v2\/images\/[^/]+$/, 'GET, PATCH, DELETE'],
  [/^\/v2\/images\/[^/]+\/import$/, 'POST'],
  [/^\/v2\/images\/[^/]+\/actions\/(deactivate|reactivate)$/, 'POST'],
  [/^\/v2\/images\/[^/]+\/file$/, 'GET, PUT'],
  [/^\/v2\/images\/[^/]+\/stage$/, 'PUT'],
  [/^\/v2\/images\/[^/]+\/tags\/.+$/, 'PUT, DELETE'],
  [/^\/v2\/images\/[^/]+\/members$/, 'GET, POST'],
  [/^\/v2\/images\/[^/]+\/members\/[^/]+$/, 'GET, PUT, DELETE'],
  [/^\/v2\/images\/[^/]+\/tasks$/, 'GET'],
  [/^\/v2\/tasks$/, 'GET, POST'],
  [/^\/v2\/tasks\/[^/]+$/, 'GET'],
  [/^\/v2\/schemas\/(image|images|member|members|task|tasks)$/, 'GET'],
  [/^\/v2\/info\/(import|stores|stores\/detail|usage)$/, 'GET'],
  [/^\/v2\/schemas\/metadefs\/(namespaces?|objects?|property|properties|tags?|resource_types?)$/, 'GET'],
  [/^\/v2\/metadefs\/resource_types$/, 'GET'],
  [/^\/v2\/metadefs\/namespaces$/, 'GET, POST'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+$/, 'GET, PUT, DELETE'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+\/(objects|properties|resource_types)$/, 'GET, POST, DELETE'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+\/tags$/, 'GET, POST, DELETE'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+\/(objects|properties)\/[^/]+$/, 'GET, PUT, DELETE'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+\/tags\/[^/]+$/, 'GET, POST, PUT, DELETE'],
  [/^\/v2\/metadefs\/namespaces\/[^/]+\/resource_types\/[^/]+$/, 'DELETE'],
];

export function allowedMethods(path: string): string | null {
  return ALLOWED_METHODS.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

/** Routes whose body is image data, streamed to the store. */
function isDataRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  return url.endsWith('/file') || url.endsWith('/stage');
}

export function imageApiRoutes(app: FastifyInstance, api: ImageApi, prefix: string): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    if (isDataRoute(request)) return payload;
    return parseJsonBody(await readText(request, payload), 'Malformed JSON in request body.');
  });

  // Glance's routes have no trailing slash: `/v2/images/` names no image (Tempest asks, expecting 404).
  app.addHook('onRequest', async (request) => {
    const path = (request.url.split('?')[0] ?? '').slice(prefix.length);
    if (path.startsWith('/v2') && path.endsWith('/')) throw imageErrors.resourceNotFound();
  });

  // Ids longer than a route parameter may be (100) reach no route above: as Glance, they name no image.
  app.all('/v2/images/*', async (request) => {
    const path = (request.url.split('?')[0] ?? '').slice(prefix.length);
    const allowed = allowedMethods(path);
    if (allowed !== null && !allowed.split(', ').includes(request.method)) {
      throw imageErrors.methodNotAllowed(allowed);
    }
    throw allowed === null ? imageErrors.resourceNotFound() : imageErrors.imageNotFound(path.split('/')[3] ?? '');
  });

  // An answer given before a data upload was read to its end (a refusal, a
  // quota stop) closes the connection: the client may not send the rest, and
  // its next request must not be read as the remainder of this body.
  app.addHook('onSend', async (request, reply, payload) => {
    if (isDataRoute(request) && request.method === 'PUT' && !request.raw.complete) reply.header('connection', 'close');
    return payload;
  });

  for (const routes of [versionRoutes, imagesRoutes, dataRoutes, memberRoutes, importRoutes, schemaRoutes]) routes(app, api);
  const metadefValidator = new MetadefValidator();
  metadefNamespaceRoutes(app, api, metadefValidator);
  metadefContentRoutes(app, api, metadefValidator);
}

/** A JSON body, refused from its Content-Length before a byte is read, or as soon as a chunked one grows too large. */
async function readText(request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<string> {
  if (Number(request.headers['content-length'] ?? 0) > DEFAULT_JSON_BODY_LIMIT) throw imageErrors.bodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > DEFAULT_JSON_BODY_LIMIT) throw imageErrors.bodyTooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type { ImageApi } from './context.js';
