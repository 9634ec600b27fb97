/** `/v3/{project_id}/group_types` (3.11+): group types, the default one, and their group specs. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { errors } from '../errors.js';
import { parseBool } from './body.js';
import { beginFrom, type VolumeApi } from './context.js';
import { groupSpecItem, groupSpecsBody, groupTypeCreate, groupTypeUpdate } from './group-schemas.js';
import { groupTypeView } from './group-views.js';
import type { GroupType } from '../store/index.js';

type IdParams = { Params: { project_id: string; id: string } };
type KeyParams = { Params: { project_id: string; id: string; key: string } };
type Flag = boolean | string | undefined;
type Specs = Record<string, string>;
type CreateBody = { group_type: { name: string; description?: string | null; is_public?: Flag; group_specs?: Specs | null } };
type UpdateBody = { group_type: { name?: string | null; description?: string | null; is_public?: Flag } };

export function groupTypeRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { groupTypes } = api.ops;
  const base = '/v3/:project_id/group_types';
  const start = (request: FastifyRequest, reply: FastifyReply) => beginFrom(api, request, reply, '3.11');

  app.post(base, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupTypeCreate);
    const body = (request.body as CreateBody).group_type;
    const type = await groupTypes.create(call.ctx, {
      name: body.name,
      description: body.description ?? null,
      is_public: body.is_public === undefined ? true : parseBool(body.is_public, 'is_public'),
      group_specs: body.group_specs ?? {},
    });
    return reply.code(202).send({ group_type: groupTypeView(call, type) });
  });

  app.get(base, async (request, reply) => {
    const call = await start(request, reply);
    const text = querySingle(request.query as QueryInput, 'is_public');
    // As for volume types: absent means the public ones, "None" all of them.
    const isPublic = text === undefined ? true : text.toLowerCase() === 'none' ? null : parseBool(text, 'is_public');
    const types = sortTypes(await groupTypes.list(call.ctx, isPublic), request.query as QueryInput);
    return { group_types: types.map((t) => groupTypeView(call, t)) };
  });

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    const type = request.params.id === 'default' ? await groupTypes.defaultType() : await groupTypes.get(call.ctx, request.params.id);
    return { group_type: groupTypeView(call, type) };
  });

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupTypeUpdate);
    const body = (request.body as UpdateBody).group_type;
    const changes: { name?: string; description?: string | null; is_public?: boolean } = {};
    if (body.name !== undefined && body.name !== null) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.is_public !== undefined) changes.is_public = parseBool(body.is_public, 'is_public');
    return { group_type: groupTypeView(call, await groupTypes.update(call.ctx, request.params.id, changes)) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    await groupTypes.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  app.get<IdParams>(`${base}/:id/group_specs`, async (request, reply) => {
    const call = await start(request, reply);
    return { group_specs: await groupTypes.specs(call.ctx, request.params.id) };
  });

  app.post<IdParams>(`${base}/:id/group_specs`, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupSpecsBody);
    const specs = (request.body as { group_specs: Specs }).group_specs;
    await groupTypes.setSpecs(call.ctx, request.params.id, specs);
    return reply.code(202).send({ group_specs: specs });
  });

  app.get<KeyParams>(`${base}/:id/group_specs/:key`, async (request, reply) => {
    const call = await start(request, reply);
    return { [request.params.key]: await groupTypes.spec(call.ctx, request.params.id, request.params.key) };
  });

  app.put<KeyParams>(`${base}/:id/group_specs/:key`, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupSpecItem);
    const specs = request.body as Specs;
    if (!(request.params.key in specs)) throw errors.bodyUriMismatch();
    await groupTypes.setSpecs(call.ctx, request.params.id, specs);
    return specs;
  });

  app.delete<KeyParams>(`${base}/:id/group_specs/:key`, async (request, reply) => {
    const call = await start(request, reply);
    await groupTypes.deleteSpec(call.ctx, request.params.id, request.params.key);
    return reply.code(202).send();
  });
}

const SORT_KEYS = ['id', 'name', 'description', 'created_at', 'updated_at'] as const;
type SortKey = (typeof SORT_KEYS)[number];

/** Cinder's `sort=key:dir,...` (or `sort_key`/`sort_dir`); by default newest first, as its get_sort_params. */
function sortTypes(types: GroupType[], query: QueryInput): GroupType[] {
  const text = querySingle(query, 'sort') ?? `${querySingle(query, 'sort_key') ?? 'created_at'}:${querySingle(query, 'sort_dir') ?? 'desc'}`;
  const keys = text.split(',').map((part) => {
    const [key = '', dir = 'asc'] = part.trim().split(':');
    if (!(SORT_KEYS as readonly string[]).includes(key)) throw errors.invalidInput(`Invalid sort key: ${key}`);
    if (dir !== 'asc' && dir !== 'desc') throw errors.invalidInput(`Invalid sort direction: ${dir}`);
    return { key: key as SortKey, sign: dir === 'asc' ? 1 : -1 };
  });
  return [...types].sort((a, b) => {
    for (const { key, sign } of keys) {
      const [x, y] = [a[key] ?? '', b[key] ?? ''];
      if (x !== y) return x < y ? -sign : sign;
    }
    return 0;
  });
}
