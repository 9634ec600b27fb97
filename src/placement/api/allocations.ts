/**
 * Allocations: /allocations/{consumer} (GET, PUT in the 1.0 list and 1.12
 * dict formats, DELETE), POST /allocations (1.13, several consumers at once),
 * a provider's allocations and usages, and the project usages of /usages (1.9;
 * per consumer type from 1.38).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { placementErrors } from '../errors.js';
import type { ResourceAmounts } from '../operations.js';
import type { AllocationWrite, WriteOutcome } from '../service/placement.js';
import { atLeast, cacheHeaders, guard, jsonBody, normalizeUuid, onlyParams, queryOf, requireVersion, single, UUID } from './common.js';
import type { PlacementApi } from './index.js';
import { paramUuid } from './providers.js';
import { allocationsPost, allocationsPut } from './schemas.js';

/** Placement's `incomplete_consumer_project_id`/`user_id`, for writes before 1.8 named no owner. */
const INCOMPLETE_CONSUMER = '00000000-0000-0000-0000-000000000000';
const CONSUMER_TYPE = /^[A-Z0-9_]+$/;

/** One consumer's write as the schemas of its microversion admit it (api/schemas.ts). */
export interface ConsumerBody {
  /** `{rp: {resources, generation?}}` from 1.12; a list of `{resource_provider: {uuid}, resources}` before. */
  allocations: Record<string, { resources: ResourceAmounts }> | Array<{ resource_provider: { uuid: string }; resources: ResourceAmounts }>;
  project_id?: string;
  user_id?: string;
  consumer_generation?: number | null;
  consumer_type?: string;
}

function consumerParam(request: FastifyRequest): string {
  const raw = (request.params as { consumer: string }).consumer;
  if (!UUID.test(raw)) throw placementErrors.malformedConsumer(raw);
  return normalizeUuid(raw);
}

/** Provider -> amounts; the 1.0 list may name a provider twice, its amounts then add up as one entry. */
function amountsByProvider(allocations: ConsumerBody['allocations']): Record<string, ResourceAmounts> {
  const out: Record<string, ResourceAmounts> = {};
  if (Array.isArray(allocations)) {
    for (const { resource_provider, resources } of allocations) {
      const uuid = normalizeUuid(resource_provider.uuid);
      out[uuid] = { ...(out[uuid] ?? {}), ...resources };
    }
  } else {
    for (const [rp, entry] of Object.entries(allocations)) out[normalizeUuid(rp)] = entry.resources;
  }
  return out;
}

/** The write a consumer's body asks for: owners from 1.8, the generation check from 1.28, the type from 1.38. */
export function consumerWrite(consumerUuid: string, body: ConsumerBody): AllocationWrite {
  return {
    consumerUuid,
    allocations: amountsByProvider(body.allocations),
    projectId: body.project_id ?? INCOMPLETE_CONSUMER,
    userId: body.user_id ?? INCOMPLETE_CONSUMER,
    ...(body.consumer_generation !== undefined && { expectedGeneration: body.consumer_generation }),
    ...(body.consumer_type !== undefined && { consumerType: body.consumer_type }),
  };
}

/** A refused write as Placement answers it: capacity 409, unit constraints 400. */
export function raiseRefusal(outcome: WriteOutcome): void {
  if (outcome.ok) return;
  if (outcome.reason === 'constraints') throw placementErrors.allocationConstraints(outcome.message);
  const message = outcome.message.startsWith('Unable to allocate') ? outcome.message : `Unable to allocate inventory: ${outcome.message}`;
  throw placementErrors.allocationConflict(message);
}

export function allocationRoutes(app: FastifyInstance, api: PlacementApi): void {
  app.get('/allocations/:consumer', async (request, reply) => {
    await guard(api, request, 'allocations:list');
    const described = await api.service.allocations.describeAllocations(consumerParam(request));
    const body: Record<string, unknown> = { allocations: described.allocations };
    if (atLeast(request, '1.12') && described.projectId !== null) {
      body.project_id = described.projectId;
      body.user_id = described.userId;
    }
    if (atLeast(request, '1.28') && described.consumerGeneration !== null) body.consumer_generation = described.consumerGeneration;
    if (atLeast(request, '1.38') && described.consumerGeneration !== null) body.consumer_type = described.consumerType ?? 'unknown';
    cacheHeaders(request, reply);
    return body;
  });

  app.put('/allocations/:consumer', async (request, reply) => {
    await guard(api, request, 'allocations:update');
    const consumerUuid = consumerParam(request);
    const body = jsonBody<ConsumerBody>(request, allocationsPut);
    raiseRefusal(await api.service.allocations.writeAllocations([consumerWrite(consumerUuid, body)]));
    return reply.code(204).send();
  });

  app.post('/allocations', async (request, reply) => {
    requireVersion(request, '1.13');
    await guard(api, request, 'allocations:manage');
    const body = jsonBody<Record<string, ConsumerBody>>(request, allocationsPost);
    const writes = Object.entries(body).map(([consumer, entry]) => consumerWrite(normalizeUuid(consumer), entry));
    raiseRefusal(await api.service.allocations.writeAllocations(writes));
    return reply.code(204).send();
  });

  app.delete('/allocations/:consumer', async (request, reply) => {
    await guard(api, request, 'allocations:delete');
    const consumerUuid = consumerParam(request);
    const current = await api.service.getAllocations(consumerUuid);
    if (Object.keys(current).length === 0) throw placementErrors.noAllocations(consumerUuid);
    await api.service.deleteAllocations(consumerUuid);
    return reply.code(204).send();
  });

  app.get('/resource_providers/:uuid/allocations', async (request, reply) => {
    await guard(api, request, 'resource_providers:allocations:list');
    const result = await api.service.allocations.providerAllocations(paramUuid(request));
    cacheHeaders(request, reply);
    return {
      allocations: Object.fromEntries(Object.entries(result.allocations).map(([consumer, resources]) => [consumer, { resources }])),
      resource_provider_generation: result.generation,
    };
  });

  app.get('/resource_providers/:uuid/usages', async (request, reply) => {
    await guard(api, request, 'resource_providers:usages');
    const result = await api.service.usage.providerUsages(paramUuid(request));
    cacheHeaders(request, reply);
    return { resource_provider_generation: result.generation, usages: result.usages };
  });

  app.get('/usages', async (request, reply) => {
    requireVersion(request, '1.9');
    await guard(api, request, 'usages');
    const query = queryOf(request);
    onlyParams(query, atLeast(request, '1.38') ? ['project_id', 'user_id', 'consumer_type'] : ['project_id', 'user_id']);
    const projectId = single(query, 'project_id');
    if (!projectId) throw placementErrors.invalidQuery("'project_id' is a required property");
    const userId = single(query, 'user_id');
    cacheHeaders(request, reply);
    if (!atLeast(request, '1.38')) return { usages: await api.service.usages(projectId, userId) };
    const consumerType = single(query, 'consumer_type');
    if (consumerType !== undefined && consumerType !== 'all' && consumerType !== 'unknown' && !CONSUMER_TYPE.test(consumerType)) {
      throw placementErrors.invalidQuery(`'${consumerType}' does not match '^[A-Z0-9_]+$'`);
    }
    if (consumerType === 'all') {
      const byType = await api.service.usage.usagesByConsumerType(projectId, userId);
      const all: Record<string, number> = { consumer_count: 0 };
      for (const entry of Object.values(byType)) {
        all.consumer_count = (all.consumer_count ?? 0) + entry.consumerCount;
        for (const [rc, amount] of Object.entries(entry.usages)) all[rc] = (all[rc] ?? 0) + amount;
      }
      return { usages: { all } };
    }
    const byType = await api.service.usage.usagesByConsumerType(projectId, userId, consumerType);
    return {
      usages: Object.fromEntries(Object.entries(byType).map(([type, entry]) => [type, { consumer_count: entry.consumerCount, ...entry.usages }])),
    };
  });
}
