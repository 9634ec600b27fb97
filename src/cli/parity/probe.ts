/**
 * What Nimbus does with each operation of an api-ref: one request per
 * operation, as the cloud admin, to a throw-away cloud (fake drivers, a
 * temporary data directory), with made-up ids and an empty body. The answer's
 * status is not the point (a made-up id is a 404, an empty body a 400); what
 * counts is whether a route takes the request, and whether it then says the
 * feature is missing: a 501, an action the endpoint does not know, or the
 * service's not-found handler.
 */
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../server.js';
import { compareVersions, type ApiRefOperation } from './api-ref.js';
import { findRoutes } from './match.js';
import { nimbusPath, type ParitySource } from './sources.js';

export type ParityStatus = 'implemented' | 'partial' | 'not-implemented' | 'absent';

export interface ProbedOperation extends ApiRefOperation {
  status: ParityStatus;
  /** The Nimbus path probed. */
  probed: string;
  /** Why it counts as it does, when not implemented or partial. */
  reason?: string;
}

export interface ProbeCredentials {
  token: string;
  projectId: string;
}

/** The microversion headers that ask each service for its newest behaviour, so features gated on one are found. */
const LATEST = {
  'openstack-api-version': 'compute latest, volume latest, placement latest, image latest',
  'x-openstack-nova-api-version': 'latest',
};

/** The request path: the caller's project where the api-ref names one, made-up ids elsewhere. */
export function concretePath(path: string, projectId: string): string {
  return path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    if (name === 'project_id' || name === 'tenant_id') return projectId;
    if (name === 'account') return `AUTH_${projectId}`;
    return randomUUID();
  });
}

/** The service's not-found handler words a route nobody serves as "... could not be found: METHOD /path". */
function saysNoRoute(body: string, method: string): boolean {
  return body.includes(`could not be found: ${method} `);
}

export async function probeOperation(
  server: RunningServer,
  source: ParitySource,
  operation: ApiRefOperation,
  credentials: ProbeCredentials,
): Promise<ProbedOperation> {
  const template = nimbusPath(source, operation.path);
  const probed = concretePath(template, credentials.projectId);
  const result = (status: ParityStatus, reason?: string): ProbedOperation => ({ ...operation, probed: template, status, ...(reason ? { reason } : {}) });
  if (findRoutes(server.routes, operation.method, template).length === 0) return result('absent', 'no route');
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(operation.method);
  const body = operation.action ? { [operation.action]: {} } : {};
  const response = await fetch(`${server.url}${probed}`, {
    method: operation.method,
    headers: { 'x-auth-token': credentials.token, ...LATEST, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status === 501) return result('not-implemented', `501: ${firstLine(text)}`);
  if (response.status === 404 && saysNoRoute(text, operation.method)) return result('absent', 'no route');
  if (operation.action && response.status === 400 && /no such action/i.test(text)) return result('absent', `unknown action ${operation.action}`);
  const missing = missingFields(operation, servedMicroversion(response.headers.get('openstack-api-version')));
  return missing ? result('partial', missing) : result('implemented');
}

/** The microversion a service answered "latest" with (`compute 2.79`): its newest. */
export function servedMicroversion(header: string | null): string | null {
  return /\s([0-9]+\.[0-9]+)\s*$/.exec(header ?? '')?.[1] ?? null;
}

/**
 * The operation's fields that came with a microversion newer than the
 * service's newest, as the reason an operation is partial; null when there
 * are none (or the service has no microversions).
 */
export function missingFields(operation: ApiRefOperation, newest: string | null): string | null {
  if (!newest) return null;
  const missing = (operation.since ?? []).filter((field) => compareVersions(field.version, newest) > 0);
  if (missing.length === 0) return null;
  const names = missing.map((field) => `${field.name} (${field.version})`);
  return `newest microversion ${newest}; not: ${names.join(', ')}`;
}

function firstLine(text: string): string {
  const message = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? text;
  return message.split('\n')[0]?.slice(0, 160) ?? '';
}
