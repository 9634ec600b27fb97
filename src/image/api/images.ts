/** /v2/images: create, list, show, update (JSON patch), delete, tags and the deactivate/reactivate actions. */
import type { FastifyInstance } from 'fastify';
import { glanceLinks } from '../../core/pagination/index.js';
import { DISALLOWED_ON_CREATE, checkPropertyName, isReadOnly, type NewImage } from '../service/index.js';
import type { Visibility } from '../store/index.js';
import { isObject, mediaType, requireBody } from './body.js';
import type { IdParams, ImageApi } from './context.js';
import { parseImageListQuery } from './list-query.js';
import { parseImagePatch } from './patch.js';
import { imageView } from './views.js';
import { imageErrors } from '../errors.js';

/** The tag is the wildcard: a tag may be longer (255) than a route parameter may (100). */
type TagParams = { Params: { id: string; '*': string } };

/** Create-body keys that are image attributes; every other key is an extra property. */
const CREATE_ATTRIBUTES = ['id', 'name', 'visibility', 'protected', 'os_hidden', 'min_disk', 'min_ram', 'owner', 'disk_format', 'container_format', 'tags'];

export function imagesRoutes(app: FastifyInstance, api: ImageApi): void {
  const { images } = api.ops;

  app.post('/v2/images', async (request, reply) => {
    const ctx = await api.context(request);
    const image = await images.create(ctx, parseCreate(requireBody(request.body), api));
    reply.header('location', `${api.root()}/v2/images/${image.id}`);
    reply.header('openstack-image-import-methods', api.ops.imports.methods().join(','));
    reply.header(
      'openstack-image-store-ids',
      api.ops.imports
        .stores()
        .map((s) => s.id)
        .join(','),
    );
    return reply.code(201).send(imageView(image));
  });

  app.get('/v2/images', async (request) => {
    const ctx = await api.context(request);
    const page = await images.list(ctx, parseImageListQuery(request.query as Record<string, string | string[]>, api.options));
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return {
      images: page.rows.map(imageView),
      ...glanceLinks(`/v2/images${search}`, page.nextMarker),
      schema: '/v2/schemas/images',
    };
  });

  app.get<IdParams>('/v2/images/:id', async (request) => {
    const ctx = await api.context(request);
    return imageView(await images.get(ctx, request.params.id));
  });

  app.patch<IdParams>('/v2/images/:id', async (request) => {
    const ctx = await api.context(request);
    const changes = parseImagePatch(mediaType(request.headers['content-type']), request.body, api.validator);
    return imageView(await images.update(ctx, request.params.id, changes));
  });

  app.delete<IdParams>('/v2/images/:id', async (request, reply) => {
    const ctx = await api.context(request);
    await images.delete(ctx, request.params.id);
    return reply.code(204).send();
  });

  app.put<TagParams>('/v2/images/:id/tags/*', async (request, reply) => {
    const ctx = await api.context(request);
    const tag = request.params['*'];
    api.validator.check({ tags: [tag] });
    await images.addTag(ctx, request.params.id, tag);
    return reply.code(204).send();
  });

  app.delete<TagParams>('/v2/images/:id/tags/*', async (request, reply) => {
    const ctx = await api.context(request);
    await images.removeTag(ctx, request.params.id, request.params['*']);
    return reply.code(204).send();
  });

  app.post<IdParams>('/v2/images/:id/actions/deactivate', async (request, reply) => {
    const ctx = await api.context(request);
    await images.deactivate(ctx, request.params.id);
    return reply.code(204).send();
  });

  app.post<IdParams>('/v2/images/:id/actions/reactivate', async (request, reply) => {
    const ctx = await api.context(request);
    await images.reactivate(ctx, request.params.id);
    return reply.code(204).send();
  });
}

/**
 * A create body as Glance's deserializer and image factory take it: some
 * attributes are refused outright (403), the rest is checked against the
 * image schema (400), and keys that are not attributes become properties.
 */
function parseCreate(body: unknown, api: ImageApi): NewImage {
  if (isObject(body)) {
    for (const key of DISALLOWED_ON_CREATE) if (key in body) throw imageErrors.readOnly(key);
  }
  api.validator.check(body);
  if (!isObject(body)) throw imageErrors.imageObjectExpected();
  const input: NewImage = {};
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (CREATE_ATTRIBUTES.includes(key)) continue;
    if (isReadOnly(key)) throw imageErrors.readOnly(key);
    checkPropertyName(key);
    // The schema lets some custom properties be null (kernel_id); Glance shows those as ''.
    properties[key] = value === null ? '' : String(value);
  }
  if (body.id !== undefined) input.id = body.id as string;
  if (body.name !== undefined) input.name = body.name as string | null;
  if (body.visibility !== undefined) input.visibility = body.visibility as Visibility;
  if (body.protected !== undefined) input.protected = body.protected as boolean;
  if (body.os_hidden !== undefined) input.os_hidden = body.os_hidden as boolean;
  if (body.min_disk !== undefined) input.min_disk = body.min_disk as number;
  if (body.min_ram !== undefined) input.min_ram = body.min_ram as number;
  if (body.owner !== undefined) input.owner = body.owner as string | null;
  if (body.disk_format !== undefined) input.disk_format = body.disk_format as string | null;
  if (body.container_format !== undefined) input.container_format = body.container_format as string | null;
  if (body.tags !== undefined) input.tags = body.tags as string[];
  input.properties = properties;
  return input;
}
