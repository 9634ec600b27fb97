/** `/v3/{project_id}/types`: volume types, extra specs, type access, the default type; and `/qos-specs`. */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import { entity, isObject, optBool, optString, parseBool, reqString, stringMap } from './body.js';
import { begin, type VolumeApi } from './context.js';
import { qosView, typeView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type KeyParams = { Params: { project_id: string; id: string; key: string } };

export function typeRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { types } = api.ops;
  const base = '/v3/:project_id/types';

  app.post(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = entity(request.body, 'volume_type');
    const isPublic = optBool(body, 'os-volume-type-access:is_public') ?? optBool(body, 'is_public') ?? true;
    const type = await types.create(call.ctx, {
      name: reqString(body, 'name'),
      description: optString(body, 'description') ?? null,
      is_public: isPublic,
      extra_specs: body.extra_specs === undefined ? {} : stringMap(body.extra_specs, 'extra_specs'),
    });
    return { volume_type: typeView(call, type) };
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

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = entity(request.body, 'volume_type');
    const changes: { name?: string; description?: string | null; is_public?: boolean } = {};
    const name = optString(body, 'name');
    if (name) changes.name = name;
    const description = optString(body, 'description');
    if (description !== undefined) changes.description = description;
    const isPublic = optBool(body, 'is_public');
    if (isPublic !== undefined) changes.is_public = isPublic;
    if (Object.keys(changes).length === 0) throw new BadRequest('Specify volume type name, description, is_public or a combination thereof.');
    return { volume_type: typeView(call, await types.update(call.ctx, request.params.id, changes)) };
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
  app.post<IdParams>(`${base}/:id/extra_specs`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = stringMap(isObject(request.body) ? request.body.extra_specs : undefined, 'extra_specs');
    return { extra_specs: await types.setExtraSpecs(call.ctx, request.params.id, specs) };
  });
  app.get<KeyParams>(`${base}/:id/extra_specs/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const value = (await types.extraSpecs(call.ctx, request.params.id))[request.params.key];
    if (value === undefined) throw notFound.extraSpec(request.params.id, request.params.key);
    return { [request.params.key]: value };
  });
  app.put<KeyParams>(`${base}/:id/extra_specs/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = stringMap(request.body, 'extra_specs');
    if (Object.keys(specs).length !== 1 || !(request.params.key in specs)) throw new BadRequest('Request body and URI mismatch');
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
    const body = isObject(request.body) ? request.body : {};
    if (isObject(body.addProjectAccess)) await types.addAccess(call.ctx, request.params.id, reqString(body.addProjectAccess, 'project'));
    else if (isObject(body.removeProjectAccess)) await types.removeAccess(call.ctx, request.params.id, reqString(body.removeProjectAccess, 'project'));
    else throw new BadRequest(`There is no such action: ${Object.keys(body)[0] ?? '(none)'}`);
    return reply.code(202).send();
  });
}

export function qosRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { qos } = api.ops;
  const base = '/v3/:project_id/qos-specs';

  app.post(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = entity(request.body, 'qos_specs');
    const { name, ...specs } = stringMap(body, 'qos_specs');
    if (!name) throw new BadRequest('Please specify a name for QoS specs.');
    return { qos_specs: qosView(api.root(), call.projectId, await qos.create(call.ctx, name, specs)) };
  });
  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { qos_specs: (await qos.list(call.ctx)).map((q) => qosView(api.root(), call.projectId, q)) };
  });
  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { qos_specs: qosView(api.root(), call.projectId, await qos.get(call.ctx, request.params.id)) };
  });
  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = stringMap(isObject(request.body) ? request.body.qos_specs : undefined, 'qos_specs');
    return { qos_specs: await qos.set(call.ctx, request.params.id, specs) };
  });
  app.put<IdParams>(`${base}/:id/delete_keys`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const keys = isObject(request.body) ? request.body.keys : undefined;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new BadRequest('Invalid input received: keys must be a list of strings.');
    await qos.unset(call.ctx, request.params.id, keys as string[]);
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
    if (!typeId) throw new BadRequest('Volume Type id must not be None.');
    await qos.associate(call.ctx, request.params.id, typeId);
    return reply.code(202).send();
  });
  app.get<IdParams>(`${base}/:id/disassociate`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const typeId = querySingle(request.query as QueryInput, 'vol_type_id');
    if (!typeId) throw new BadRequest('Volume Type id must not be None.');
    await qos.disassociate(call.ctx, request.params.id, typeId);
    return reply.code(202).send();
  });
  app.get<IdParams>(`${base}/:id/disassociate_all`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await qos.disassociate(call.ctx, request.params.id, null);
    return reply.code(202).send();
  });
}
