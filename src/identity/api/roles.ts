/** /v3/roles, implied roles (/v3/roles/{id}/implies, /v3/role_inferences). */
import type { FastifyInstance } from 'fastify';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { descriptionSchema, nameSchema, nullableIdSchema, wrapped } from './schemas.js';
import { listLinks, roleRef, roleView } from './views.js';
import type { Role } from '../store/index.js';

const roleProperties = { properties: { name: nameSchema, description: descriptionSchema, domain_id: nullableIdSchema, options: { type: 'object' } } };

type Params = { Params: { id: string } };
type PairParams = { Params: { prior: string; implied: string } };

export function roleRoutes(app: FastifyInstance, api: IdentityApi): void {
  const roles = api.ops.roles;
  const inference = (prior: Role, implies: Role[]) => ({
    prior_role: roleRef(api, prior),
    implies: implies.map((r) => roleRef(api, r)),
  });

  app.post('/v3/roles', { schema: { body: wrapped('role', roleProperties, ['name']) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { role: Record<string, unknown> };
    return reply.code(201).send({ role: roleView(api, await roles.createRole(auth, body.role)) });
  });

  app.get('/v3/roles', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const list = await roles.listRoles(auth, { name: queryString(query, 'name'), domainId: queryString(query, 'domain_id') });
    return { roles: list.map((r) => roleView(api, r)), links: listLinks(api, '/roles') };
  });

  app.get<Params>('/v3/roles/:id', async (request) => {
    const auth = await api.authenticate(request);
    return { role: roleView(api, await roles.getRole(auth, request.params.id)) };
  });

  app.patch<Params>('/v3/roles/:id', { schema: { body: wrapped('role', roleProperties) } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { role: Record<string, unknown> };
    return { role: roleView(api, await roles.updateRole(auth, request.params.id, body.role)) };
  });

  app.delete<Params>('/v3/roles/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    await roles.deleteRole(auth, request.params.id);
    return reply.code(204).send();
  });

  app.get<Params>('/v3/roles/:id/implies', async (request) => {
    const auth = await api.authenticate(request);
    const rule = await roles.listImpliedRoles(auth, request.params.id);
    return { role_inference: inference(rule.prior, rule.implies), links: { self: api.url(`/roles/${request.params.id}/implies`) } };
  });

  app.put<PairParams>('/v3/roles/:prior/implies/:implied', async (request, reply) => {
    const auth = await api.authenticate(request);
    const { prior, implied } = await roles.createImpliedRole(auth, request.params.prior, request.params.implied);
    return reply.code(201).send({ role_inference: { prior_role: roleRef(api, prior), implies: roleRef(api, implied) } });
  });

  app.head<PairParams>('/v3/roles/:prior/implies/:implied', async (request, reply) => {
    const auth = await api.authenticate(request);
    await roles.getImpliedRole(auth, request.params.prior, request.params.implied, 'check_implied_role');
    return reply.code(204).send();
  });

  app.get<PairParams>('/v3/roles/:prior/implies/:implied', async (request) => {
    const auth = await api.authenticate(request);
    const { prior, implied } = await roles.getImpliedRole(auth, request.params.prior, request.params.implied, 'get_implied_role');
    return { role_inference: { prior_role: roleRef(api, prior), implies: roleRef(api, implied) } };
  });

  app.delete<PairParams>('/v3/roles/:prior/implies/:implied', async (request, reply) => {
    const auth = await api.authenticate(request);
    await roles.deleteImpliedRole(auth, request.params.prior, request.params.implied);
    return reply.code(204).send();
  });

  app.get('/v3/role_inferences', async (request) => {
    const auth = await api.authenticate(request);
    const rules = await roles.listInferenceRules(auth);
    return { role_inferences: rules.map((r) => inference(r.prior, r.implies)), links: { self: api.url('/role_inferences') } };
  });
}
