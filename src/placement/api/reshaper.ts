/** POST /reshaper (1.30): inventories and allocations of several providers and consumers, changed as one. */
import type { FastifyInstance } from 'fastify';
import type { Inventory } from '../operations.js';
import type { AllocationWrite } from '../service/placement.js';
import { consumerFields, dictAllocations, raiseRefusal } from './allocations.js';
import { guard, intField, invalid, normalizeUuid, objectBody, onlyKeys, requireKeys, requireVersion, UUID } from './common.js';
import type { PlacementApi } from './index.js';
import { parseInventory } from './inventories.js';

export function reshaperRoutes(app: FastifyInstance, api: PlacementApi): void {
  app.post('/reshaper', async (request, reply) => {
    requireVersion(request, '1.30');
    await guard(api, request, 'reshaper:reshape');
    const body = objectBody(request.body);
    onlyKeys(body, ['inventories', 'allocations']);
    requireKeys(body, ['inventories', 'allocations']);
    const inventories: Array<{ providerUuid: string; inventories: Record<string, Inventory>; expectedGeneration: number }> = [];
    for (const [rp, raw] of Object.entries(objectBody(body.inventories))) {
      if (!UUID.test(rp)) throw invalid(`'${rp}' does not match any of the regexes: '^[0-9a-fA-F-]{36}$' ('inventories')`);
      const entry = objectBody(raw);
      onlyKeys(entry, ['inventories', 'resource_provider_generation'], ` in inventories.${rp}`);
      requireKeys(entry, ['inventories', 'resource_provider_generation']);
      const records: Record<string, Inventory> = {};
      for (const [rc, record] of Object.entries(objectBody(entry.inventories))) {
        if (!/^[A-Z0-9_]+$/.test(rc)) throw invalid(`'${rc}' does not match any of the regexes: '^[A-Z0-9_]+$'`);
        records[rc] = parseInventory(request, objectBody(record), ` in inventories.${rp}.${rc}`);
      }
      inventories.push({
        providerUuid: normalizeUuid(rp),
        inventories: records,
        expectedGeneration: intField(entry.resource_provider_generation, 'resource_provider_generation', 0, Number.MAX_SAFE_INTEGER),
      });
    }
    const writes: AllocationWrite[] = [];
    for (const [consumer, raw] of Object.entries(objectBody(body.allocations))) {
      if (!UUID.test(consumer)) throw invalid(`'${consumer}' does not match any of the regexes: '^[0-9a-fA-F-]{36}$' ('allocations')`);
      const entry = objectBody(raw);
      requireKeys(entry, ['allocations']);
      writes.push({ consumerUuid: normalizeUuid(consumer), allocations: dictAllocations(entry.allocations, true), ...consumerFields(request, entry, ['allocations']) });
    }
    raiseRefusal(await api.service.allocations.reshape(inventories, writes));
    return reply.code(204).send();
  });
}
