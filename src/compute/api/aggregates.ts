/**
 * /os-aggregates: list, create (name, optional zone), show, update, delete
 * and the add_host / remove_host / set_metadata actions. Nova answers 200
 * (not 201/204) throughout, for compatibility; `uuid` shows from 2.41.
 * From 2.81, POST /os-aggregates/{id}/images asks its hosts to cache images (202).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { Aggregate } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { naiveTime } from './timestamps.js';
import { checkName, withBody } from './schema.js';
import { aggregateAction, aggregateImages, createAggregate, updateAggregate } from './schemas/aggregates.js';

interface AggregateFields {
  name?: string;
  availability_zone?: string | null;
}

type ActionBody = { add_host?: { host: string }; remove_host?: { host: string }; set_metadata?: { metadata: Record<string, string | null> } };

function aggregateView(aggregate: Aggregate, version: Microversion, options: { members?: boolean } = {}) {
  return {
    id: aggregate.id,
    name: aggregate.name,
    availability_zone: aggregate.metadata.availability_zone ?? null,
    ...(options.members !== false && { hosts: aggregate.hosts, metadata: aggregate.metadata }),
    created_at: naiveTime(aggregate.createdAt),
    updated_at: naiveTime(aggregate.updatedAt),
    deleted: false,
    deleted_at: null,
    ...(atLeast(version, '2.41') && { uuid: aggregate.uuid }),
  };
}

/** A zone name as Nova's `az_name` takes it (the schema checked length and ':'). */
function zone(value: string | null): string | null {
  return value === null ? null : checkName(value, 'availability_zone');
}

export function aggregateRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-aggregates`;

  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    return { aggregates: (await ops.aggregates.list(auth)).map((a) => aggregateView(a, version)) };
  });

  app.post<{ Body: { aggregate: Required<Pick<AggregateFields, 'name'>> & AggregateFields } }>(base, withBody(api, createAggregate), async (request) => {
    const auth = await api.authenticate(request);
    const input = request.body.aggregate;
    const created = await ops.aggregates.create(auth, checkName(input.name), zone(input.availability_zone ?? null));
    // Nova's create answer leaves out hosts and metadata.
    return { aggregate: aggregateView(created, versionOf(request), { members: false }) };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { aggregate: aggregateView(await ops.aggregates.get(auth, request.params.id), versionOf(request)) };
  });

  app.put<{ Params: { id: string }; Body: { aggregate: AggregateFields } }>(`${base}/:id`, withBody(api, updateAggregate), async (request) => {
    const auth = await api.authenticate(request);
    const input = request.body.aggregate;
    const changes: { name?: string; zone?: string | null } = {};
    if (input.name !== undefined) changes.name = checkName(input.name);
    if (input.availability_zone !== undefined) changes.zone = zone(input.availability_zone);
    return { aggregate: aggregateView(await ops.aggregates.update(auth, request.params.id, changes), versionOf(request)) };
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.aggregates.delete(auth, request.params.id);
    return reply.code(200).send();
  });

  app.post<{ Params: { id: string }; Body: ActionBody }>(`${base}/:id/action`, withBody(api, aggregateAction), async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body;
    const actions = Object.keys(body);
    if (actions.length !== 1) throw requestErrors.oneActionExpected();
    const version = versionOf(request);
    const { id } = request.params;
    if (body.add_host) return { aggregate: aggregateView(await ops.aggregates.addHost(auth, id, body.add_host.host), version) };
    if (body.remove_host) return { aggregate: aggregateView(await ops.aggregates.removeHost(auth, id, body.remove_host.host), version) };
    if (body.set_metadata) {
      const metadata = { ...body.set_metadata.metadata };
      // The zone as a metadata value: the checks the create and update schemas make on it.
      const zoneValue = metadata.availability_zone;
      if (typeof zoneValue === 'string') {
        if (zoneValue === '') throw requestErrors.invalidField('availability_zone', zoneValue, "'' is too short");
        if (zoneValue.includes(':')) throw requestErrors.invalidField('availability_zone', zoneValue, `'${zoneValue}' does not match '^[^:]*$'`);
        checkName(zoneValue, 'availability_zone');
      }
      return { aggregate: aggregateView(await ops.aggregates.setMetadata(auth, id, metadata), version) };
    }
    throw requestErrors.noSuchAction(String(actions[0]));
  });

  const imagesRoute = {
    onRequest: async (request: FastifyRequest) => {
      if (!atLeast(versionOf(request), '2.81')) throw requestErrors.resourceNotFound();
    },
    ...withBody(api, aggregateImages),
  };
  app.post<{ Params: { id: string }; Body: { cache: { id: string }[] } }>(`${base}/:id/images`, imagesRoute, async (request, reply) => {
    const auth = await api.authenticate(request);
    const ids = request.body.cache.map((image) => image.id);
    await ops.aggregates.cacheImages(auth, request.params.id, ids);
    return reply.code(202).send();
  });
}
