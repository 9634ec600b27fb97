/**
 * Every route the server declares, with its body schema: what the fuzz suite
 * (test/fuzz) walks to reach every write route of every service without a
 * hand-kept list that would silently miss a new one.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';

export interface DeclaredRoute {
  method: HTTPMethods;
  /** The route's pattern with its prefix, e.g. `/compute/v2.1/servers/:server_id`. */
  url: string;
  /** The JSON schema of the body where the route declares one. */
  bodySchema: unknown;
}

const tables = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Starts recording: call on the root app before any service mounts its routes. */
export function recordRoutes(app: FastifyInstance): void {
  const table: DeclaredRoute[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.push({ method, url: route.url, bodySchema: route.schema?.body });
  });
}

export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return tables.get(app) ?? [];
}
