/** /v3/domains */
import type { FastifyInstance } from 'fastify';
import type { IdentityApi } from './context.js';
import { queryBool, queryString, type Query } from './query.js';
import { descriptionSchema, enabledSchema, idSchema, nameSchema, wrapped } from './schemas.js';
import { domainView, listLinks } from './views.js';

const domainProperties = {
  properties: { name: { ...nameSchema, maxLength: 64 }, description: descriptionSchema, enabled: enabledSchema, explicit_domain_id: idSchema },
};

export function domainRoutes(app: FastifyInstance, api: IdentityApi): void {
  app.post('/v3/domains', { schema: { body: wrapped('domain', domainProperties, ['name']) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { domain: Record<string, unknown> };
    const domain = await api.ops.resources.createDomain(auth, body.domain);
    return reply.code(201).send({ domain: domainView(api, domain) });
  });

  app.get('/v3/domains', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const domains = await api.ops.resources.listDomains(auth, { name: queryString(query, 'name'), enabled: queryBool(query, 'enabled') });
    return { domains: domains.map((d) => domainView(api, d)), links: listLinks(api, '/domains') };
  });

  app.get<{ Params: { id: string } }>('/v3/domains/:id', async (request) => {
    const auth = await api.authenticate(request);
    return { domain: domainView(api, await api.ops.resources.getDomain(auth, request.params.id)) };
  });

  app.patch<{ Params: { id: string } }>('/v3/domains/:id', { schema: { body: wrapped('domain', domainProperties) } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { domain: Record<string, unknown> };
    return { domain: domainView(api, await api.ops.resources.updateDomain(auth, request.params.id, body.domain)) };
  });

  app.delete<{ Params: { id: string } }>('/v3/domains/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    await api.ops.resources.deleteDomain(auth, request.params.id);
    return reply.code(204).send();
  });
}
