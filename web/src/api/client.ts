/** Calls to the public APIs with the session's token, at the endpoints its catalog gives. */
import { ApiError, errorMessage, requestIdOf } from './errors';
import type { Session } from './session';

export type ServiceType = 'compute' | 'network' | 'volumev3' | 'image' | 'identity';

/** Where each service's paths start below its catalog endpoint (Neutron's catalog URL has no version). */
const VERSION_SUFFIX: Partial<Record<ServiceType, string>> = { network: '/v2.0', image: '/v2', identity: '/v3' };

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
}

export async function api<T>(session: Session, service: ServiceType, path: string, request: ApiRequest = {}): Promise<T> {
  const base = session.endpoints[service];
  if (base === undefined) throw new ApiError(0, `The catalog of project ${session.project.name} has no ${service} endpoint.`, null);
  const headers: Record<string, string> = { 'x-auth-token': session.token, accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${VERSION_SUFFIX[service] ?? ''}${path}`, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? null : JSON.stringify(request.body),
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, errorMessage(text, response.status), requestIdOf(response.headers));
  return (text ? JSON.parse(text) : {}) as T;
}
