/**
 * Nova's /images proxy to the image service with the caller's context: the
 * list (Nova's filters: name, status, server, type, minRam, minDisk,
 * changes-since, property-*), show and delete, gone at 2.36; and image
 * metadata (/images/{id}/metadata, Glance's extra properties), gone at 2.39.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import { proxyErrors, requestErrors } from '../errors.js';
import type { Image, ImageQuery } from '../../image/operations.js';
import { authorize } from '../service/access.js';
import { isoSeconds } from './server-views.js';
import { resourceLinks, V21, type ComputeApi } from './context.js';
import { proxyBody, proxyVersion } from './proxy-gate.js';
import { envelope, metadata } from './schemas/parameter-types.js';
import * as v from './validate.js';

type IdParams = { Params: { id: string } };
type KeyParams = { Params: { id: string; key: string } };

/** Image metadata lives until 2.38. */
const METADATA_GONE = '2.39';

/** Glance status → Nova image status. */
const IMAGE_STATUS: Record<string, string> = {
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  uploading: 'SAVING',
  importing: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
  deactivated: 'ERROR',
};

function imageView(api: ComputeApi, image: Image, detail: boolean): Record<string, unknown> {
  const links = [
    ...resourceLinks(api.root, 'images', image.id),
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${api.root.replace(/\/compute$/, '/image')}/images/${image.id}` },
  ];
  if (!detail) return { id: image.id, name: image.name, links };
  const { instance_uuid: instanceUuid, ...metadata } = image.properties;
  const view: Record<string, unknown> = {
    id: image.id,
    name: image.name,
    status: IMAGE_STATUS[image.status] ?? 'UNKNOWN',
    created: isoSeconds(image.created_at),
    updated: isoSeconds(image.updated_at),
    minDisk: image.min_disk,
    minRam: image.min_ram,
    progress: image.status === 'active' ? 100 : image.status === 'queued' ? 25 : 50,
    metadata: instanceUuid ? { ...metadata, instance_uuid: instanceUuid } : metadata,
    'OS-EXT-IMG-SIZE:size': image.size,
    links,
  };
  if (instanceUuid) view.server = { id: instanceUuid, links: resourceLinks(api.root, 'servers', instanceUuid) };
  return view;
}

/** Conditions the image service's query has no field for: checked here on each image. */
type LocalFilter = (image: Image) => boolean;

/** Nova's list filters split into the image service's query and the conditions checked here. */
function listFilters(query: unknown): { pushed: ImageQuery; local: LocalFilter[] } {
  const params = (query ?? {}) as Record<string, unknown>;
  const text = (key: string) => v.queryValue(query, key);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key.startsWith('property-') && typeof value === 'string') properties[key.slice('property-'.length)] = value;
  }
  // `server` may be the server's id or its URL: the last segment is the id.
  const server = text('server');
  if (server !== undefined) properties.instance_uuid = server.split('/').pop() ?? server;
  const type = text('type');
  if (type !== undefined) properties.image_type = type;
  const name = text('name');
  const pushed: ImageQuery = { ...(name !== undefined && { name }), ...(Object.keys(properties).length > 0 && { properties }) };

  const local: LocalFilter[] = [];
  const status = text('status');
  if (status !== undefined) local.push((image) => image.status === status.toLowerCase());
  const minRam = v.queryInt(query, 'minRam');
  if (minRam !== undefined) local.push((image) => image.min_ram >= minRam);
  const minDisk = v.queryInt(query, 'minDisk');
  if (minDisk !== undefined) local.push((image) => image.min_disk >= minDisk);
  const since = text('changes-since');
  if (since !== undefined) {
    const time = Date.parse(since);
    if (Number.isNaN(time)) throw requestErrors.invalidQueryParameter('changes-since', since, `'${since}' is not a 'date-time'`);
    local.push((image) => Date.parse(image.updated_at) >= time);
  }
  return { pushed, local };
}

/** One page after `marker` (400 when the marker is not among the images, as Glance answers). */
function page(images: Image[], limit: number | undefined, marker: string | undefined): Image[] {
  let start = 0;
  if (marker !== undefined) {
    start = images.findIndex((image) => image.id === marker) + 1;
    if (start === 0) throw proxyErrors.invalidMarker(marker);
  }
  return images.slice(start, limit === undefined ? undefined : start + limit);
}

export function imageProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  const images = () => api.ops.runtime.deps.peers.image();
  const listing = (detail: boolean) => async (request: FastifyRequest) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    const limit = v.queryInt(request.query, 'limit');
    const marker = v.queryValue(request.query, 'marker');
    const { pushed, local } = listFilters(request.query);
    // Without conditions of its own the image service pages; with some, every match is read and paged here.
    const found =
      local.length === 0
        ? await images().list(auth, { ...pushed, ...(limit !== undefined && { limit }), ...(marker !== undefined && { marker }) })
        : page(
            (await images().list(auth, pushed)).filter((image) => local.every((holds) => holds(image))),
            limit,
            marker,
          );
    return { images: found.map((i) => imageView(api, i, detail)) };
  };
  app.get(`${V21}/images`, listing(false));
  app.get(`${V21}/images/detail`, listing(true));
  app.get<IdParams>(`${V21}/images/:id`, async (request) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    return { image: imageView(api, await visibleImage(api, auth, request.params.id), true) };
  });
  app.delete<IdParams>(`${V21}/images/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    authorize(api.ops.runtime.deps, auth, 'os_compute_api:images:delete');
    await images()
      .delete(auth, request.params.id)
      .catch((error: unknown) => {
        // An image the caller may not delete is answered as one that does not exist.
        if (error instanceof NimbusError && (error.status === 404 || error.status === 403)) throw proxyErrors.imageNotFound();
        throw error;
      });
    return reply.code(204).send();
  });
  imageMetadataRoutes(app, api);
}

async function visibleImage(api: ComputeApi, auth: CallerContext, id: string): Promise<Image> {
  return api.ops.runtime.deps.peers
    .image()
    .get(auth, id)
    .catch((error: unknown) => {
      if (error instanceof NimbusError && error.status === 404) throw proxyErrors.imageNotFound();
      throw error;
    });
}

function imageMetadataRoutes(app: FastifyInstance, api: ComputeApi): void {
  const metadataOf = async (request: FastifyRequest<IdParams>) => {
    const auth = await api.authenticate(request);
    proxyVersion(request, METADATA_GONE);
    return { auth, image: await visibleImage(api, auth, request.params.id) };
  };
  /** Writes the image's whole set of properties: those absent from `wanted` are removed. */
  const write = async (auth: CallerContext, image: Image, wanted: Record<string, string>) => {
    const limits = await api.ops.runtime.deps.quota.getLimits(auth.project?.id ?? image.owner ?? '');
    if (limits.metadata_items !== -1 && Object.keys(wanted).length > limits.metadata_items) throw proxyErrors.imageMetadataLimit();
    const removed = Object.fromEntries(Object.keys(image.properties).flatMap((key) => (key in wanted ? [] : [[key, null]])));
    await api.ops.runtime.deps.peers.image().update(auth, image.id, { properties: { ...removed, ...wanted } });
  };

  app.get<IdParams>(`${V21}/images/:id/metadata`, async (request) => ({ metadata: (await metadataOf(request)).image.properties }));
  app.get<KeyParams>(`${V21}/images/:id/metadata/:key`, async (request) => {
    const { image } = await metadataOf(request);
    const value = image.properties[request.params.key];
    if (value === undefined) throw proxyErrors.imageMetadataNotFound();
    return { meta: { [request.params.key]: value } };
  });
  const setMetadata = envelope('metadata', metadata);
  app.post<IdParams & { Body: { metadata: Record<string, string> } }>(
    `${V21}/images/:id/metadata`,
    proxyBody(api, setMetadata, METADATA_GONE),
    async (request) => {
      const { auth, image } = await metadataOf(request);
      const merged = { ...image.properties, ...request.body.metadata };
      await write(auth, image, merged);
      return { metadata: merged };
    },
  );
  app.put<IdParams & { Body: { metadata: Record<string, string> } }>(
    `${V21}/images/:id/metadata`,
    proxyBody(api, setMetadata, METADATA_GONE),
    async (request) => {
      const { auth, image } = await metadataOf(request);
      await write(auth, image, request.body.metadata);
      return { metadata: request.body.metadata };
    },
  );
  app.put<KeyParams & { Body: { meta: Record<string, string> } }>(
    `${V21}/images/:id/metadata/:key`,
    proxyBody(api, envelope('meta', { ...metadata, minProperties: 1, maxProperties: 1 }), METADATA_GONE),
    async (request) => {
      const { meta } = request.body;
      if (!(request.params.key in meta)) throw requestErrors.bodyUriMismatch();
      const { auth, image } = await metadataOf(request);
      await write(auth, image, { ...image.properties, ...meta });
      return { meta };
    },
  );
  app.delete<KeyParams>(`${V21}/images/:id/metadata/:key`, async (request, reply) => {
    const { auth, image } = await metadataOf(request);
    if (!(request.params.key in image.properties)) throw proxyErrors.invalidMetadataKey();
    const { [request.params.key]: _removed, ...rest } = image.properties;
    await write(auth, image, rest);
    return reply.code(204).send();
  });
}
