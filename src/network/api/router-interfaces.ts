/** `PUT /v2.0/routers/{id}/add_router_interface` and `remove_router_interface`. */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { NetworkApi } from './context.js';

type Params = { Params: { id: string } };

export function routerInterfaceRoutes(app: FastifyInstance, api: NetworkApi): void {
  const body = (raw: unknown): Record<string, unknown> => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BadRequest('Bad router request: Either subnet_id or port_id must be specified.');
    return raw as Record<string, unknown>;
  };
  app.put<Params>('/v2.0/routers/:id/add_router_interface', async (request) =>
    api.ops.routers.addInterface(await api.authenticate(request), request.params.id, body(request.body)),
  );
  app.put<Params>('/v2.0/routers/:id/remove_router_interface', async (request) =>
    api.ops.routers.removeInterface(await api.authenticate(request), request.params.id, body(request.body)),
  );
  app.put<Params>('/v2.0/routers/:id/add_extraroutes', async (request) => {
    const auth = await api.authenticate(request);
    const router = await api.ops.routers.get(auth, request.params.id);
    const add = ((request.body as { router?: { routes?: unknown[] } })?.router?.routes ?? []) as unknown[];
    const routes = [...(router.routes as unknown[]), ...add];
    return { router: await api.ops.routers.update(auth, request.params.id, { routes }) };
  });
  app.put<Params>('/v2.0/routers/:id/remove_extraroutes', async (request) => {
    const auth = await api.authenticate(request);
    const router = await api.ops.routers.get(auth, request.params.id);
    const remove = ((request.body as { router?: { routes?: Array<{ destination: string; nexthop: string }> } })?.router?.routes ?? []);
    const routes = (router.routes as Array<{ destination: string; nexthop: string }>).filter((r) => !remove.some((x) => x.destination === r.destination && x.nexthop === r.nexthop));
    return { router: await api.ops.routers.update(auth, request.params.id, { routes }) };
  });
}
