/**
 * Whether a served route answers an api-ref path: segment by segment, a
 * parameter (`{server_id}` in the api-ref, `:id` in Fastify) matches any one
 * segment and Fastify's `*` the rest of the path.
 */
import type { ServedRoute } from '../../server.js';

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

const isApiRefParameter = (segment: string) => /^\{[^}]+\}$/.test(segment);
const isRouteParameter = (segment: string) => segment.startsWith(':');

export function routeAnswers(route: ServedRoute, method: string, path: string): boolean {
  if (route.method !== method) return false;
  const wanted = segments(path);
  const served = segments(route.url);
  for (let i = 0; i < served.length; i += 1) {
    const segment = served[i] ?? '';
    if (segment === '*') return i < wanted.length || i > 0;
    const asked = wanted[i];
    if (asked === undefined) return false;
    if (!(segment === asked || isRouteParameter(segment) || isApiRefParameter(asked))) return false;
  }
  return served.length === wanted.length;
}

/** The served routes that answer an api-ref operation's method and path. */
export function findRoutes(routes: ServedRoute[], method: string, path: string): ServedRoute[] {
  return routes.filter((route) => routeAnswers(route, method, path));
}
