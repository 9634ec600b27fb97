/** POST /reshaper (1.30): inventories and allocations of several providers and consumers, changed as one. */
import type { FastifyInstance } from 'fastify';
import type { Inventory } from '../operations.js';
import { consumerWrite, raiseRefusal, type ConsumerBody } from './allocations.js';
import { guard, jsonBody, normalizeUuid, requireVersion } from './common.js';
import type { PlacementApi } from './index.js';
import { inventoryOf } from './inventories.js';
import { reshape } from './schemas.js';

interface ReshapeBody {
  inventories: Record<string, { inventories: Record<string, Inventory>; resource_provider_generation: number }>;
  allocations: Record<string, ConsumerBody>;
}

export function reshaperRoutes(app: FastifyInstance, api: PlacementApi): void {
  app.post('/reshaper', async (request, reply) => {
    requireVersion(request, '1.30');
    await guard(api, request, 'reshaper:reshape');
    const body = jsonBody<ReshapeBody>(request, reshape);
    const inventories = Object.entries(body.inventories).map(([rp, entry]) => ({
      providerUuid: normalizeUuid(rp),
      inventories: Object.fromEntries(Object.entries(entry.inventories).map(([rc, record]) => [rc, inventoryOf(request, record)])),
      expectedGeneration: entry.resource_provider_generation,
    }));
    const writes = Object.entries(body.allocations).map(([consumer, entry]) => consumerWrite(normalizeUuid(consumer), entry));
    raiseRefusal(await api.service.allocations.reshape(inventories, writes));
    return reply.code(204).send();
  });
}
