/** `/v2.0/quotas`: list, show, defaults, details, update, reset. */
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { NetworkApi } from './context.js';

type ProjectParams = { Params: { project: string } };

export function quotaRoutes(app: FastifyInstance, api: NetworkApi): void {
  const quotas = api.ops.quotas;
  app.get('/v2.0/quotas', async (request) => ({ quotas: await quotas.list(await api.authenticate(request)) }));
  app.get('/v2.0/quotas/tenant', async (request) => {
    const auth = await api.authenticate(request);
    return { tenant: { tenant_id: auth.project?.id ?? null } };
  });
  app.get('/v2.0/quotas/project', async (request) => {
    const auth = await api.authenticate(request);
    return { project: { project_id: auth.project?.id ?? null } };
  });
  app.get<ProjectParams>('/v2.0/quotas/:project', async (request) => ({
    quota: await quotas.get(await api.authenticate(request), request.params.project),
  }));
  app.get<ProjectParams>('/v2.0/quotas/:project/default', async (request) => ({
    quota: await quotas.defaults(await api.authenticate(request), request.params.project),
  }));
  app.get<ProjectParams>('/v2.0/quotas/:project/details', async (request) => ({
    quota: await quotas.details(await api.authenticate(request), request.params.project),
  }));
  app.get<ProjectParams>('/v2.0/quotas/:project/details.json', async (request) => ({
    quota: await quotas.details(await api.authenticate(request), request.params.project),
  }));
  app.put<ProjectParams>('/v2.0/quotas/:project', async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { quota?: Record<string, unknown> } | undefined;
    if (!body?.quota || typeof body.quota !== 'object') throw errors.missingResource('quota');
    return { quota: await quotas.update(auth, request.params.project, body.quota) };
  });
  app.delete<ProjectParams>('/v2.0/quotas/:project', async (request, reply) => {
    await quotas.reset(await api.authenticate(request), request.params.project);
    return reply.code(204).send();
  });
}
