/** `/v1/resource_type`. */
import type { FastifyInstance } from 'fastify';
import { bodyOf, type MetricApi, type Params } from './context.js';
import { METRIC_PREFIX } from './paths.js';
import { resourceTypeView } from './views.js';

export function resourceTypeRoutes(app: FastifyInstance, api: MetricApi): void {
  const types = api.index.types;
  app.get('/v1/resource_type', async (request) => (await types.list(await api.authenticate(request))).map(resourceTypeView));
  app.post('/v1/resource_type', async (request, reply) => {
    const type = await types.create(await api.authenticate(request), bodyOf(request));
    reply.header('location', `${api.publicUrl()}${METRIC_PREFIX}/v1/resource_type/${type.name}`);
    return reply.code(201).send(resourceTypeView(type));
  });
  app.get<Params<'name'>>('/v1/resource_type/:name', async (request) =>
    resourceTypeView(await types.show(await api.authenticate(request), request.params.name)),
  );
  app.patch<Params<'name'>>('/v1/resource_type/:name', async (request) =>
    resourceTypeView(await types.update(await api.authenticate(request), request.params.name, bodyOf(request))),
  );
  app.delete<Params<'name'>>('/v1/resource_type/:name', async (request, reply) => {
    await types.remove(await api.authenticate(request), request.params.name);
    return reply.code(204).send();
  });
}
