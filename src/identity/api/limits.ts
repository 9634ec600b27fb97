/** /v3/registered_limits, /v3/limits and /v3/limits/model (unified limits). */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { Attributes } from '../service/extras.js';
import { emptyAsNone } from '../service/limits.js';
import type { Limit, LimitFilter, RegisteredLimit } from '../store/index.js';
import { collectionRoutes } from './catalog.js';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { descriptionSchema, nameSchema } from './schemas.js';

type Json = Record<string, unknown>;

/** keystone/limit/schema.py: limits fit a signed 32-bit column; -1 means unlimited. */
const limitValue = { type: 'integer', minimum: -1, maximum: 0x7fffffff } as const;
const regionId = { type: ['string', 'null'], minLength: 1, maxLength: 255 } as const;
const ownerId = { type: ['string', 'null'], minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' } as const;
const nullableDescription = { ...descriptionSchema, maxLength: 255 } as const;

const registeredLimitProperties = {
  service_id: { type: 'string' },
  region_id: regionId,
  resource_name: nameSchema,
  default_limit: limitValue,
  description: nullableDescription,
};

const limitProperties = {
  project_id: ownerId,
  domain_id: ownerId,
  service_id: { type: 'string' },
  region_id: regionId,
  resource_name: nameSchema,
  resource_limit: limitValue,
  description: nullableDescription,
};

/** `{ "<key>": [ ... ] }`, at least one item, nothing else (these entities take no extras). */
function listOf(key: string, item: object) {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, ...item } } },
  } as const;
}

/** `{ "<key>": { ... } }` for PATCH: only the listed attributes. */
function patchOf(key: string, properties: object) {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'object', additionalProperties: false, properties } },
  } as const;
}

function filterOf(query: Query): LimitFilter {
  return {
    serviceId: queryString(query, 'service_id'),
    regionId: queryString(query, 'region_id'),
    resourceName: queryString(query, 'resource_name'),
    projectId: queryString(query, 'project_id'),
    domainId: queryString(query, 'domain_id'),
  };
}

function registeredLimitView(api: IdentityApi, r: RegisteredLimit): Json {
  return {
    id: r.id,
    service_id: r.service_id,
    region_id: emptyAsNone(r.region_id),
    resource_name: r.resource_name,
    default_limit: r.default_limit,
    description: r.description,
    links: { self: api.url(`/registered_limits/${r.id}`) },
  };
}

function limitView(api: IdentityApi, l: Limit): Json {
  return {
    id: l.id,
    project_id: emptyAsNone(l.project_id),
    domain_id: emptyAsNone(l.domain_id),
    service_id: l.service_id,
    region_id: emptyAsNone(l.region_id),
    resource_name: l.resource_name,
    resource_limit: l.resource_limit,
    description: l.description,
    links: { self: api.url(`/limits/${l.id}`) },
  };
}

/** POST of a list, all or nothing; the answer lists what was made, without links. */
function bulkCreateRoute<T>(
  app: FastifyInstance,
  api: IdentityApi,
  key: string,
  schema: object,
  run: (auth: CallerContext, bodies: Attributes[]) => Promise<T[]>,
  view: (row: T) => Json,
): void {
  app.post(`/v3/${key}`, { schema: { body: schema } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const bodies = (request.body as Record<string, Attributes[]>)[key] as Attributes[];
    return reply.code(201).send({ [key]: (await run(auth, bodies)).map(view) });
  });
}

export function limitRoutes(app: FastifyInstance, api: IdentityApi): void {
  const limits = api.ops.limits;

  app.get('/v3/limits/model', async (request) => {
    const auth = await api.authenticate(request);
    return { model: limits.getModel(auth) };
  });

  const registeredView = (r: RegisteredLimit) => registeredLimitView(api, r);
  bulkCreateRoute(
    app,
    api,
    'registered_limits',
    listOf('registered_limits', { properties: registeredLimitProperties, required: ['service_id', 'resource_name', 'default_limit'] }),
    (auth, bodies) => limits.createRegisteredLimits(auth, bodies),
    registeredView,
  );
  collectionRoutes<RegisteredLimit>(app, api, {
    path: '/registered_limits',
    member: 'registered_limit',
    collection: 'registered_limits',
    view: registeredView,
    list: (auth, query) => limits.listRegisteredLimits(auth, filterOf(query)),
    get: (auth, id) => limits.getRegisteredLimit(auth, id),
    update: {
      schema: patchOf('registered_limit', registeredLimitProperties),
      run: (auth, id, patch) => limits.updateRegisteredLimit(auth, id, patch),
    },
    remove: (auth, id) => limits.deleteRegisteredLimit(auth, id),
  });

  const view = (l: Limit) => limitView(api, l);
  bulkCreateRoute(
    app,
    api,
    'limits',
    listOf('limits', {
      properties: limitProperties,
      required: ['service_id', 'resource_name', 'resource_limit'],
      oneOf: [{ required: ['project_id'] }, { required: ['domain_id'] }],
    }),
    (auth, bodies) => limits.createLimits(auth, bodies),
    view,
  );
  collectionRoutes<Limit>(app, api, {
    path: '/limits',
    member: 'limit',
    collection: 'limits',
    view,
    list: (auth, query) => limits.listLimits(auth, filterOf(query)),
    get: (auth, id) => limits.getLimit(auth, id),
    update: {
      schema: patchOf('limit', { resource_limit: limitValue, description: nullableDescription }),
      run: (auth, id, patch) => limits.updateLimit(auth, id, patch),
    },
    remove: (auth, id) => limits.deleteLimit(auth, id),
  });
}
