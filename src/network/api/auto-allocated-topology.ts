/** `GET` / `DELETE /v2.0/auto-allocated-topology/{project_id}` (auto-allocated-topology extension). */
import type { FastifyInstance } from 'fastify';
import type { QueryInput } from '../../core/pagination/index.js';
import type { NetworkApi } from './context.js';
import { selectedFields } from './listing.js';

type Params = { Params: { project: string } };

export function autoAllocatedTopologyRoutes(app: FastifyInstance, api: NetworkApi): void {
  const base = '/v2.0/auto-allocated-topology/:project';
  app.get<Params>(base, async (request) => {
    const auth = await api.authenticate(request);
    const fields = selectedFields(request.query as QueryInput) ?? [];
    return { auto_allocated_topology: await api.ops.autoAllocation.get(auth, request.params.project, fields) };
  });
  app.delete<Params>(base, async (request, reply) => {
    await api.ops.autoAllocation.delete(await api.authenticate(request), request.params.project);
    return reply.code(204).send();
  });
}
