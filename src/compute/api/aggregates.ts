/**
 * /os-aggregates: list, create (name, optional zone), show, update, delete
 * and the add_host / remove_host / set_metadata actions. Nova answers 200
 * (not 201/204) throughout, for compatibility; `uuid` shows from 2.41.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Aggregate } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { naiveTime } from './timestamps.js';
import * as v from './validate.js';

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

/** A zone name as Nova's schema takes it: 1-255 characters, no ':' (Nova's zone:host:node syntax). */
function zone(value: unknown): string | null {
  if (value === null) return null;
  const name = v.name(value, 'availability_zone');
  if (name.includes(':')) throw v.invalid('availability_zone', value, `'${name}' does not match '^[^:]*$'`);
  return name;
}

export function aggregateRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-aggregates`;

  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    return { aggregates: (await ops.aggregates.list(auth)).map((a) => aggregateView(a, version)) };
  });

  app.post(base, async (request) => {
    const auth = await api.authenticate(request);
    const input = v.envelope(request.body, 'aggregate');
    v.onlyKeys(input, ['name', 'availability_zone'], 'aggregate');
    if (!('name' in input)) throw v.invalid('aggregate', 'None', "'name' is a required property");
    const name = v.name(input.name);
    const created = await ops.aggregates.create(auth, name, input.availability_zone === undefined ? null : zone(input.availability_zone));
    // Nova's create answer leaves out hosts and metadata.
    return { aggregate: aggregateView(created, versionOf(request), { members: false }) };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { aggregate: aggregateView(await ops.aggregates.get(auth, request.params.id), versionOf(request)) };
  });

  app.put<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const input = v.envelope(request.body, 'aggregate');
    v.onlyKeys(input, ['name', 'availability_zone'], 'aggregate');
    if (Object.keys(input).length === 0) throw new BadRequest("Invalid input for field/attribute aggregate. Value: {}. {} does not have enough properties");
    const changes: { name?: string; zone?: string | null } = {};
    if (input.name !== undefined) changes.name = v.name(input.name);
    if (input.availability_zone !== undefined) changes.zone = zone(input.availability_zone);
    return { aggregate: aggregateView(await ops.aggregates.update(auth, request.params.id, changes), versionOf(request)) };
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.aggregates.delete(auth, request.params.id);
    return reply.code(200).send();
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/action`, async (request) => {
    const auth = await api.authenticate(request);
    const body = v.object(request.body, 'body');
    const actions = Object.keys(body);
    if (actions.length !== 1) throw new BadRequest('Invalid request body: exactly one action is expected.');
    const action = actions[0] as string;
    const version = versionOf(request);
    const { id } = request.params;
    if (action === 'add_host' || action === 'remove_host') {
      const input = v.object(body[action], action);
      v.onlyKeys(input, ['host'], action);
      const host = v.string(input.host, 'host', { min: 1, max: 255 });
      const aggregate = action === 'add_host' ? await ops.aggregates.addHost(auth, id, host) : await ops.aggregates.removeHost(auth, id, host);
      return { aggregate: aggregateView(aggregate, version) };
    }
    if (action === 'set_metadata') {
      const input = v.object(body.set_metadata, 'set_metadata');
      v.onlyKeys(input, ['metadata'], 'set_metadata');
      const metadata: Record<string, string | null> = {};
      for (const [key, value] of Object.entries(v.object(input.metadata, 'metadata'))) {
        if (key.length < 1 || key.length > 255) throw v.invalid('metadata', key, `'${key}' does not match any of the regexes`);
        if (value === null) metadata[key] = null;
        else metadata[key] = key === 'availability_zone' ? (zone(value) as string) : v.string(value, `metadata.${key}`, { max: 255 });
      }
      return { aggregate: aggregateView(await ops.aggregates.setMetadata(auth, id, metadata), version) };
    }
    throw new BadRequest(`There is no such action: ${action}`);
  });
}
