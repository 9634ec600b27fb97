/** /v3/regions, /v3/services and /v3/endpoints, and the collection routes they share. */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';

import { toBool } from '../../core/db/values.js';
import type { Attributes } from '../service/extras.js';
import type { Endpoint, Region, Service } from '../store/index.js';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { wrapped } from './schemas.js';
import { listLinks } from './views.js';
import { identityErrors } from '../errors.js';

type Json = Record<string, unknown>;
type Params = { Params: { id: string } };

/**
 * The list, show, update and delete routes of a collection under /v3, and
 * its create route unless it is created in bulk (limits) or elsewhere.
 */
export interface CollectionSpec<T> {
  /** Path under /v3, e.g. '/regions'. */
  path: string;
  /** JSON keys of one entity and of a list, e.g. 'region' and 'regions'. */
  member: string;
  collection: string;
  view(row: T): Json;
  create?: { schema: object; run(auth: CallerContext, body: Attributes): Promise<T> };
  list(auth: CallerContext, query: Query): Promise<T[]>;
  get(auth: CallerContext, id: string): Promise<T>;
  update: { schema: object; run(auth: CallerContext, id: string, patch: Attributes): Promise<T> };
  remove(auth: CallerContext, id: string): Promise<void>;
}

export function collectionRoutes<T>(app: FastifyInstance, api: IdentityApi, spec: CollectionSpec<T>): void {
  const { path, member, view } = spec;
  const create = spec.create;
  if (create) {
    app.post(`/v3${path}`, { schema: { body: create.schema } }, async (request, reply) => {
      const auth = await api.authenticate(request);
      const body = request.body as Record<string, Attributes>;
      return reply.code(201).send({ [member]: view(await create.run(auth, body[member] as Attributes)) });
    });
  }

  app.get(`/v3${path}`, async (request) => {
    const auth = await api.authenticate(request);
    const rows = await spec.list(auth, request.query as Query);
    return { [spec.collection]: rows.map(view), links: listLinks(api, path) };
  });

  app.get<Params>(`/v3${path}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { [member]: view(await spec.get(auth, request.params.id)) };
  });

  app.patch<Params>(`/v3${path}/:id`, { schema: { body: spec.update.schema } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as Record<string, Attributes>;
    return { [member]: view(await spec.update.run(auth, request.params.id, body[member] as Attributes)) };
  });

  app.delete<Params>(`/v3${path}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await spec.remove(auth, request.params.id);
    return reply.code(204).send();
  });
}

/** Keystone's schemas (keystone/catalog/schema.py); entities keep unknown attributes as extras. */
const regionIdSchema = { type: ['string', 'null'], minLength: 1, maxLength: 255 } as const;
const regionProperties = {
  description: { type: ['string', 'null'], maxLength: 255 },
  id: regionIdSchema,
  parent_region_id: regionIdSchema,
};
const regionCreateSchema = wrapped('region', { properties: { ...regionProperties, id: { ...regionIdSchema, minLength: 0 } } });

const serviceProperties = {
  type: { type: 'string', minLength: 1, maxLength: 255 },
  name: { type: 'string', minLength: 1, maxLength: 255 },
  description: { type: ['string', 'null'] },
  enabled: { type: 'boolean' },
};

const endpointProperties = {
  interface: { type: 'string', enum: ['admin', 'internal', 'public'] },
  region_id: { type: ['string', 'null'] },
  region: { type: ['string', 'null'] },
  service_id: { type: 'string' },
  url: { type: 'string', maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' },
  enabled: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: ['string', 'null'] },
};

function extra(text: string): Json {
  return JSON.parse(text) as Json;
}

function regionView(api: IdentityApi, r: Region): Json {
  return {
    ...extra(r.extra),
    id: r.id,
    description: r.description ?? '',
    parent_region_id: r.parent_region_id,
    links: { self: api.url(`/regions/${r.id}`) },
  };
}

/** `description` only when set: Keystone keeps it among the extras. */
function serviceView(api: IdentityApi, s: Service): Json {
  return {
    ...extra(s.extra),
    id: s.id,
    type: s.type,
    name: s.name ?? '',
    enabled: toBool(s.enabled),
    ...(s.description !== null && { description: s.description }),
    links: { self: api.url(`/services/${s.id}`) },
  };
}

/** `region` repeats region_id for clients of the v3.0 API. */
export function endpointView(api: IdentityApi, e: Endpoint): Json {
  return {
    ...extra(e.extra),
    id: e.id,
    interface: e.interface,
    region_id: e.region_id,
    region: e.region_id,
    service_id: e.service_id,
    url: e.url,
    enabled: toBool(e.enabled),
    links: { self: api.url(`/endpoints/${e.id}`) },
  };
}

export function catalogRoutes(app: FastifyInstance, api: IdentityApi): void {
  const catalog = api.ops.catalog;

  collectionRoutes<Region>(app, api, {
    path: '/regions',
    member: 'region',
    collection: 'regions',
    view: (r) => regionView(api, r),
    create: { schema: regionCreateSchema, run: (auth, body) => catalog.createRegion(auth, body) },
    list: (auth, query) => catalog.listRegions(auth, { parentRegionId: queryString(query, 'parent_region_id') }),
    get: (auth, id) => catalog.getRegion(auth, id),
    update: {
      schema: wrapped('region', { properties: regionProperties, minProperties: 1 }),
      run: (auth, id, patch) => catalog.updateRegion(auth, id, patch),
    },
    remove: (auth, id) => catalog.deleteRegion(auth, id),
  });

  // Keystone's documented way to choose a region's id; answers 201 like POST.
  app.put<Params>('/v3/regions/:id', { schema: { body: regionCreateSchema } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const region = (request.body as { region: Attributes }).region;
    if (region.id !== undefined && region.id !== request.params.id) {
      throw identityErrors.regionIdMismatch(request.params.id, String(region.id));
    }
    const created = await catalog.createRegion(auth, { ...region, id: request.params.id });
    return reply.code(201).send({ region: regionView(api, created) });
  });

  collectionRoutes<Service>(app, api, {
    path: '/services',
    member: 'service',
    collection: 'services',
    view: (s) => serviceView(api, s),
    create: { schema: wrapped('service', { properties: serviceProperties }, ['type']), run: (auth, body) => catalog.createService(auth, body) },
    list: (auth, query) => catalog.listServices(auth, { type: queryString(query, 'type'), name: queryString(query, 'name') }),
    get: (auth, id) => catalog.getService(auth, id),
    update: {
      schema: wrapped('service', { properties: serviceProperties, minProperties: 1 }),
      run: (auth, id, patch) => catalog.updateService(auth, id, patch),
    },
    remove: (auth, id) => catalog.deleteService(auth, id),
  });

  collectionRoutes<Endpoint>(app, api, {
    path: '/endpoints',
    member: 'endpoint',
    collection: 'endpoints',
    view: (e) => endpointView(api, e),
    create: {
      schema: wrapped('endpoint', { properties: { id: { type: 'string' }, ...endpointProperties } }, ['interface', 'service_id', 'url']),
      run: (auth, body) => catalog.createEndpoint(auth, body),
    },
    list: (auth, query) =>
      catalog.listEndpoints(auth, {
        interface: queryString(query, 'interface'),
        serviceId: queryString(query, 'service_id'),
        regionId: queryString(query, 'region_id'),
      }),
    get: (auth, id) => catalog.getEndpoint(auth, id),
    update: {
      schema: wrapped('endpoint', { properties: endpointProperties, minProperties: 1 }),
      run: (auth, id, patch) => catalog.updateEndpoint(auth, id, patch),
    },
    remove: (auth, id) => catalog.deleteEndpoint(auth, id),
  });
}
