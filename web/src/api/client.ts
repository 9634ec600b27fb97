/** Calls to the public APIs with the session's token, at the endpoints its catalog gives. */
import { ApiError, errorMessage, requestIdOf } from './errors';
import type { Session } from './session';

export type ServiceType = 'compute' | 'network' | 'volumev3' | 'image' | 'identity' | 'object-store' | 'orchestration' | 'metric' | 'alarming';

/** Where each service's paths start below its catalog endpoint (Neutron's, Gnocchi's and Aodh's catalog URLs have no version; Swift's names the account). */
const VERSION_SUFFIX: Partial<Record<ServiceType, string>> = { network: '/v2.0', image: '/v2', identity: '/v3', metric: '/v1', alarming: '/v2' };

export interface ApiRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON unless it is already a Blob or string. */
  body?: unknown;
  /** Extra headers (Swift's metadata, Glance's JSON-patch content type). */
  headers?: Record<string, string>;
}

/** The URL of `path` below the service's public endpoint. */
export function serviceUrl(session: Session, service: ServiceType, path: string): string {
  const base = session.endpoints[service];
  if (base === undefined) throw new ApiError(0, `The catalog of project ${session.project.name} has no ${service} endpoint.`, null);
  return `${base}${VERSION_SUFFIX[service] ?? ''}${path}`;
}

/** The response of a call that succeeded; a refusal throws the service's own message. */
export async function send(session: Session, service: ServiceType, path: string, request: ApiRequest = {}): Promise<Response> {
  const headers: Record<string, string> = { 'x-auth-token': session.token, accept: 'application/json' };
  const raw = request.body instanceof Blob || typeof request.body === 'string';
  if (request.body !== undefined && !raw) headers['content-type'] = 'application/json';
  const response = await fetch(serviceUrl(session, service, path), {
    method: request.method ?? 'GET',
    headers: { ...headers, ...request.headers },
    body: request.body === undefined ? null : raw ? (request.body as Blob | string) : JSON.stringify(request.body),
  });
  if (!response.ok) throw new ApiError(response.status, errorMessage(await response.text(), response.status), requestIdOf(response.headers));
  return response;
}

export async function api<T>(session: Session, service: ServiceType, path: string, request: ApiRequest = {}): Promise<T> {
  const text = await (await send(session, service, path, request)).text();
  return (text ? JSON.parse(text) : {}) as T;
}
