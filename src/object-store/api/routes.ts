/**
 * The Swift API's routes: `/info` and everything under `/v1/`, dispatched by
 * the path's depth (account, container, object) as Swift's proxy does.
 * Bodies are never parsed by Fastify: uploads stream to the devices.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MethodNotAllowed } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { authorize } from './access.js';
import { handleAccount } from './account.js';
import { bulkDelete, extractArchive } from './bulk.js';
import { addCorsHeaders, preflight } from './cors.js';
import { formPost, isFormPost } from './formpost.js';
import { handleContainer } from './container.js';
import { titleCaseHeaders } from './header-case.js';
import type { SwiftApi } from './context.js';
import type { SyncRealms } from '../middleware/container-sync.js';
import { capabilities } from './info.js';
import { readObject } from './object-read.js';
import { staticWeb } from './staticweb.js';
import { copyRequest } from './object-copy.js';
import { deleteObject, postObject, putObject } from './object-write.js';
import { parseSwiftRequest, transactionId, type SwiftRequest } from './request.js';

const CROSSDOMAIN_POLICY =
  '<?xml version="1.0"?>\n<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd" >\n' +
  '<cross-domain-policy>\n<allow-access-from domain="*" secure="false" />\n</cross-domain-policy>';

/** Each request's parsed form, for the CORS headers added as its answer leaves. */
const parsedRequests = new WeakMap<FastifyRequest, SwiftRequest>();

export function swiftRoutes(app: FastifyInstance, api: SwiftApi, ops: ObjectOps): void {
  // Swift's COPY verb; Fastify knows only the common methods until told.
  app.addHttpMethod('COPY');
  app.removeAllContentTypeParsers();
  // Leave the body unread: handlers stream it (or drop it).
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.addHook('onRequest', async (_request, reply) => {
    const tx = transactionId();
    reply.header('x-trans-id', tx);
    reply.header('x-openstack-request-id', tx);
  });
  // An answer given before an upload was read to its end closes the connection,
  // so the rest of that body is never read as the next request.
  app.addHook('onSend', async (request, reply, payload) => {
    const parsed = parsedRequests.get(request);
    if (parsed) await addCorsHeaders(api, parsed).catch((err: unknown) => request.log.warn({ err }, 'CORS headers'));
    if (!request.raw.complete && request.method !== 'GET' && request.method !== 'HEAD') reply.header('connection', 'close');
    // Swift's proxy names a type on every answer, 204s included (clients and Tempest look for it).
    if (!reply.hasHeader('content-type')) reply.header('content-type', 'text/html; charset=UTF-8');
    titleCaseHeaders(reply);
    return payload;
  });

  // Swift's healthcheck and crossdomain middleware (the default, open policy).
  app.get('/healthcheck', async (_request, reply) => reply.type('text/plain').send('OK'));
  app.get('/crossdomain.xml', async (_request, reply) => reply.type('application/xml; charset=utf-8').send(CROSSDOMAIN_POLICY));
  swiftInfoRoute(app, api.syncRealms);
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'COPY', 'OPTIONS'],
    url: '/v1/*',
    handler: async (request, reply) => {
      const req = parseSwiftRequest(request, reply, api.prefix);
      parsedRequests.set(request, req);
      return dispatch(api, ops, req);
    },
  });
}

/** Swift's `/info` (its capabilities), under the prefix and at the port's root. */
export function swiftInfoRoute(app: FastifyInstance, realms: SyncRealms): void {
  app.get('/info', async (_request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(capabilities(realms))));
}

async function dispatch(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  if (req.method === 'OPTIONS') return preflight(api, req);
  if (isFormPost(req)) return formPost(api, ops, req);
  if (req.query.has('bulk-delete') && (req.method === 'POST' || req.method === 'DELETE')) return bulkDelete(api, ops, req);
  const archive = req.query.get('extract-archive');
  if (archive !== null && req.method === 'PUT') return extractArchive(api, ops, req, archive);
  if (req.container === null) return handleAccount(api, req);
  const web = await staticWeb(api, ops, req);
  if (web !== null) return web;
  if (req.object === null) return handleContainer(api, req);
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return readObject(ops, req, await authorize(api, req, 'read'));
    case 'PUT':
      return putObject(api, ops, req);
    case 'COPY':
      return copyRequest(api, ops, req);
    case 'POST':
      return postObject(api, ops, req);
    case 'DELETE':
      return deleteObject(api, ops, req);
    default:
      throw new MethodNotAllowed(STANDARD_BODY);
  }
}
