/**
 * `PUT /v2.0/routers/{id}/add_router_interface` and `remove_router_interface`,
 * and the extraroute-atomic `add_extraroutes` / `remove_extraroutes`. Route
 * schemas keep wrong types (an object or a list as `subnet_id`) out of the
 * operations: they are Neutron's 400.
 */
import type { FastifyInstance } from 'fastify';
import type { NetworkApi } from './context.js';

type Params = { Params: { id: string } };
type InterfaceBody = { Body: { subnet_id?: string; port_id?: string } };
type Route = { destination: string; nexthop: string };
type RoutesBody = { Body: { router: { routes: Route[] } } };

/** Longer than any UUID or name Neutron accepts; bounds what a lookup is asked. */
const ID = { type: 'string', maxLength: 255 } as const;

const interfaceSchema = {
  body: { type: 'object', properties: { subnet_id: ID, port_id: ID } },
};

/** Neutron's max_routes (30) bounds a router's routes; the request is bounded a little above, the rest is RoutesExhausted. */
const routesSchema = {
  body: {
    type: 'object',
    required: ['router'],
    properties: {
      router: {
        type: 'object',
        required: ['routes'],
        properties: {
          routes: {
            type: 'array',
            maxItems: 1000,
            items: {
              type: 'object',
              required: ['destination', 'nexthop'],
              properties: { destination: { type: 'string', maxLength: 64 }, nexthop: { type: 'string', maxLength: 64 } },
            },
          },
        },
      },
    },
  },
};

export function routerInterfaceRoutes(app: FastifyInstance, api: NetworkApi): void {
  const routers = api.ops.routers;
  app.put<Params & InterfaceBody>('/v2.0/routers/:id/add_router_interface', { schema: interfaceSchema }, async (request) =>
    routers.addInterface(await api.authenticate(request), request.params.id, request.body),
  );
  app.put<Params & InterfaceBody>('/v2.0/routers/:id/remove_router_interface', { schema: interfaceSchema }, async (request) =>
    routers.removeInterface(await api.authenticate(request), request.params.id, request.body),
  );
  app.put<Params & RoutesBody>('/v2.0/routers/:id/add_extraroutes', { schema: routesSchema }, async (request) => ({
    router: await routers.changeExtraRoutes(await api.authenticate(request), request.params.id, 'add', request.body.router.routes),
  }));
  app.put<Params & RoutesBody>('/v2.0/routers/:id/remove_extraroutes', { schema: routesSchema }, async (request) => ({
    router: await routers.changeExtraRoutes(await api.authenticate(request), request.params.id, 'remove', request.body.router.routes),
  }));
}
