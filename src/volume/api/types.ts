/** `/v3/{project_id}/types`: volume types, extra specs, type access, the default type; and `/qos-specs`. */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { errors, notFound } from '../errors.js';
import { parseBool } from './body.js';
import { begin, type VolumeApi } from './context.js';
import { extraSpecItemBody, extraSpecsBody, qosCreate, qosDeleteKeys, qosUpdate, typeActions, typeCreate, typeUpdate } from './schemas.js';
import { qosDetail, qosView, typeView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type KeyParams = { Params: { project_id: string; id: string; key: string } };
type Flag = boolean | string | undefined;
type Specs = Record<string, string>;
type TypeCreateBody = {
  Body: { volume_type: { name: string; description?: string | null; is_public?: Flag; 'os-volume-type-access:is_public'?: Flag; extra_specs?: Specs } };
};
type TypeUpdateBody = IdParams & { Body: { volume_type: { name?: string | null; description?: string | null; is_public?: Flag } } };

const flag = (value: Flag, key: string) => (value === undefined ? undefined : parseBool(value, key));

export function typeRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { types } = api.ops;
  const base = '/v3/:project_id/types';

  app.post<TypeCreateBody>(base, { schema: { body: typeCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body.volume_type;
    const isPublic = flag(body['os-volume-type-access:is_public'], 'os-volume-type-access:is_public') ?? flag(body.is_public, 'is_public') ?? true;
    const type = await types.create(call.ctx, {
      name: body.name,
      description: body.description ?? null,
      is_public: isPublic,
      extra_specs: body.extra_specs ?? {},
    });
    return { volume_type: typeView(call, type, 'create') };
  });

  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const text = querySingle(request.query as QueryInput, 'is_public');
    // Cinder: absent means public only for everyone; "None" means all (admins see private ones then).
    const isPublic = text === undefined ? true : text.toLowerCase() === 'none' ? null : parseBool(text, 'is_public');
    return { volume_types: (await types.list(call.ctx, isPublic)).map((t) => typeView(call, t)) };
  });

  app.get(`${base}/default`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { volume_type: typeView(call, await types.defaultType()) };
  });

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { volume_type: typeView(call, await types.get(call.ctx, request.params.id)) };
  });

  app.put<TypeUpdateBody>(`${base}/:id`, { schema: { body: typeUpdate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body.volume_type;
    const changes: { name?: string; description?: string | null; is_public?: boolean } = {};
    if (body.name) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    const isPublic = flag(body.is_public, 'is_public');
    if (isPublic !== undefined) changes.is_public = isPublic;
    if (Object.keys(changes).length === 0) throw errors.typeUpdateEmpty();
    return { volume_type: typeView(call, await types.update(call.ctx, request.params.id, changes), 'update') };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await types.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  // ---- extra specs -------------------------------------------------------
  app.get<IdParams>(`${base}/:id/extra_specs`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { extra_specs: await types.extraSpecs(call.ctx, request.params.id) };
  });
  app.post<IdParams & { Body: { extra_specs: Specs } }>(`${base}/:id/extra_specs`, { schema: { body: extraSpecsBody } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    await types.setExtraSpecs(call.ctx, request.params.id, request.body.extra_specs);
    // Cinder answers with the specs it was given, not the type's merged set.
    return { extra_specs: request.body.extra_specs };
  });
  app.get<KeyParams>(`${base}/:id/extra_specs/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const value = (await types.extraSpecs(call.ctx, request.params.id))[request.params.key];
    if (value === undefined) throw notFound.extraSpec(request.params.id, request.params.key);
    return { [request.params.key]: value };
  });
  app.put<KeyParams & { Body: Specs }>(`${base}/:id/extra_specs/:key`, { schema: { body: extraSpecItemBody } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = request.body;
    if (Object.keys(specs).length !== 1 || !(request.params.key in specs)) throw errors.bodyUriMismatch();
    await types.setExtraSpecs(call.ctx, request.params.id, specs);
    return specs;
  });
  app.delete<KeyParams>(`${base}/:id/extra_specs/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await types.deleteExtraSpec(call.ctx, request.params.id, request.params.key);
    return reply.code(202).send();
  });

  // ---- type access -------------------------------------------------------
  app.get<IdParams>(`${base}/:id/os-volume-type-access`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const projects = await types.access(call.ctx, request.params.id);
    return { volume_type_access: projects.map((p) => ({ volume_type_id: request.params.id, project_id: p })) };
  });
  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, { project: string }>;
    const name = Object.keys(body)[0] ?? '(none)';
    const schema = typeActions[name];
    if (!schema) throw errors.noSuchAction(name);
    validateBody(request, schema);
    const project = (body[name] as { project: string }).project;
    if (name === 'addProjectAccess') await types.addAccess(call.ctx, request.params.id, project);
    else await types.removeAccess(call.ctx, request.params.id, project);
    return reply.code(202).send();
  });
}

export function qosRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { qos } = api.ops;
  const base = '/v3/:project_id/qos-specs';

  app.post<{ Body: { qos_specs: Specs } }>(base, { schema: { body: qosCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const { name, ...specs } = request.body.qos_specs;
    if (!name) throw errors.qosNameMissing();
    return qosDetail(api.root(), call.projectId, await qos.create(call.ctx, name, specs));
  });
  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { qos_specs: (await qos.list(call.ctx)).map(qosView) };
  });
  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return qosDetail(api.root(), call.projectId, await qos.get(call.ctx, request.params.id));
  });
  app.put<IdParams & { Body: { qos_specs: Specs } }>(`${base}/:id`, { schema: { body: qosUpdate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { qos_specs: await qos.set(call.ctx, request.params.id, request.body.qos_specs) };
  });
  app.put<IdParams & { Body: { keys: string[] } }>(`${base}/:id/delete_keys`, { schema: { body: qosDeleteKeys } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    await qos.unset(call.ctx, request.params.id, request.body.keys);
    return reply.code(202).send();
  });
  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const force = querySingle(request.query as QueryInput, 'force');
    await qos.delete(call.ctx, request.params.id, force !== undefined && parseBool(force, 'force'));
    return reply.code(202).send();
  });
  app.get<IdParams>(`${base}/:id/associations`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const types = await qos.associations(call.ctx, request.params.id);
    return { qos_associations: types.map((t) => ({ association_type: 'volume_type', name: t.name, id: t.id })) };
  });
  app.get<IdParams>(`${base}/:id/associate`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const typeId = querySingle(request.query as QueryInput, 'vol_type_id');
    if (!typeId) throw errors.volumeTypeIdMissing();
    await qos.associate(call.ctx, request.params.id, typeId);
    return reply.code(202).send();
  });
  app.get<IdParams>(`${base}/:id/disassociate`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const typeId = querySingle(request.query as QueryInput, 'vol_type_id');
    if (!typeId) throw errors.volumeTypeIdMissing();
    await qos.disassociate(call.ctx, request.params.id, typeId);
    return reply.code(202).send();
  });
  app.get<IdParams>(`${base}/:id/disassociate_all`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await qos.disassociate(call.ctx, request.params.id, null);
    return reply.code(202).send();
  });
}
