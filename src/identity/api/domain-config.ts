/**
 * /v3/domains/{id}/config[/{group}[/{option}]] and
 * /v3/domains/config/default[/{group}[/{option}]]: domain-specific configuration.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdentityApi } from './context.js';

type Params = { id: string; group?: string; option?: string };

/** Keystone reads `config` from the body and judges what it holds itself (403 for a missing one). */
function bodyConfig(request: FastifyRequest): unknown {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).config : undefined;
}

export function domainConfigRoutes(app: FastifyInstance, api: IdentityApi): void {
  const configs = api.ops.domainConfig;

  app.put<{ Params: Params }>('/v3/domains/:id/config', async (request, reply) => {
    const auth = await api.authenticate(request);
    const { config, created } = await configs.create(auth, request.params.id, bodyConfig(request));
    return reply.code(created ? 201 : 200).send({ config });
  });

  for (const path of ['/v3/domains/:id/config', '/v3/domains/:id/config/:group', '/v3/domains/:id/config/:group/:option']) {
    app.get<{ Params: Params }>(path, async (request) => {
      const auth = await api.authenticate(request);
      const { id, group, option } = request.params;
      return { config: await configs.get(auth, id, group, option) };
    });
    app.patch<{ Params: Params }>(path, async (request) => {
      const auth = await api.authenticate(request);
      const { id, group, option } = request.params;
      return { config: await configs.update(auth, id, bodyConfig(request), group, option) };
    });
    app.delete<{ Params: Params }>(path, async (request, reply) => {
      const auth = await api.authenticate(request);
      const { id, group, option } = request.params;
      await configs.delete(auth, id, group, option);
      return reply.code(204).send();
    });
  }

  for (const path of ['/v3/domains/config/default', '/v3/domains/config/:group/default', '/v3/domains/config/:group/:option/default']) {
    app.get<{ Params: Omit<Params, 'id'> }>(path, async (request) => {
      const auth = await api.authenticate(request);
      return { config: configs.defaults(auth, request.params.group, request.params.option) };
    });
  }
}
