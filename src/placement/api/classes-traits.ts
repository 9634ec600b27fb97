/**
 * /resource_classes (1.2), /traits (1.6), and a provider's traits (1.6) and
 * aggregates (1.1; with the provider generation from 1.19).
 */
import type { FastifyInstance } from 'fastify';
import { placementErrors } from '../errors.js';
import { CUSTOM_NAME } from '../service/placement.js';
import { atLeast, cacheHeaders, guard, jsonBody, normalizeUuid, onlyParams, queryOf, requireVersion, single, absolute } from './common.js';
import type { PlacementApi } from './index.js';
import { paramUuid } from './providers.js';
import { providerAggregates as aggregatesBody, providerTraits as traitsBody, resourceClassName } from './schemas.js';

type Generation = { resource_provider_generation: number };

const classLink = (name: string) => ({ rel: 'self', href: `/placement/resource_classes/${name}` });

export function classAndTraitRoutes(app: FastifyInstance, api: PlacementApi): void {
  // --- resource classes --------------------------------------------------------------
  app.get('/resource_classes', async (request, reply) => {
    requireVersion(request, '1.2');
    await guard(api, request, 'resource_classes:list');
    cacheHeaders(request, reply);
    return { resource_classes: (await api.service.catalog.listResourceClasses()).map((name) => ({ name, links: [classLink(name)] })) };
  });

  app.post('/resource_classes', async (request, reply) => {
    requireVersion(request, '1.2');
    await guard(api, request, 'resource_classes:create');
    const { name } = jsonBody<{ name: string }>(request, resourceClassName);
    if (!(await api.service.catalog.createResourceClass(name))) throw placementErrors.resourceClassExists(name);
    reply.header('location', absolute(api, `/placement/resource_classes/${name}`));
    return reply.code(201).send();
  });

  app.get('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, '1.2');
    await guard(api, request, 'resource_classes:show');
    const { name } = request.params as { name: string };
    if (!(await api.service.catalog.resourceClassExists(name))) throw placementErrors.noResourceClass(name);
    cacheHeaders(request, reply);
    return { name, links: [classLink(name)] };
  });

  app.put('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, '1.2');
    await guard(api, request, 'resource_classes:update');
    const { name } = request.params as { name: string };
    if (atLeast(request, '1.7')) {
      // 1.7: PUT creates the custom class, or confirms it exists.
      if (!CUSTOM_NAME.test(name)) throw placementErrors.invalidJson(`'${name}' does not match '^CUSTOM_[A-Z0-9_]+$'`);
      const created = await api.service.catalog.createResourceClass(name);
      reply.header('location', absolute(api, `/placement/resource_classes/${name}`));
      return reply.code(created ? 201 : 204).send();
    }
    // 1.2 - 1.6: PUT renames a custom class.
    const newName = jsonBody<{ name: string }>(request, resourceClassName).name;
    await api.service.catalog.renameResourceClass(name, newName);
    return { name: newName, links: [classLink(newName)] };
  });

  app.delete('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, '1.2');
    await guard(api, request, 'resource_classes:delete');
    await api.service.catalog.deleteResourceClass((request.params as { name: string }).name);
    return reply.code(204).send();
  });

  // --- traits -------------------------------------------------------------------------
  app.get('/traits', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'traits:list');
    const query = queryOf(request);
    onlyParams(query, ['name', 'associated']);
    const filter: { names?: string[]; prefix?: string; associated?: boolean } = {};
    const name = single(query, 'name');
    if (name !== undefined) {
      if (name.startsWith('in:')) filter.names = name.slice(3).split(',');
      else if (name.startsWith('startswith:')) filter.prefix = name.slice('startswith:'.length);
      else
        throw placementErrors.badRequest(
          `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${name}"`,
        );
    }
    const associated = single(query, 'associated');
    if (associated !== undefined) {
      if (associated !== 'true' && associated !== 'false') {
        throw placementErrors.invalidQuery(`'${associated}' is not one of ['true', 'false']`);
      }
      filter.associated = associated === 'true';
    }
    cacheHeaders(request, reply);
    return { traits: await api.service.catalog.listTraits(filter) };
  });

  app.get('/traits/:name', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'traits:show');
    const { name } = request.params as { name: string };
    if (!(await api.service.catalog.traitExists(name))) throw placementErrors.noTraitShown(name);
    cacheHeaders(request, reply);
    return reply.code(204).send();
  });

  app.put('/traits/:name', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'traits:update');
    const { name } = request.params as { name: string };
    const created = await api.service.catalog.createTrait(name);
    reply.header('location', absolute(api, `/placement/traits/${name}`));
    return reply.code(created ? 201 : 204).send();
  });

  app.delete('/traits/:name', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'traits:delete');
    await api.service.catalog.deleteTrait((request.params as { name: string }).name);
    return reply.code(204).send();
  });

  // --- a provider's traits -------------------------------------------------------------
  const providerTraits = async (uuid: string) => {
    const current = await api.service.providers.getMembers('traits', uuid);
    return { traits: current.members, resource_provider_generation: current.generation };
  };

  app.get('/resource_providers/:uuid/traits', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'resource_providers:traits:list');
    cacheHeaders(request, reply);
    return providerTraits(paramUuid(request));
  });

  app.put('/resource_providers/:uuid/traits', async (request) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'resource_providers:traits:update');
    const uuid = paramUuid(request);
    const body = jsonBody<Generation & { traits: string[] }>(request, traitsBody);
    await api.service.providers.replaceMembers('traits', uuid, body.traits, body.resource_provider_generation);
    return providerTraits(uuid);
  });

  app.delete('/resource_providers/:uuid/traits', async (request, reply) => {
    requireVersion(request, '1.6');
    await guard(api, request, 'resource_providers:traits:delete');
    await api.service.providers.replaceMembers('traits', paramUuid(request), []);
    return reply.code(204).send();
  });

  // --- a provider's aggregates -----------------------------------------------------------
  const providerAggregates = async (uuid: string, withGeneration: boolean) => {
    const current = await api.service.providers.getMembers('aggregates', uuid);
    return { aggregates: current.members, ...(withGeneration && { resource_provider_generation: current.generation }) };
  };

  app.get('/resource_providers/:uuid/aggregates', async (request, reply) => {
    requireVersion(request, '1.1');
    await guard(api, request, 'resource_providers:aggregates:list');
    cacheHeaders(request, reply);
    return providerAggregates(paramUuid(request), atLeast(request, '1.19'));
  });

  app.put('/resource_providers/:uuid/aggregates', async (request) => {
    requireVersion(request, '1.1');
    await guard(api, request, 'resource_providers:aggregates:update');
    const uuid = paramUuid(request);
    const body = jsonBody<string[] | (Generation & { aggregates: string[] })>(request, aggregatesBody);
    const [list, generation] = Array.isArray(body) ? [body, undefined] : [body.aggregates, body.resource_provider_generation];
    const aggregates = list.map(normalizeUuid);
    // The schema's uniqueItems sees the uuids as written; the same one with and without dashes is a duplicate too.
    if (new Set(aggregates).size !== aggregates.length) throw placementErrors.invalidJson(`${JSON.stringify(list)} has non-unique elements`);
    await api.service.providers.replaceMembers('aggregates', uuid, aggregates, generation);
    return providerAggregates(uuid, atLeast(request, '1.19'));
  });
}
