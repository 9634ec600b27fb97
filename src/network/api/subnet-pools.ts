/** `PUT /v2.0/subnetpools/{id}/add_prefixes` and `remove_prefixes` (subnetpool-prefix-ops). */
import type { FastifyInstance } from 'fastify';
import type { NetworkApi } from './context.js';

type Params = { Params: { id: string } };

export function subnetPoolActionRoutes(app: FastifyInstance, api: NetworkApi): void {
  app.put<Params>('/v2.0/subnetpools/:id/add_prefixes', async (request) =>
    api.ops.subnetPools.addPrefixes(await api.authenticate(request), request.params.id, request.body),
  );
  app.put<Params>('/v2.0/subnetpools/:id/remove_prefixes', async (request) =>
    api.ops.subnetPools.removePrefixes(await api.authenticate(request), request.params.id, request.body),
  );
}
