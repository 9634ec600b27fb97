/**
 * /v2/metadefs/namespaces, /v2/metadefs/resource_types and a namespace's
 * resource-type associations; the metadefs schemas under /v2/schemas/metadefs/.
 */
import type { FastifyInstance } from 'fastify';
import { metadefErrors } from '../metadef-errors.js';
import { NAMESPACE_SORT_KEYS, type NamespaceListRequest, type NamespaceSortKey, type NewNamespace, type AssociationInput } from '../service/index.js';
import { isObject, requireBody } from './body.js';
import type { ImageApi } from './context.js';
import { METADEF_SCHEMAS, MetadefValidator } from './metadef-schemas.js';
import { associationView, namespaceDetailView, namespaceHref, namespaceView, resourceTypeView } from './metadef-views.js';

type NamespaceParams = { Params: { namespace: string } };
type Query = { Querystring: Record<string, string | undefined> };
const NAMESPACES = '/v2/metadefs/namespaces';
/** Glance's `limit_param_default` and `api_limit_max`. */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

/** A JSON object body checked against the named schema. */
export function checkedBody(validator: MetadefValidator, kind: Parameters<MetadefValidator['check']>[0], raw: unknown): Record<string, unknown> {
  const body = requireBody(raw);
  if (!isObject(body)) throw metadefErrors.schemaMismatch(kind, `${JSON.stringify(body)} is not of type 'object'`);
  validator.check(kind, body);
  return body;
}

function listRequest(query: Record<string, string | undefined>): NamespaceListRequest {
  const sortDir = query.sort_dir ?? 'desc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw metadefErrors.sortDirInvalid(sortDir);
  const sortKey = query.sort_key ?? 'created_at';
  if (!(NAMESPACE_SORT_KEYS as readonly string[]).includes(sortKey)) throw metadefErrors.sortKeyInvalid(sortKey);
  const visibility = query.visibility;
  if (visibility !== undefined && visibility !== '' && visibility !== 'public' && visibility !== 'private') {
    throw metadefErrors.visibilityFilterInvalid(visibility);
  }
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    if (!/^-?\d+$/.test(query.limit.trim())) throw metadefErrors.limitNotInteger();
    limit = Number(query.limit);
    if (limit < 0) throw metadefErrors.limitNegative();
  }
  return {
    sortDir,
    sortKey: sortKey as NamespaceSortKey,
    limit: Math.min(limit, MAX_LIMIT),
    ...(visibility && { visibility }),
    ...(query.resource_types && { resourceTypes: query.resource_types.split(',').map((type) => type.trim()) }),
    ...(query.marker !== undefined && { marker: query.marker }),
  };
}

export function metadefNamespaceRoutes(app: FastifyInstance, api: ImageApi, validator: MetadefValidator): void {
  const { namespaces, content } = api.ops.metadefs;

  for (const [name, document] of Object.entries(METADEF_SCHEMAS)) {
    app.get(`/v2/schemas/metadefs/${name}`, async (request) => {
      await api.context(request);
      return document();
    });
  }

  app.get<Query>(NAMESPACES, async (request) => {
    const ctx = await api.context(request);
    const page = await namespaces.list(ctx, listRequest(request.query));
    const params = new URLSearchParams(Object.entries(request.query).filter((e): e is [string, string] => e[0] !== 'marker' && e[1] !== undefined));
    const query = params.toString();
    const body: Record<string, unknown> = {
      namespaces: page.items.map(({ namespace, associations }) => ({
        ...namespaceView(namespace),
        ...(associations.length > 0 && { resource_type_associations: associations.map(associationView) }),
      })),
      first: query ? `${NAMESPACES}?${query}` : NAMESPACES,
      schema: '/v2/schemas/metadefs/namespaces',
    };
    if (page.next !== null) {
      params.set('marker', page.next);
      body.next = `${NAMESPACES}?${params.toString()}`;
    }
    return body;
  });

  app.post(NAMESPACES, async (request, reply) => {
    const ctx = await api.context(request);
    const input = checkedBody(validator, 'namespace', request.body) as unknown as NewNamespace;
    const detail = await namespaces.create(ctx, input);
    return reply.code(201).header('location', namespaceHref(detail.namespace.namespace)).send(namespaceDetailView(detail));
  });

  app.get<NamespaceParams & { Querystring: { resource_type?: string } }>(`${NAMESPACES}/:namespace`, async (request) => {
    const ctx = await api.context(request);
    const detail = await namespaces.show(ctx, request.params.namespace);
    const wanted = request.query.resource_type;
    const prefix = wanted ? (detail.associations.find((a) => a.name === wanted)?.prefix ?? '') : '';
    return namespaceDetailView(detail, prefix);
  });

  app.put<NamespaceParams>(`${NAMESPACES}/:namespace`, async (request) => {
    const ctx = await api.context(request);
    const input = checkedBody(validator, 'namespace', request.body) as unknown as NewNamespace;
    return namespaceView(await namespaces.update(ctx, request.params.namespace, input));
  });

  app.delete<NamespaceParams>(`${NAMESPACES}/:namespace`, async (request, reply) => {
    const ctx = await api.context(request);
    await namespaces.delete(ctx, request.params.namespace);
    return reply.code(204).send();
  });

  app.get('/v2/metadefs/resource_types', async (request) => {
    const ctx = await api.context(request);
    return { resource_types: (await content.resourceTypes(ctx)).map(resourceTypeView) };
  });

  app.get<NamespaceParams>(`${NAMESPACES}/:namespace/resource_types`, async (request) => {
    const ctx = await api.context(request);
    return { resource_type_associations: (await content.associations(ctx, request.params.namespace)).map(associationView) };
  });

  app.post<NamespaceParams>(`${NAMESPACES}/:namespace/resource_types`, async (request, reply) => {
    const ctx = await api.context(request);
    const input = checkedBody(validator, 'resource_type_association', request.body) as unknown as AssociationInput;
    return reply.code(201).send(associationView(await content.associate(ctx, request.params.namespace, input)));
  });

  app.delete<{ Params: { namespace: string; type: string } }>(`${NAMESPACES}/:namespace/resource_types/:type`, async (request, reply) => {
    const ctx = await api.context(request);
    await content.dissociate(ctx, request.params.namespace, request.params.type);
    return reply.code(204).send();
  });
}
