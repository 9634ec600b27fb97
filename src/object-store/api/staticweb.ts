/**
 * Static web, as Swift's staticweb middleware: anonymous GET and HEAD (or any
 * caller sending `X-Web-Mode: true`) of a container whose metadata names an
 * index or turns listings on see it as a web site: directory paths redirect
 * to their trailing-slash form, serve their index object or an HTML listing,
 * and errors serve the container's `<status><suffix>` pages.
 * `staticWeb` answers null where the request is a plain Swift request.
 */
import { Readable } from 'node:stream';
import { NimbusError, NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { listingDisabledPage, listingTitle, renderWebListing, webSettings, type WebSettings } from '../middleware/staticweb.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import { CONTAINER_LISTING_LIMIT } from './listing.js';
import { readObject } from './object-read.js';
import { headerTrue, type SwiftRequest } from './request.js';

interface WebRequest {
  req: SwiftRequest;
  settings: WebSettings;
  /** The request path below the service prefix (`/v1/AUTH_x/c/dir/`), unquoted. */
  path: string;
}

const NO_ACCESS = { owner: false, reseller: false, auth: null, tempUrl: false };

export async function staticWeb(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  if (req.container === null || req.query.has('temp_url_sig')) return null;
  const anonymous = !req.headers['x-auth-token'] && !req.headers['x-storage-token'];
  if (!anonymous && !headerTrue(req.headers['x-web-mode'])) return null;
  const info = await api.containers.info(req.account, req.container);
  const web: WebRequest = { req, settings: webSettings(info?.metadata ?? {}), path: requestPath(api, req) };
  return req.object === null ? webContainer(api, ops, web) : webObject(api, ops, web);
}

async function webContainer(api: SwiftApi, ops: ObjectOps, web: WebRequest): Promise<unknown> {
  const { req, settings } = web;
  try {
    await authorize(api, req, 'list');
  } catch (error) {
    return errorPage(ops, web, error);
  }
  if (!settings.listings && !settings.index) {
    if (headerTrue(req.headers['x-web-mode'])) throw new NotFound(STANDARD_BODY);
    return null;
  }
  if (!web.path.endsWith('/')) return redirectWithSlash(web);
  if (settings.index && (await exists(ops, req, settings.index))) return readObject(ops, { ...req, object: settings.index }, NO_ACCESS);
  return listing(api, ops, web, '');
}

async function webObject(api: SwiftApi, ops: ObjectOps, web: WebRequest): Promise<unknown> {
  const { req, settings } = web;
  const object = req.object as string;
  // Without an index or listings every answer is the plain object request's.
  if (!settings.listings && !settings.index) return null;
  // The object itself, unless missing or a directory marker, is served as Swift serves any object (with its own refusals).
  await authorize(api, req, 'read');
  const handle = await ops.open({ account: req.account, container: req.container as string, object });
  if (handle) {
    const marker = handle.metadata.contentType === settings.directoryType && handle.metadata.size <= 1;
    await handle.close();
    if (!marker) return null;
  }
  if (settings.index) {
    const indexName = `${object.endsWith('/') ? object : `${object}/`}${settings.index}`;
    if (await exists(ops, req, indexName)) {
      if (!web.path.endsWith('/')) return redirectWithSlash(web);
      return readObject(ops, { ...req, object: indexName }, NO_ACCESS);
    }
  }
  if (!web.path.endsWith('/')) {
    // A path naming a pseudo-directory (objects under `path/`) redirects; anything else is not found.
    const under = await api.containers.list(req.account, req.container as string, { ...plainQuery(`${object}/`), limit: 1 });
    if (under.length === 0) return errorPage(ops, web, new NotFound(STANDARD_BODY));
    return redirectWithSlash(web);
  }
  return listing(api, ops, web, object);
}

async function listing(api: SwiftApi, ops: ObjectOps, web: WebRequest, prefix: string): Promise<unknown> {
  const { req, settings } = web;
  const title = listingTitle(settings, web.path);
  if (!headerTrue(settings.listings)) return errorPage(ops, web, new NotFound(listingDisabledPage(settings, title, prefix)));
  const entries = await api.containers.list(req.account, req.container as string, plainQuery(prefix));
  if (prefix && entries.length === 0) return errorPage(ops, web, new NotFound(STANDARD_BODY));
  return req.reply
    .code(200)
    .type('text/html; charset=UTF-8')
    .send(renderWebListing(settings, title, prefix, entries));
}

/** The container's `<status><suffix>` object with the error's status, or the error itself when there is none. */
async function errorPage(ops: ObjectOps, web: WebRequest, error: unknown): Promise<unknown> {
  const { req, settings } = web;
  if (!(error instanceof NimbusError) || !settings.error) throw error;
  const handle = await ops.open({ account: req.account, container: req.container as string, object: `${error.status}${settings.error}` });
  if (!handle) throw error;
  const { reply } = req;
  reply.raw.once('close', () => void handle.close());
  reply.code(error.status).type(handle.metadata.contentType).header('content-length', String(handle.metadata.size));
  reply.header('etag', handle.metadata.etag);
  if (req.method === 'HEAD' || handle.metadata.size === 0) {
    await handle.close();
    return reply.send();
  }
  return reply.send(Readable.from(handle.stream(0, handle.metadata.size - 1)));
}

function redirectWithSlash(web: WebRequest): unknown {
  const { req } = web;
  const raw = req.raw.url.split('?')[0] as string;
  const host = req.headers.host ?? 'localhost';
  return req.reply.code(301).header('location', `${req.raw.protocol}://${host}${raw}/`).type('text/html; charset=UTF-8').send();
}

async function exists(ops: ObjectOps, req: SwiftRequest, object: string): Promise<boolean> {
  const handle = await ops.open({ account: req.account, container: req.container as string, object });
  await handle?.close();
  return handle !== null;
}

function plainQuery(prefix: string) {
  return { prefix, delimiter: '/', marker: '', endMarker: '', limit: CONTAINER_LISTING_LIMIT, reverse: false };
}

function requestPath(api: SwiftApi, req: SwiftRequest): string {
  const raw = (req.raw.url.split('?')[0] as string).slice(api.prefix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
