/**
 * Container requests: PUT (create, 201, or 202 when it exists), HEAD, GET
 * (listing), POST (metadata, ACLs, quotas, versioning) and DELETE (409 when
 * objects remain).
 */
import { BadRequest, Conflict, MethodNotAllowed, NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { checkMetadata, mergedMetadata } from '../proxy/constraints.js';
import { metadataUpdates, visibleMetadata } from '../proxy/metadata.js';
import { newTimestamp } from '../proxy/timestamp.js';
import type { ContainerInfo } from '../storage/contract.js';
import { POLICY_NAME } from './account.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import { CONTAINER_LISTING_LIMIT, CONTENT_TYPES, listingFormat, listingQuery, renderObjectListing } from './listing.js';
import type { SwiftRequest } from './request.js';

export async function handleContainer(api: SwiftApi, req: SwiftRequest): Promise<unknown> {
  const { reply } = req;
  const container = req.container as string;
  switch (req.method) {
    case 'PUT': {
      await authorize(api, req, 'manage');
      const updates = await containerUpdates(api, req);
      const policy = req.headers['x-storage-policy'];
      if (policy !== undefined && policy !== POLICY_NAME) throw new BadRequest(`Invalid X-Storage-Policy '${policy}'`);
      const created = await api.containers.create(req.account, container, newTimestamp(), updates);
      return reply
        .code(created ? 201 : 202)
        .type('text/html; charset=UTF-8')
        .send();
    }
    case 'HEAD':
    case 'GET': {
      // Referrer ACLs reach a container's HEAD and listing only with .rlistings.
      const access = await authorize(api, req, 'list');
      const info = await api.containers.info(req.account, container);
      if (!info) throw new NotFound(STANDARD_BODY);
      setContainerHeaders(req, info, access.owner);
      if (req.method === 'HEAD') return reply.code(204).send();
      const format = listingFormat(req);
      const query = listingQuery(req, CONTAINER_LISTING_LIMIT);
      let entries = await api.containers.list(req.account, container, query);
      if (query.path !== null) entries = entries.filter((e) => 'row' in e);
      if (entries.length === 0 && format === 'plain') return reply.code(204).send();
      return reply
        .code(200)
        .type(CONTENT_TYPES[format])
        .send(renderObjectListing(entries, format, container));
    }
    case 'POST': {
      await authorize(api, req, 'manage');
      const updated = await api.containers.updateMetadata(req.account, container, await containerUpdates(api, req));
      if (!updated) throw new NotFound(STANDARD_BODY);
      return reply.code(204).send();
    }
    case 'DELETE': {
      await authorize(api, req, 'manage');
      const result = await api.containers.delete(req.account, container, newTimestamp());
      if (result === 'missing') throw new NotFound(STANDARD_BODY);
      if (result === 'not-empty') throw new Conflict(STANDARD_BODY);
      return reply.code(204).send();
    }
    default:
      throw new MethodNotAllowed(STANDARD_BODY, { headers: { allow: 'PUT, HEAD, GET, POST, DELETE' } });
  }
}

/**
 * Metadata and ACL headers of a PUT or POST, checked as Swift checks them:
 * the request's, and the container's whole metadata after them (so repeated
 * POSTs cannot pile up past the limits; two racing ones at most double them).
 */
async function containerUpdates(api: SwiftApi, req: SwiftRequest): Promise<Record<string, string>> {
  const updates = metadataUpdates(req.headers, 'container');
  checkMetadata(updates, 'container');
  const stored = await api.containers.info(req.account, req.container as string);
  checkMetadata(mergedMetadata(stored?.metadata ?? {}, updates), 'container');
  for (const quota of ['x-container-meta-quota-bytes', 'x-container-meta-quota-count']) {
    const value = updates[quota];
    if (value !== undefined && value !== '' && !/^\d+$/.test(value)) throw new BadRequest(`Invalid ${quota.slice(18)} quota`);
  }
  for (const location of ['x-versions-location', 'x-history-location']) {
    const value = updates[location];
    if (value !== undefined && value.includes('/')) throw new BadRequest(`${location} must name a container, without '/'`);
  }
  const syncTo = updates['x-container-sync-to'];
  const syncError = syncTo === undefined ? null : api.syncRealms.invalid(syncTo);
  if (syncError !== null) throw new BadRequest(syncError);
  if (updates['x-versions-location'] && updates['x-history-location']) {
    throw new BadRequest('Only one of X-Versions-Location or X-History-Location may be provided');
  }
  return updates;
}

function setContainerHeaders(req: SwiftRequest, info: ContainerInfo, owner: boolean): void {
  const { reply } = req;
  reply.header('x-container-object-count', String(info.objectCount));
  reply.header('x-container-bytes-used', String(info.bytesUsed));
  reply.header('x-timestamp', info.createdAt);
  reply.header('x-put-timestamp', info.putTimestamp);
  reply.header('x-storage-policy', POLICY_NAME);
  reply.header('last-modified', new Date(Math.ceil(Number(info.putTimestamp)) * 1000).toUTCString());
  for (const [name, value] of visibleMetadata(info.metadata, owner)) reply.header(name, value);
  reply.header('accept-ranges', 'bytes');
  reply.type('text/plain; charset=utf-8');
}
