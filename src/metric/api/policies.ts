/** `/v1/archive_policy` and `/v1/archive_policy_rule`. */
import type { FastifyInstance } from 'fastify';
import { METRIC_PREFIX } from './paths.js';
import { bodyOf, type MetricApi, type Params } from './context.js';
import { archivePolicyView, ruleView } from './views.js';

export function archivePolicyRoutes(app: FastifyInstance, api: MetricApi): void {
  const policies = api.index.policies;
  const location = (kind: string, name: string) => `${api.publicUrl()}${METRIC_PREFIX}/v1/${kind}/${encodeURIComponent(name)}`;

  app.get('/v1/archive_policy', async (request) => (await policies.list(await api.authenticate(request))).map(archivePolicyView));
  app.post('/v1/archive_policy', async (request, reply) => {
    const policy = await policies.create(await api.authenticate(request), bodyOf(request));
    return reply.code(201).header('location', location('archive_policy', policy.name)).send(archivePolicyView(policy));
  });
  app.get<Params<'name'>>('/v1/archive_policy/:name', async (request) =>
    archivePolicyView(await policies.show(await api.authenticate(request), request.params.name)),
  );
  app.patch<Params<'name'>>('/v1/archive_policy/:name', async (request) =>
    archivePolicyView(await policies.update(await api.authenticate(request), request.params.name, bodyOf(request))),
  );
  app.delete<Params<'name'>>('/v1/archive_policy/:name', async (request, reply) => {
    await policies.remove(await api.authenticate(request), request.params.name);
    return reply.code(204).send();
  });

  app.get('/v1/archive_policy_rule', async (request) => (await policies.listRules(await api.authenticate(request))).map(ruleView));
  app.post('/v1/archive_policy_rule', async (request, reply) => {
    const rule = await policies.createRule(await api.authenticate(request), bodyOf(request));
    return reply.code(201).header('location', location('archive_policy_rule', rule.name)).send(ruleView(rule));
  });
  app.get<Params<'name'>>('/v1/archive_policy_rule/:name', async (request) =>
    ruleView(await policies.showRule(await api.authenticate(request), request.params.name)),
  );
  app.patch<Params<'name'>>('/v1/archive_policy_rule/:name', async (request) =>
    ruleView(await policies.renameRule(await api.authenticate(request), request.params.name, bodyOf(request))),
  );
  app.delete<Params<'name'>>('/v1/archive_policy_rule/:name', async (request, reply) => {
    await policies.removeRule(await api.authenticate(request), request.params.name);
    return reply.code(204).send();
  });
}
