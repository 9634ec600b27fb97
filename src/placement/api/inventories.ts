/** /resource_providers/{uuid}/inventories: list, replace all, add one, show, update, delete one, delete all (1.5). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placementErrors } from '../errors.js';
import type { Inventory } from '../operations.js';
import { absolute, atLeast, cacheHeaders, guard, jsonBody, requireVersion, rpLink } from './common.js';
import type { PlacementApi } from './index.js';
import { paramUuid } from './providers.js';
import { inventoriesReplace, inventoryCreate, inventoryUpdate } from './schemas.js';

type Generation = { resource_provider_generation: number };

/**
 * One schema-checked inventory record, its fields only. Before 1.26 the
 * reserved amount had to stay below the total, a rule across two fields.
 */
export function inventoryOf(request: FastifyRequest, record: Inventory): Inventory {
  const { total, reserved, min_unit, max_unit, step_size, allocation_ratio } = record;
  if (!atLeast(request, '1.26') && (reserved ?? 0) >= total && (reserved ?? 0) > 0) {
    throw placementErrors.invalidJson(`Unable to update inventory: the reserved value (${reserved}) must be less than total (${total})`);
  }
  return {
    total,
    ...(reserved !== undefined && { reserved }),
    ...(min_unit !== undefined && { min_unit }),
    ...(max_unit !== undefined && { max_unit }),
    ...(step_size !== undefined && { step_size }),
    ...(allocation_ratio !== undefined && { allocation_ratio }),
  };
}

function view(inv: Required<Inventory>): Required<Inventory> {
  return {
    total: inv.total,
    reserved: inv.reserved,
    min_unit: inv.min_unit,
    max_unit: inv.max_unit,
    step_size: inv.step_size,
    allocation_ratio: inv.allocation_ratio,
  };
}

export function inventoryRoutes(app: FastifyInstance, api: PlacementApi): void {
  const list = async (uuid: string) => {
    const current = await api.service.inventories.getInventories(uuid);
    return {
      inventories: Object.fromEntries(Object.entries(current.inventories).map(([rc, inv]) => [rc, view(inv)])),
      resource_provider_generation: current.generation,
    };
  };
  const one = async (uuid: string, rc: string) => {
    const current = await api.service.inventories.getInventories(uuid);
    const inv = current.inventories[rc];
    if (!inv) throw placementErrors.noInventory(uuid, rc);
    return { resource_provider_generation: current.generation, ...view(inv) };
  };

  app.get('/resource_providers/:uuid/inventories', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:list');
    cacheHeaders(request, reply);
    return list(paramUuid(request));
  });

  app.put('/resource_providers/:uuid/inventories', async (request) => {
    await guard(api, request, 'resource_providers:inventories:update');
    const uuid = paramUuid(request);
    const body = jsonBody<Generation & { inventories: Record<string, Inventory> }>(request, inventoriesReplace);
    const inventories: Record<string, Inventory> = {};
    for (const [rc, record] of Object.entries(body.inventories)) inventories[rc] = inventoryOf(request, record);
    await api.service.inventories.replaceInventories(uuid, inventories, body.resource_provider_generation);
    return list(uuid);
  });

  app.post('/resource_providers/:uuid/inventories', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:create');
    const uuid = paramUuid(request);
    const body = jsonBody<Generation & Inventory & { resource_class: string }>(request, inventoryCreate);
    const rc = body.resource_class;
    await api.service.inventories.addInventory(uuid, rc, inventoryOf(request, body), body.resource_provider_generation);
    reply.header('location', absolute(api, rpLink(uuid, `/inventories/${rc}`)));
    return reply.code(201).send(await one(uuid, rc));
  });

  app.delete('/resource_providers/:uuid/inventories', async (request, reply) => {
    requireVersion(request, '1.5');
    await guard(api, request, 'resource_providers:inventories:delete');
    const uuid = paramUuid(request);
    await api.service.inventories.replaceInventories(uuid, {});
    return reply.code(204).send();
  });

  app.get('/resource_providers/:uuid/inventories/:rc', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:show');
    cacheHeaders(request, reply);
    return one(paramUuid(request), (request.params as { rc: string }).rc);
  });

  app.put('/resource_providers/:uuid/inventories/:rc', async (request) => {
    await guard(api, request, 'resource_providers:inventories:update');
    const uuid = paramUuid(request);
    const rc = (request.params as { rc: string }).rc;
    const body = jsonBody<Generation & Inventory>(request, inventoryUpdate);
    await api.service.inventories.updateInventory(uuid, rc, inventoryOf(request, body), body.resource_provider_generation);
    return one(uuid, rc);
  });

  app.delete('/resource_providers/:uuid/inventories/:rc', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:delete');
    await api.service.inventories.deleteInventory(paramUuid(request), (request.params as { rc: string }).rc);
    return reply.code(204).send();
  });
}
