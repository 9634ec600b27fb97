/**
 * The five routes every Neutron collection has — create (one or bulk), list,
 * show, update, delete — plus the tags sub-resource, for one resource kind.
 */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { errors } from '../errors.js';
import type { QueryInput } from '../../core/pagination/index.js';
import type { AttrMap } from '../service/attributes.js';
import { createEnvelope, updateEnvelope } from '../service/body-schemas.js';
import type { NeutronObject } from '../service/objects.js';
import type { ResourceKind } from '../store/index.js';
import { ifMatch, requestUrl, type NetworkApi } from './context.js';
import { listObjects, pick, selectedFields } from './listing.js';

export interface CrudOps {
  create(auth: CallerContext, body: unknown): Promise<NeutronObject>;
  /** Native bulk create: all in one transaction (ports). Without it, bulk is emulated with undo. */
  createMany?(auth: CallerContext, bodies: unknown[]): Promise<NeutronObject[]>;
  get(auth: CallerContext, id: string): Promise<NeutronObject>;
  list(auth: CallerContext): Promise<NeutronObject[]>;
  update?(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject>;
  delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void>;
}

export interface Collection {
  /** URL and list key, e.g. `networks`, `security-groups` in the URL. */
  path: string;
  collection: string;
  singular: string;
  kind?: ResourceKind;
  /** Neutron's attribute map of the resource: its bodies' JSON schema at the routes. */
  attributes: AttrMap;
  ops: CrudOps;
}

type IdParams = { Params: { id: string } };

/**
 * Bounds the work one bulk request can ask for before any of it is done
 * (Neutron has no such limit, only its quotas; no quota default exceeds 500).
 */
const MAX_BULK = 1000;

/**
 * All or nothing, as Neutron: natively in one transaction where the
 * operations offer it, otherwise (Neutron's emulated bulk) one by one,
 * deleting the ones made so far, newest first, when one fails.
 */
async function bulkCreate(ops: CrudOps, auth: CallerContext, items: unknown[]): Promise<NeutronObject[]> {
  if (items.length > MAX_BULK) throw errors.bulkTooLarge(MAX_BULK, items.length);
  if (ops.createMany) return ops.createMany(auth, items);
  const created: NeutronObject[] = [];
  try {
    for (const item of items) created.push(await ops.create(auth, item));
    return created;
  } catch (error) {
    for (const made of created.reverse()) await ops.delete(auth, made.id);
    throw error;
  }
}
type TagParams = { Params: { id: string; tag: string } };

export function crudRoutes(app: FastifyInstance, api: NetworkApi, c: Collection): void {
  const base = `/v2.0/${c.path}`;

  app.post(base, { schema: { body: createEnvelope(c.singular, c.attributes, c.collection) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as Record<string, unknown>;
    const many = body[c.collection];
    if (Array.isArray(many)) return reply.code(201).send({ [c.collection]: await bulkCreate(c.ops, auth, many) });
    return reply.code(201).send({ [c.singular]: await c.ops.create(auth, body[c.singular]) });
  });

  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    const { items, links } = listObjects(await c.ops.list(auth), request.query as QueryInput, requestUrl(api, request));
    return links.length > 0 ? { [c.collection]: items, [`${c.collection}_links`]: links } : { [c.collection]: items };
  });

  app.get<IdParams>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { [c.singular]: pick(await c.ops.get(auth, request.params.id), selectedFields(request.query as QueryInput)) };
  });

  if (c.ops.update) {
    const update = c.ops.update.bind(c.ops);
    app.put<IdParams>(`${base}/:id`, { schema: { body: updateEnvelope(c.singular, c.attributes) } }, async (request) => {
      const auth = await api.authenticate(request);
      const body = request.body as Record<string, unknown>;
      return { [c.singular]: await update(auth, request.params.id, body[c.singular], ifMatch(request)) };
    });
  }

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await c.ops.delete(auth, request.params.id, ifMatch(request));
    return reply.code(204).send();
  });

  const kind = c.kind;
  if (!kind) return;
  const tags = api.ops.tags;
  app.get<IdParams>(`${base}/:id/tags`, async (request) => ({ tags: await tags.get(await api.authenticate(request), kind, request.params.id) }));
  app.put<IdParams>(`${base}/:id/tags`, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { tags?: unknown } | undefined;
    return { tags: await tags.replace(auth, kind, request.params.id, body?.tags) };
  });
  app.delete<IdParams>(`${base}/:id/tags`, async (request, reply) => {
    await tags.clear(await api.authenticate(request), kind, request.params.id);
    return reply.code(204).send();
  });
  app.get<TagParams>(`${base}/:id/tags/:tag`, async (request, reply) => {
    await tags.has(await api.authenticate(request), kind, request.params.id, request.params.tag);
    return reply.code(204).send();
  });
  app.put<TagParams>(`${base}/:id/tags/:tag`, async (request, reply) => {
    await tags.add(await api.authenticate(request), kind, request.params.id, request.params.tag);
    return reply.code(201).send();
  });
  app.delete<TagParams>(`${base}/:id/tags/:tag`, async (request, reply) => {
    await tags.remove(await api.authenticate(request), kind, request.params.id, request.params.tag);
    return reply.code(204).send();
  });
}
