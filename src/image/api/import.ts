/**
 * Interoperable import and discovery: `POST /v2/images/{id}/import`,
 * `/v2/info/{import,stores,stores/detail,usage}`, the import tasks of an
 * image (`/v2/images/{id}/tasks`, API 2.12) and the admin-only tasks API.
 */
import type { FastifyInstance } from 'fastify';
import type { ImportRequest } from '../service/index.js';
import { isObject, requireBody } from './body.js';
import type { IdParams, ImageApi } from './context.js';
import { taskStubView, taskView } from './views.js';
import { imageErrors } from '../errors.js';

export function importRoutes(app: FastifyInstance, api: ImageApi): void {
  const { imports } = api.ops;

  app.post<IdParams>('/v2/images/:id/import', async (request, reply) => {
    const ctx = await api.context(request);
    await imports.start(ctx, request.params.id, parseImport(requireBody(request.body), imports.methods()));
    return reply.code(202).send();
  });

  app.get('/v2/info/import', async (request) => {
    await api.context(request);
    return { 'import-methods': { description: 'Import methods available.', type: 'array', value: imports.methods() } };
  });

  app.get('/v2/info/stores', async (request) => {
    await api.context(request);
    return {
      stores: imports.stores().map((s) => ({ id: s.id, description: s.description, ...(s.default && { default: 'true' }) })),
    };
  });

  app.get('/v2/info/stores/detail', async (request) => {
    const ctx = await api.context(request);
    return {
      stores: imports.storesDetail(ctx).map((s) => ({
        id: s.id,
        description: s.description,
        ...(s.default && { default: 'true' }),
        type: s.type,
        properties: s.properties,
        weight: 0,
      })),
    };
  });

  app.get('/v2/info/usage', async (request) => {
    const ctx = await api.context(request);
    return { usage: await api.ops.images.usage(ctx) };
  });

  app.get<IdParams>('/v2/images/:id/tasks', async (request) => {
    const ctx = await api.context(request);
    return { tasks: (await imports.tasksOf(ctx, request.params.id)).map(taskView) };
  });

  app.get('/v2/tasks', async (request) => {
    const ctx = await api.context(request);
    const tasks = await imports.listTasks(ctx, api.options.limitParamDefault);
    return { tasks: tasks.map(taskStubView), first: '/v2/tasks', schema: '/v2/schemas/tasks' };
  });

  app.get<IdParams>('/v2/tasks/:id', async (request) => {
    const ctx = await api.context(request);
    const task = await imports.getTask(ctx, request.params.id);
    if (!task) throw imageErrors.taskNotFound(request.params.id);
    return taskView(task);
  });

  app.post('/v2/tasks', async (request) => {
    imports.createTask(await api.context(request));
  });
}

/** Glance's `_validate_import_body`. */
function parseImport(body: unknown, methods: readonly string[]): ImportRequest {
  if (!isObject(body) || !('method' in body)) throw imageErrors.importFieldRequired('method');
  const method = body.method;
  if (!isObject(method) || !('name' in method)) throw imageErrors.importFieldRequired('name');
  if (typeof method.name !== 'string' || !methods.includes(method.name)) {
    throw imageErrors.unknownImportMethod(String(method.name));
  }
  const mustSucceed = body.all_stores_must_succeed ?? true;
  if (typeof mustSucceed !== 'boolean') throw imageErrors.booleanOnly('all_stores_must_succeed');
  const allStores = body.all_stores ?? false;
  if (typeof allStores !== 'boolean') throw imageErrors.booleanOnly('all_stores');
  const stores = body.stores;
  if (stores !== undefined && (!Array.isArray(stores) || !stores.every((s) => typeof s === 'string'))) {
    throw imageErrors.storesNotList();
  }
  return {
    method: { ...method, name: method.name },
    ...(stores !== undefined && { stores: stores as string[] }),
    all_stores: allStores,
    all_stores_must_succeed: mustSucceed,
  };
}
