/** /v2/metadefs/namespaces/{namespace}/objects, /properties and /tags. */
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../../core/json.js';
import type { MetadefChildKind } from '../metadef-errors.js';
import { header } from './body.js';
import type { ImageApi } from './context.js';
import { checkedBody } from './metadef-namespaces.js';
import type { MetadefValidator } from './metadef-schemas.js';
import { childView, objectView, propertyView, tagView } from './metadef-views.js';

type NamespaceParams = { Params: { namespace: string } };
type ChildParams = { Params: { namespace: string; name: string } };
const NAMESPACE = '/v2/metadefs/namespaces/:namespace';

/** Splits a body into the child's name and what the kind keeps beside it. */
function nameAndBody(body: Record<string, unknown>): { name: string; rest: JsonObject } {
  const { name, ...rest } = body;
  return { name: String(name), rest: rest as JsonObject };
}

/** oslo's bool_from_string, for the X-Openstack-Append header. */
function isTrue(value: string | undefined): boolean {
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes((value ?? '').trim().toLowerCase());
}

export function metadefContentRoutes(app: FastifyInstance, api: ImageApi, validator: MetadefValidator): void {
  const { content } = api.ops.metadefs;
  const segments: Record<MetadefChildKind, string> = { object: 'objects', property: 'properties', tag: 'tags' };

  for (const kind of ['object', 'property', 'tag'] as const) {
    const collection = `${NAMESPACE}/${segments[kind]}`;

    app.get<ChildParams>(`${collection}/:name`, async (request) => {
      const ctx = await api.context(request);
      const { namespace, name } = request.params;
      return childView(kind, namespace, await content.get(ctx, kind, namespace, name));
    });

    app.put<ChildParams>(`${collection}/:name`, async (request) => {
      const ctx = await api.context(request);
      const { name, rest } = nameAndBody(checkedBody(validator, kind, request.body));
      const { namespace } = request.params;
      return childView(kind, namespace, await content.update(ctx, kind, namespace, request.params.name, name, kind === 'tag' ? {} : rest));
    });

    app.delete<ChildParams>(`${collection}/:name`, async (request, reply) => {
      const ctx = await api.context(request);
      await content.delete(ctx, kind, request.params.namespace, request.params.name);
      return reply.code(204).send();
    });

    app.delete<NamespaceParams>(collection, async (request, reply) => {
      const ctx = await api.context(request);
      await content.deleteAll(ctx, kind, request.params.namespace);
      return reply.code(204).send();
    });
  }

  app.get<NamespaceParams>(`${NAMESPACE}/objects`, async (request) => {
    const ctx = await api.context(request);
    const { namespace } = request.params;
    const objects = await content.list(ctx, 'object', namespace);
    return { objects: objects.map((o) => objectView(namespace, o)), schema: 'v2/schemas/metadefs/objects' };
  });

  app.post<NamespaceParams>(`${NAMESPACE}/objects`, async (request, reply) => {
    const ctx = await api.context(request);
    const { name, rest } = nameAndBody(checkedBody(validator, 'object', request.body));
    const { namespace } = request.params;
    return reply.code(201).send(objectView(namespace, await content.create(ctx, 'object', namespace, name, rest)));
  });

  app.get<NamespaceParams>(`${NAMESPACE}/properties`, async (request) => {
    const ctx = await api.context(request);
    const properties = await content.list(ctx, 'property', request.params.namespace);
    return { properties: Object.fromEntries(properties.map((p) => [p.name, propertyView(p)])) };
  });

  app.post<NamespaceParams>(`${NAMESPACE}/properties`, async (request, reply) => {
    const ctx = await api.context(request);
    const { name, rest } = nameAndBody(checkedBody(validator, 'property', request.body));
    return reply.code(201).send(propertyView(await content.create(ctx, 'property', request.params.namespace, name, rest)));
  });

  app.get<NamespaceParams>(`${NAMESPACE}/tags`, async (request) => {
    const ctx = await api.context(request);
    return { tags: (await content.list(ctx, 'tag', request.params.namespace)).map((t) => ({ name: t.name })) };
  });

  app.post<NamespaceParams>(`${NAMESPACE}/tags`, async (request, reply) => {
    const ctx = await api.context(request);
    const body = checkedBody(validator, 'tags', request.body) as { tags: Array<{ name: string }> };
    const append = isTrue(header(request.headers['x-openstack-append']));
    const tags = await content.createTags(
      ctx,
      request.params.namespace,
      body.tags.map((t) => t.name),
      append,
    );
    return reply.code(201).send({ tags: tags.map((t) => ({ name: t.name })) });
  });

  // A tag is created by its name in the path; the request has no body.
  app.post<ChildParams>(`${NAMESPACE}/tags/:name`, async (request, reply) => {
    const ctx = await api.context(request);
    const { namespace, name } = request.params;
    validator.check('tag', { name });
    return reply.code(201).send(tagView(await content.create(ctx, 'tag', namespace, name, {})));
  });
}
