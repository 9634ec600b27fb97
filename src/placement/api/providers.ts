/** /resource_providers: list with filters, create, show, update, delete. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placementErrors } from '../errors.js';
import type { ProviderFilter, ProviderRow } from '../store/index.js';
import {
  atLeast,
  cacheHeaders,
  guard,
  jsonBody,
  normalizeUuid,
  onlyParams,
  parseMemberOf,
  parseRequired,
  parseResources,
  queryOf,
  rpLink,
  single,
  UUID,
  values,
  absolute,
} from './common.js';
import type { PlacementApi } from './index.js';
import { providerCreate, providerUpdate } from './schemas.js';

type ProviderBody = { name: string; uuid?: string; parent_provider_uuid?: string | null };

export function providerView(request: FastifyRequest, p: ProviderRow): Record<string, unknown> {
  const links = [
    { rel: 'self', href: rpLink(p.uuid) },
    { rel: 'inventories', href: rpLink(p.uuid, '/inventories') },
    { rel: 'usages', href: rpLink(p.uuid, '/usages') },
  ];
  if (atLeast(request, '1.1')) links.push({ rel: 'aggregates', href: rpLink(p.uuid, '/aggregates') });
  if (atLeast(request, '1.6')) links.push({ rel: 'traits', href: rpLink(p.uuid, '/traits') });
  if (atLeast(request, '1.11')) links.push({ rel: 'allocations', href: rpLink(p.uuid, '/allocations') });
  return {
    uuid: p.uuid,
    name: p.name,
    generation: p.generation,
    ...(atLeast(request, '1.14') && { parent_provider_uuid: p.parentProviderUuid, root_provider_uuid: p.rootProviderUuid }),
    links,
  };
}

/** Checks that named resource classes and traits exist, as Placement does before searching. */
export async function checkNames(api: PlacementApi, resources: Record<string, number>, traits: string[]): Promise<void> {
  for (const rc of Object.keys(resources)) {
    if (!(await api.service.catalog.resourceClassExists(rc))) {
      throw placementErrors.badQueryValue(`Invalid resource class in resources parameter: No such resource class ${rc}.`);
    }
  }
  const missing: string[] = [];
  for (const trait of new Set(traits)) if (!(await api.service.catalog.traitExists(trait))) missing.push(trait);
  if (missing.length > 0) throw placementErrors.badRequest(`No such trait(s): ${missing.join(', ')}.`);
}

export function providerRoutes(app: FastifyInstance, api: PlacementApi): void {
  app.get('/resource_providers', async (request, reply) => {
    await guard(api, request, 'resource_providers:list');
    const query = queryOf(request);
    const allowed = ['name', 'uuid'];
    if (atLeast(request, '1.3')) allowed.push('member_of');
    if (atLeast(request, '1.4')) allowed.push('resources');
    if (atLeast(request, '1.14')) allowed.push('in_tree');
    if (atLeast(request, '1.18')) allowed.push('required');
    onlyParams(query, allowed);
    const filter: ProviderFilter = {};
    const name = single(query, 'name');
    if (name !== undefined) filter.name = name;
    const uuid = single(query, 'uuid');
    if (uuid !== undefined) {
      if (!UUID.test(uuid)) throw placementErrors.invalidQuery(`'${uuid}' is not a 'uuid'`);
      filter.uuid = normalizeUuid(uuid);
    }
    const memberOf = values(query, 'member_of');
    if (memberOf.length > 0) {
      const parsed = parseMemberOf(request, memberOf);
      filter.memberOf = parsed.anyOf;
      filter.forbiddenAggregates = parsed.forbidden;
    }
    const resources = single(query, 'resources');
    if (resources !== undefined) filter.resources = parseResources(resources);
    const inTree = single(query, 'in_tree');
    if (inTree !== undefined) {
      if (!UUID.test(inTree)) throw placementErrors.invalidQuery(`'${inTree}' is not a 'uuid'`);
      filter.inTree = normalizeUuid(inTree);
    }
    const required = values(query, 'required');
    let traits: string[] = [];
    if (required.length > 0) {
      const parsed = parseRequired(request, required);
      filter.requiredTraits = parsed.required;
      filter.forbiddenTraits = parsed.forbidden;
      filter.anyOfTraits = parsed.anyOf;
      traits = [...parsed.required, ...parsed.forbidden, ...parsed.anyOf.flat()];
    }
    await checkNames(api, filter.resources ?? {}, traits);
    const providers = await api.service.providers.listProviders(filter);
    cacheHeaders(request, reply);
    return { resource_providers: providers.map((p) => providerView(request, p)) };
  });

  app.post('/resource_providers', async (request, reply) => {
    await guard(api, request, 'resource_providers:create');
    const body = jsonBody<ProviderBody>(request, providerCreate);
    const uuid = body.uuid === undefined ? undefined : normalizeUuid(body.uuid);
    const parent = body.parent_provider_uuid === undefined || body.parent_provider_uuid === null ? null : normalizeUuid(body.parent_provider_uuid);
    const created = await api.service.providers.createProvider({ ...(uuid && { uuid }), name: body.name, parentProviderUuid: parent });
    reply.header('location', absolute(api, rpLink(created.uuid)));
    if (atLeast(request, '1.20')) return reply.code(200).send(providerView(request, await api.service.providers.getProvider(created.uuid)));
    return reply.code(201).send();
  });

  app.get('/resource_providers/:uuid', async (request, reply) => {
    await guard(api, request, 'resource_providers:show');
    const provider = await api.service.providers.getProvider(paramUuid(request));
    cacheHeaders(request, reply);
    return providerView(request, provider);
  });

  app.put('/resource_providers/:uuid', async (request) => {
    await guard(api, request, 'resource_providers:update');
    const uuid = paramUuid(request);
    const body = jsonBody<ProviderBody>(request, providerUpdate);
    let parent: string | null | undefined;
    if (body.parent_provider_uuid !== undefined) {
      parent = body.parent_provider_uuid === null ? null : normalizeUuid(body.parent_provider_uuid);
    }
    const updated = await api.service.providers.updateProvider(uuid, {
      name: body.name,
      ...(parent !== undefined && { parentProviderUuid: parent }),
      allowReparent: atLeast(request, '1.37'),
    });
    return providerView(request, updated);
  });

  app.delete('/resource_providers/:uuid', async (request, reply) => {
    await guard(api, request, 'resource_providers:delete');
    await api.service.deleteProvider(paramUuid(request));
    return reply.code(204).send();
  });
}

/** The provider named in the path; an unknown one is a 404 as Placement's lookups give. */
export function paramUuid(request: FastifyRequest): string {
  const raw = (request.params as { uuid: string }).uuid;
  if (!UUID.test(raw)) throw placementErrors.providerNotFound(raw);
  return normalizeUuid(raw);
}
