/** /resource_providers/{uuid}/inventories: list, replace all, add one, show, update, delete one, delete all (1.5). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placementErrors } from '../errors.js';
import type { Inventory } from '../operations.js';
import {
  absolute,
  atLeast,
  cacheHeaders,
  guard,
  intField,
  invalid,
  objectBody,
  onlyKeys,
  requireKeys,
  requireVersion,
  rpLink,
  type Json,
} from './common.js';
import type { PlacementApi } from './index.js';
import { paramUuid } from './providers.js';

const FIELDS = ['total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio'];

/** One inventory record as Placement's schema has it; `extra` are other keys the body may carry. */
export function parseInventory(request: FastifyRequest, body: Json, where: string, extra: string[] = []): Inventory {
  onlyKeys(body, [...FIELDS, ...extra], where);
  requireKeys(body, ['total']);
  const inventory: Inventory = { total: intField(body.total, 'total', 1) };
  if (body.reserved !== undefined) inventory.reserved = intField(body.reserved, 'reserved', 0);
  if (body.min_unit !== undefined) inventory.min_unit = intField(body.min_unit, 'min_unit', 1);
  if (body.max_unit !== undefined) inventory.max_unit = intField(body.max_unit, 'max_unit', 1);
  if (body.step_size !== undefined) inventory.step_size = intField(body.step_size, 'step_size', 1);
  if (body.allocation_ratio !== undefined) {
    const ratio = body.allocation_ratio;
    if (typeof ratio !== 'number' || !Number.isFinite(ratio)) throw invalid(`${JSON.stringify(ratio)} is not of type 'number' ('allocation_ratio')`);
    if (ratio <= 0) throw invalid(`${ratio} is less than or equal to the minimum of 0 ('allocation_ratio')`);
    if (ratio > 3.40282e38) throw invalid(`${ratio} is greater than the maximum of 3.40282e+38 ('allocation_ratio')`);
    inventory.allocation_ratio = ratio;
  }
  // Before 1.26 the reserved amount had to stay below the total.
  if (!atLeast(request, '1.26') && (inventory.reserved ?? 0) >= inventory.total && (inventory.reserved ?? 0) > 0) {
    throw invalid(`Unable to update inventory: the reserved value (${inventory.reserved}) must be less than total (${inventory.total})`);
  }
  return inventory;
}

function generationOf(body: Json): number {
  requireKeys(body, ['resource_provider_generation']);
  return intField(body.resource_provider_generation, 'resource_provider_generation', 0, Number.MAX_SAFE_INTEGER);
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
    const body = objectBody(request.body);
    onlyKeys(body, ['inventories', 'resource_provider_generation']);
    requireKeys(body, ['inventories']);
    const generation = generationOf(body);
    const raw = body.inventories;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`${JSON.stringify(raw)} is not of type 'object' ('inventories')`);
    const inventories: Record<string, Inventory> = {};
    for (const [rc, record] of Object.entries(raw as Json)) {
      if (!/^[A-Z0-9_]+$/.test(rc)) throw invalid(`'${rc}' does not match any of the regexes: '^[A-Z0-9_]+$'`);
      inventories[rc] = parseInventory(request, objectBody(record), ` in inventory ${rc}`);
    }
    await api.service.inventories.replaceInventories(uuid, inventories, generation);
    return list(uuid);
  });

  app.post('/resource_providers/:uuid/inventories', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:create');
    const uuid = paramUuid(request);
    const body = objectBody(request.body);
    requireKeys(body, ['resource_class']);
    const rc = body.resource_class;
    if (typeof rc !== 'string' || !/^[A-Z0-9_]+$/.test(rc)) throw invalid(`${JSON.stringify(rc)} does not match '^[A-Z0-9_]+$' ('resource_class')`);
    const generation = generationOf(body);
    const inventory = parseInventory(request, body, '', ['resource_class', 'resource_provider_generation']);
    await api.service.inventories.addInventory(uuid, rc, inventory, generation);
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
    const body = objectBody(request.body);
    const generation = generationOf(body);
    const inventory = parseInventory(request, body, '', ['resource_provider_generation']);
    await api.service.inventories.updateInventory(uuid, rc, inventory, generation);
    return one(uuid, rc);
  });

  app.delete('/resource_providers/:uuid/inventories/:rc', async (request, reply) => {
    await guard(api, request, 'resource_providers:inventories:delete');
    await api.service.inventories.deleteInventory(paramUuid(request), (request.params as { rc: string }).rc);
    return reply.code(204).send();
  });
}

