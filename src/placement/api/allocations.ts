/**
 * Allocations: /allocations/{consumer} (GET, PUT in the 1.0 list and 1.12
 * dict formats, DELETE), POST /allocations (1.13, several consumers at once),
 * a provider's allocations and usages, and the project usages of /usages (1.9;
 * per consumer type from 1.38).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, Conflict, NotFound } from '../../core/errors.js';
import type { ResourceAmounts } from '../operations.js';
import type { AllocationWrite, WriteOutcome } from '../service/placement.js';
import {
  atLeast,
  cacheHeaders,
  guard,
  intField,
  invalid,
  normalizeUuid,
  objectBody,
  onlyKeys,
  onlyParams,
  queryOf,
  requireKeys,
  requireVersion,
  resourcesField,
  single,
  stringField,
  uuidField,
  UUID,
  type Json,
} from './common.js';
import type { PlacementApi } from './index.js';
import { paramUuid } from './providers.js';

/** Placement's `incomplete_consumer_project_id`/`user_id`, for writes before 1.8 named no owner. */
const INCOMPLETE_CONSUMER = '00000000-0000-0000-0000-000000000000';
const CONSUMER_TYPE = /^[A-Z0-9_]+$/;

function consumerParam(request: FastifyRequest): string {
  const raw = (request.params as { consumer: string }).consumer;
  if (!UUID.test(raw)) throw new BadRequest(`Malformed consumer_uuid: ${raw}`);
  return normalizeUuid(raw);
}

/** `{rp: {resources: {...}, generation?}}` (1.12+). */
export function dictAllocations(value: unknown, allowEmpty: boolean): Record<string, ResourceAmounts> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${JSON.stringify(value)} is not of type 'object' ('allocations')`);
  const entries = Object.entries(value as Json);
  if (entries.length === 0 && !allowEmpty) throw invalid(`{} does not have enough properties ('allocations')`);
  const out: Record<string, ResourceAmounts> = {};
  for (const [rp, entry] of entries) {
    if (!UUID.test(rp)) throw invalid(`'${rp}' does not match any of the regexes: '^[0-9a-fA-F-]{36}$' ('allocations')`);
    const body = objectBody(entry);
    onlyKeys(body, ['resources', 'generation'], ` in allocations.${rp}`);
    requireKeys(body, ['resources']);
    out[normalizeUuid(rp)] = resourcesField(body.resources, `allocations.${rp}.resources`, 1);
  }
  return out;
}

/** `[{resource_provider: {uuid}, resources: {...}}]` (1.0 - 1.11). */
function listAllocations(value: unknown): Record<string, ResourceAmounts> {
  if (!Array.isArray(value)) throw invalid(`${JSON.stringify(value)} is not of type 'array' ('allocations')`);
  if (value.length === 0) throw invalid(`[] is too short ('allocations')`);
  const out: Record<string, ResourceAmounts> = {};
  for (const item of value) {
    const body = objectBody(item);
    onlyKeys(body, ['resource_provider', 'resources'], ' in allocations');
    requireKeys(body, ['resource_provider', 'resources']);
    const provider = objectBody(body.resource_provider);
    onlyKeys(provider, ['uuid'], ' in resource_provider');
    requireKeys(provider, ['uuid']);
    const uuid = uuidField(provider.uuid, 'resource_provider.uuid');
    out[uuid] = { ...(out[uuid] ?? {}), ...resourcesField(body.resources, 'resources', 1) };
  }
  return out;
}

/** The owner, generation and type fields a consumer's write carries at this microversion. */
export function consumerFields(request: FastifyRequest, body: Json, allowed: string[]): Omit<AllocationWrite, 'consumerUuid' | 'allocations'> {
  const write: Omit<AllocationWrite, 'consumerUuid' | 'allocations'> = {};
  if (atLeast(request, '1.8')) {
    allowed.push('project_id', 'user_id');
    requireKeys(body, ['project_id', 'user_id']);
  }
  if (atLeast(request, '1.28')) {
    allowed.push('consumer_generation');
    requireKeys(body, ['consumer_generation']);
    write.expectedGeneration = body.consumer_generation === null ? null : intField(body.consumer_generation, 'consumer_generation', 0, Number.MAX_SAFE_INTEGER);
  }
  if (atLeast(request, '1.38')) {
    allowed.push('consumer_type');
    requireKeys(body, ['consumer_type']);
    write.consumerType = stringField(body.consumer_type, 'consumer_type', { maxLength: 255, pattern: CONSUMER_TYPE });
  }
  onlyKeys(body, allowed);
  write.projectId = body.project_id === undefined ? INCOMPLETE_CONSUMER : stringField(body.project_id, 'project_id', { maxLength: 255 });
  write.userId = body.user_id === undefined ? INCOMPLETE_CONSUMER : stringField(body.user_id, 'user_id', { maxLength: 255 });
  return write;
}

/** A refused write as Placement answers it: capacity 409, unit constraints 400. */
export function raiseRefusal(outcome: WriteOutcome): void {
  if (outcome.ok) return;
  if (outcome.reason === 'constraints') throw new BadRequest(outcome.message);
  const message = outcome.message.startsWith('Unable to allocate') ? outcome.message : `Unable to allocate inventory: ${outcome.message}`;
  throw new Conflict(message);
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
    const body = objectBody(request.body);
    requireKeys(body, ['allocations']);
    const allocations = atLeast(request, '1.12') ? dictAllocations(body.allocations, atLeast(request, '1.28')) : listAllocations(body.allocations);
    const fields = consumerFields(request, body, ['allocations']);
    raiseRefusal(await api.service.allocations.writeAllocations([{ consumerUuid, allocations, ...fields }]));
    return reply.code(204).send();
  });

  app.post('/allocations', async (request, reply) => {
    requireVersion(request, '1.13');
    await guard(api, request, 'allocations:manage');
    const body = objectBody(request.body);
    const entries = Object.entries(body);
    if (entries.length === 0) throw invalid(`{} does not have enough properties`);
    const writes: AllocationWrite[] = [];
    for (const [consumer, raw] of entries) {
      if (!UUID.test(consumer)) throw invalid(`'${consumer}' does not match any of the regexes: '^[0-9a-fA-F-]{36}$'`);
      const entry = objectBody(raw);
      requireKeys(entry, ['allocations']);
      const allocations = dictAllocations(entry.allocations, true);
      writes.push({ consumerUuid: normalizeUuid(consumer), allocations, ...consumerFields(request, entry, ['allocations']) });
    }
    raiseRefusal(await api.service.allocations.writeAllocations(writes));
    return reply.code(204).send();
  });

  app.delete('/allocations/:consumer', async (request, reply) => {
    await guard(api, request, 'allocations:delete');
    const consumerUuid = consumerParam(request);
    const current = await api.service.getAllocations(consumerUuid);
    if (Object.keys(current).length === 0) throw new NotFound(`No allocations for consumer '${consumerUuid}'`);
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
    if (!projectId) throw new BadRequest("Invalid query string parameters: 'project_id' is a required property");
    const userId = single(query, 'user_id');
    cacheHeaders(request, reply);
    if (!atLeast(request, '1.38')) return { usages: await api.service.usages(projectId, userId) };
    const consumerType = single(query, 'consumer_type');
    if (consumerType !== undefined && consumerType !== 'all' && consumerType !== 'unknown' && !CONSUMER_TYPE.test(consumerType)) {
      throw new BadRequest(`Invalid query string parameters: '${consumerType}' does not match '^[A-Z0-9_]+$'`);
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
