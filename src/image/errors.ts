/**
 * Glance's error bodies. Glance raises webob HTTP exceptions, which render
 * by content negotiation: `application/json` when the client prefers it
 * (Tempest, openstacksdk) as `{"message", "code": "404 Not Found", "title"}`,
 * otherwise plain text (`404 Not Found\n\n<message>\n\n`). A 401 comes from
 * keystonemiddleware in front of Glance: Keystone's `{"error": {...}}` (the
 * server adds `WWW-Authenticate` to every 401). Unknown paths are 404, known
 * paths with another method 405 with `Allow` (Glance's RejectMethodController).
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, MethodNotAllowed, NimbusError, NotFound } from '../core/errors.js';
import { logFailure, toNimbusError } from '../core/http/service-scope.js';

export interface GlanceScopeOptions {
  /** The methods a path (under the service prefix) answers, for a 405; null when the path is unknown. */
  allowedMethods(path: string): string | null;
  /** Answers a path outside the API versions (Glance's version negotiation); false to fall through to 404. */
  unknownVersion(request: FastifyRequest, reply: FastifyReply, path: string): boolean;
  /** The service's URL prefix (`/image`). */
  prefix: string;
}

type Rendered = { contentType: string; body: string };

/** The body Glance sends for `error`, negotiated on the request's Accept header like webob does. */
export function renderGlanceError(error: NimbusError, status: number, accept: string | undefined): Rendered {
  const title = STATUS_CODES[status] ?? 'Error';
  if (status === 401) {
    return { contentType: 'application/json', body: JSON.stringify({ error: { code: 401, title, message: error.message } }) };
  }
  if (preferredErrorType(accept) === 'application/json') {
    return { contentType: 'application/json', body: JSON.stringify({ message: error.message, code: `${status} ${title}`, title }) };
  }
  return { contentType: 'text/plain; charset=UTF-8', body: `${status} ${title}\n\n${error.message}\n\n   ` };
}

export function installGlanceErrorHandlers(scope: FastifyInstance, options: GlanceScopeOptions): void {
  const send = (request: FastifyRequest, reply: FastifyReply, error: NimbusError) => {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    const accept = request.headers.accept;
    const rendered = renderGlanceError(error, error.status, Array.isArray(accept) ? accept.join(',') : accept);
    return reply.code(error.status).type(rendered.contentType).send(rendered.body);
  };

  scope.setErrorHandler((raw: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = toNimbusError(raw);
    logFailure(request, raw, error);
    return send(request, reply, error);
  });

  scope.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const path = url.startsWith(options.prefix) ? url.slice(options.prefix.length) || '/' : url;
    if (options.unknownVersion(request, reply, path)) return reply;
    const allowed = options.allowedMethods(path);
    if (allowed !== null) {
      return send(request, reply, new MethodNotAllowed('The method specified is not allowed for this resource.', { headers: { allow: allowed } }));
    }
    return send(request, reply, new NotFound('The resource could not be found.'));
  });
}

const OFFERS = ['text/plain', 'text/html', 'application/json'] as const;

/**
 * webob's choice among text/plain, text/html and application/json: the
 * highest quality the Accept header gives each (its most specific matching
 * range decides), ties going to that order. No header: text/plain.
 */
export function preferredErrorType(accept: string | undefined): (typeof OFFERS)[number] {
  if (accept === undefined || accept.trim() === '') return 'text/plain';
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
  let best: (typeof OFFERS)[number] = 'text/plain';
  let bestQ = -1;
  for (const offer of OFFERS) {
    const [major] = offer.split('/');
    const match =
      ranges.find((r) => r.type === offer) ?? ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*');
    const q = match?.q ?? 0;
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return bestQ > 0 ? best : 'text/plain';
}

/**
 * The errors the image service raises, with Glance's messages (clients and
 * Tempest match some of them): one place to read what a caller may be told.
 */
export const imageErrors = {
  /** Heat's `EntityNotFound` for an image looked up by name. */
  noImageNamed: (name: string) => new NotFound(`The Image (${name}) could not be found.`),
  /** Heat's `PhysicalResourceNameAmbiguity`: several images carry the name. */
  ambiguousName: (name: string) => new Conflict(`Multiple physical resources were found with name (${name}).`),
} as const;
