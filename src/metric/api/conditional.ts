/**
 * Conditional requests on a resource as Gnocchi answers them (RFC 7232's
 * order): the ETag is the SHA-1 of the id followed by `revision_start` as
 * the resource shows it, Last-Modified that revision start to the second.
 * If-Match outranks If-Unmodified-Since, If-None-Match outranks
 * If-Modified-Since; a failed If-None-Match is a 304 on GET/HEAD and a 412
 * otherwise, and If-Modified-Since is read on GET/HEAD only.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailed } from '../../core/errors.js';
import type { ResourceRecord } from '../types.js';

interface Validators {
  etag: string;
  /** Epoch milliseconds, whole seconds. */
  lastModified: number;
}

function validatorsOf(record: ResourceRecord): Validators {
  const etag = createHash('sha1').update(record.id).update(record.revisionStart).digest('hex');
  return { etag, lastModified: Math.floor(Date.parse(record.revisionStart) / 1000) * 1000 };
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

const CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/** Whether the request states any precondition (a write then reads the resource first to judge them). */
export const hasPreconditions = (request: FastifyRequest): boolean => CONDITIONS.some((name) => header(request, name) !== undefined);

/** Whether an If-Match/If-None-Match list names this tag (`*` names any; weak tags compare by their value). */
function listNames(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    return tag === '*' || tag === etag;
  });
}

/** An HTTP date header as epoch milliseconds; an unreadable one is ignored, as webob ignores it. */
function dateHeader(request: FastifyRequest, name: string): number | undefined {
  const value = header(request, name);
  const millis = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/**
 * Throws 412 when the request's preconditions do not hold for this revision of the resource; answers
 * `not-modified` when a GET/HEAD is to be a bodiless 304. Gnocchi's abort gives its 412 an empty description.
 */
export function checkPreconditions(request: FastifyRequest, record: ResourceRecord): 'not-modified' | 'proceed' {
  const { etag, lastModified } = validatorsOf(record);
  const reading = request.method === 'GET' || request.method === 'HEAD';
  const ifMatch = header(request, 'if-match');
  const unmodifiedSince = dateHeader(request, 'if-unmodified-since');
  if (ifMatch !== undefined ? !listNames(ifMatch, etag) : unmodifiedSince !== undefined && unmodifiedSince < lastModified) throw new PreconditionFailed('');
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (!listNames(ifNoneMatch, etag)) return 'proceed';
    if (reading) return 'not-modified';
    throw new PreconditionFailed('');
  }
  const modifiedSince = dateHeader(request, 'if-modified-since');
  return reading && modifiedSince !== undefined && modifiedSince >= lastModified ? 'not-modified' : 'proceed';
}

/** ETag and Last-Modified of the revision answered. */
export function setValidators(reply: FastifyReply, record: ResourceRecord): void {
  const { etag, lastModified } = validatorsOf(record);
  void reply.header('etag', `"${etag}"`);
  void reply.header('last-modified', new Date(lastModified).toUTCString());
}
