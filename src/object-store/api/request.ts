/**
 * A Swift request as the proxy sees it: the path split into account,
 * container and object (unquoted; object names keep their slashes), the
 * query, and headers as single lower-case values.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { checkAccountName, checkContainerName, checkHeaderValues, checkObjectName } from '../proxy/constraints.js';
import { unquoteUrlPart } from '../proxy/unquote.js';

export interface SwiftRequest {
  method: string;
  /** `AUTH_<project id>` */
  account: string;
  /** The project the account belongs to. */
  project: string;
  container: string | null;
  object: string | null;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** `/object-store/v1/AUTH_x/container` unquoted, as tempurl signatures name it. */
  containerPath: string;
  raw: FastifyRequest;
  reply: FastifyReply;
}

export const RESELLER_PREFIX = 'AUTH_';

/** An account of this cluster's reseller prefix (`AUTH_` and a project). */
export function isSwiftAccount(account: string): boolean {
  return account.startsWith(RESELLER_PREFIX) && account.length > RESELLER_PREFIX.length;
}

/** Swift's transaction id: `tx` + 21 hex + `-` + the time in hex. */
export function transactionId(): string {
  return `tx${randomBytes(11).toString('hex').slice(0, 21)}-${Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(10, '0')}`;
}

export function singleHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? (value[value.length - 1] as string) : value;
  }
  return headers;
}

/** Parses `/v1/<account>[/<container>[/<object>]]` below the service prefix. */
export function parseSwiftRequest(request: FastifyRequest, reply: FastifyReply, prefix: string): SwiftRequest {
  const [rawPath = '', rawQuery = ''] = request.url.slice(prefix.length).split(/\?(.*)/s);
  const parts = rawPath.split('/');
  // parts: ['', 'v1', account, container, ...object]
  const account = unquoteUrlPart(parts[2] ?? '');
  if (!isSwiftAccount(account)) throw new NotFound(STANDARD_BODY);
  checkAccountName(account);
  const container = parts.length > 3 && parts[3] !== '' ? unquoteUrlPart(parts[3] as string) : null;
  const objectRaw = parts.length > 4 ? parts.slice(4).join('/') : '';
  const object = objectRaw !== '' ? unquoteUrlPart(objectRaw) : null;
  if (container !== null) checkContainerName(container);
  if (object !== null) checkObjectName(object);
  if (container === null && parts.length > 4) throw new BadRequest('Bad URL');
  const headers = singleHeaders(request);
  if (['PUT', 'POST', 'COPY'].includes(request.method)) checkHeaderValues(headers);
  return {
    method: request.method,
    account,
    project: account.slice(RESELLER_PREFIX.length),
    container,
    object,
    query: new URLSearchParams(rawQuery),
    headers,
    containerPath: `${prefix}/v1/${account}/${container ?? ''}`,
    raw: request,
    reply,
  };
}

/** A query flag: present with an empty value or a true-ish one (Swift's config_true_value). */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['', 'true', '1', 'yes', 'on', 't', 'y'].includes(value.toLowerCase());
}

export function headerTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes', 'on', 't', 'y'].includes(value.toLowerCase());
}
