/**
 * The one HTTP server every service mounts itself on. It owns what is the same
 * for all of them: request ids, JSON parsing, logging, and the validator
 * options. Error bodies belong to each service's plugin (see service-scope.ts).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';
import { requestId } from '../ids.js';
import { lazyValidatorCompiler } from './lazy-validator.js';
import { DEFAULT_JSON_BODY_LIMIT, parseJsonBody } from './json-body.js';
import { recordRoutes } from './route-table.js';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';

/** Longer than any request line Node accepts (16 KiB of headers), so no segment is refused for its length. */
const MAX_PATH_SEGMENT_LENGTH = 16_384;

export function createHttpApp(log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: () => requestId(),
    // One line per request, written by the onResponse hook below with the status and time.
    logController: new LogController({ disableRequestLogging: true }),
    // Routes that take bulk bytes (image data, objects) stream them past the parsers.
    bodyLimit: DEFAULT_JSON_BODY_LIMIT,
    // OpenStack URLs may end with a slash or not; both must route the same.
    // A path segment of any length routes to its handler, which answers the
    // service's own 404 for an unknown id: clients (openstacksdk's find_*)
    // try a name as an id first and fall back to a list only on a 404, never
    // on find-my-way's default 414 past 100 characters. Node's 16 KiB header
    // limit still bounds the whole request line.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: MAX_PATH_SEGMENT_LENGTH },
  });

  app.setValidatorCompiler(lazyValidatorCompiler);
  recordRoutes(app);

  // Callback hooks, not async ones: they run for every request, and a promise each is measurable there.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });

  // Clients send `Content-Type: application/json` with empty bodies (DELETE,
  // some actions); OpenStack treats that as no body, not as malformed JSON.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json/, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  return app;
}
