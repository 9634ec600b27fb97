/**
 * What every placement route shares: the negotiated microversion, the
 * caller's context with the policy check, Placement-style body and query
 * validation (400 "JSON does not validate: ..."), and the links Placement
 * renders (relative to the service root, as Placement under /placement does).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { policyCredentials, type CallerContext } from '../../core/context.js';
import { BadRequest, Forbidden, NotFound } from '../../core/errors.js';
import { compareMicroversions, parseMicroversion, type Microversion, type MicroversionPolicy } from '../../core/microversions.js';
import { CODES } from '../errors.js';
import type { PlacementApi } from './index.js';

export const PLACEMENT_VERSIONS: MicroversionPolicy = {
  serviceType: 'placement',
  min: { major: 1, minor: 0 },
  max: { major: 1, minor: 39 },
};

export const MAX_INT = 2147483647;
export const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
export const RESOURCE_CLASS = /^[A-Z0-9_]+$/;

declare module 'fastify' {
  interface FastifyRequest {
    placementVersion?: Microversion;
  }
}

export function versionOf(request: FastifyRequest): Microversion {
  return request.placementVersion ?? PLACEMENT_VERSIONS.min;
}

/** True when the request's microversion is at least `version`. */
export function atLeast(request: FastifyRequest, version: string): boolean {
  return compareMicroversions(versionOf(request), parseMicroversion(version)) >= 0;
}

/** 404 for a route that exists only from `version` on (Placement answers so for older microversions). */
export function requireVersion(request: FastifyRequest, version: string): void {
  if (!atLeast(request, version)) throw new NotFound('The resource could not be found.');
}

/** Authenticates and checks `placement:<action>`; the caller's context. */
export async function guard(api: PlacementApi, request: FastifyRequest, action: string): Promise<CallerContext> {
  const auth = await api.authenticate(request);
  const credentials = policyCredentials(auth);
  const target = { project_id: auth.project?.id ?? null, user_id: auth.userId };
  if (!api.policy.enforce(`placement:${action}`, target, credentials)) {
    throw new Forbidden(`Policy does not allow placement:${action} to be performed.`);
  }
  return auth;
}

/**
 * Location headers are absolute (webob makes Placement's so); clients such as
 * osc-placement fetch them as given.
 */
export function absolute(api: PlacementApi, href: string): string {
  return api.root().replace(/\/placement$/, '') + href;
}

export function rpLink(uuid: string, sub = ''): string {
  return `/placement/resource_providers/${uuid}${sub}`;
}

// --- body validation ------------------------------------------------------------

export function invalid(message: string): BadRequest {
  return new BadRequest(`JSON does not validate: ${message}`);
}

export type Json = Record<string, unknown>;

export function objectBody(body: unknown): Json {
  if (body === undefined || body === null) throw new BadRequest('Malformed JSON: Expecting value: line 1 column 1 (char 0)');
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid(`${JSON.stringify(body)} is not of type 'object'`);
  return body as Json;
}

export function onlyKeys(body: Json, allowed: string[], where = ''): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalid(`Additional properties are not allowed ('${key}' was unexpected)${where}`);
  }
}

export function requireKeys(body: Json, keys: string[]): void {
  for (const key of keys) if (!(key in body)) throw invalid(`'${key}' is a required property`);
}

export function intField(value: unknown, name: string, min: number, max = MAX_INT): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(`${JSON.stringify(value)} is not of type 'integer' ('${name}')`);
  if (value < min) throw invalid(`${value} is less than the minimum of ${min} ('${name}')`);
  if (value > max) throw invalid(`${value} is greater than the maximum of ${max} ('${name}')`);
  return value;
}

export function stringField(value: unknown, name: string, options: { maxLength?: number; pattern?: RegExp } = {}): string {
  if (typeof value !== 'string') throw invalid(`${JSON.stringify(value)} is not of type 'string' ('${name}')`);
  if (value.length === 0) throw invalid(`'' is too short ('${name}')`);
  if (options.maxLength !== undefined && value.length > options.maxLength) throw invalid(`'${value}' is too long ('${name}')`);
  if (options.pattern && !options.pattern.test(value)) throw invalid(`'${value}' does not match '${options.pattern.source}' ('${name}')`);
  return value;
}

export function uuidField(value: unknown, name: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid(`${JSON.stringify(value)} is not a 'uuid' ('${name}')`);
  return normalizeUuid(value);
}

/** Placement stores uuids in their dashed, lower-case form. */
export function normalizeUuid(value: string): string {
  const hex = value.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A resource class -> amount object, as in allocations. */
export function resourcesField(value: unknown, name: string, minimum: number): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${JSON.stringify(value)} is not of type 'object' ('${name}')`);
  const out: Record<string, number> = {};
  const entries = Object.entries(value as Json);
  if (entries.length === 0) throw invalid(`{} does not have enough properties ('${name}')`);
  for (const [rc, amount] of entries) {
    if (!RESOURCE_CLASS.test(rc)) throw invalid(`'${rc}' does not match any of the regexes: '^[0-9A-Z_]+$' ('${name}')`);
    out[rc] = intField(amount, `${name}.${rc}`, minimum);
  }
  return out;
}

// --- query strings -----------------------------------------------------------------

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** All values of a parameter (repeated parameters arrive as arrays). */
export function values(query: Query, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A parameter that may appear once. */
export function single(query: Query, name: string): string | undefined {
  const all = values(query, name);
  if (all.length > 1) {
    throw new BadRequest(`Query parameter '${name}' may be given only once.`, { type: CODES.ILLEGAL_DUPLICATE_QUERYPARAM });
  }
  return all[0];
}

export function onlyParams(query: Query, allowed: (string | RegExp)[]): void {
  const bad = Object.keys(query).filter((key) => !allowed.some((a) => (typeof a === 'string' ? a === key : a.test(key))));
  if (bad.length > 0) {
    throw new BadRequest(`Invalid query string parameters: Additional properties are not allowed (${bad.map((b) => `'${b}'`).join(', ')} ${bad.length === 1 ? 'was' : 'were'} unexpected)`);
  }
}

/** `VCPU:1,MEMORY_MB:512` (Placement's `resources` parameter). */
export function parseResources(text: string, param = 'resources'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [rc, amount, extra] = part.split(':');
    if (!rc || amount === undefined || extra !== undefined || !/^\d+$/.test(amount.trim())) {
      throw new BadRequest(
        `Badly formed resources parameter. Expected resources query string parameter in form: ?${param}=VCPU:2,MEMORY_MB:1024. Got: ${text}.`,
        { type: CODES.QUERYPARAM_BAD_VALUE },
      );
    }
    if (rc.trim() in out) throw new BadRequest(`Resource class ${rc} was given more than once in ${param}.`, { type: CODES.QUERYPARAM_BAD_VALUE });
    out[rc.trim()] = Number(amount);
  }
  return out;
}

/** `member_of` values: `uuid`, `in:u1,u2`, and from 1.32 `!uuid`, `!in:u1,u2`. */
export function parseMemberOf(request: FastifyRequest, raw: string[]): { anyOf: string[][]; forbidden: string[] } {
  if (raw.length > 1 && !atLeast(request, '1.24')) {
    throw new BadRequest("Multiple member_of parameters are not supported", { type: CODES.QUERYPARAM_BAD_VALUE });
  }
  const anyOf: string[][] = [];
  const forbidden: string[] = [];
  for (const value of raw) {
    let text = value;
    let negate = false;
    if (text.startsWith('!')) {
      if (!atLeast(request, '1.32')) throw badMemberOf(value);
      negate = true;
      text = text.slice(1);
    }
    const list = text.startsWith('in:') ? text.slice(3).split(',') : [text];
    if (list.some((u) => !UUID.test(u))) throw badMemberOf(value);
    if (negate && text.startsWith('in:')) forbidden.push(...list.map(normalizeUuid));
    else if (negate) forbidden.push(normalizeUuid(list[0] as string));
    else anyOf.push(list.map(normalizeUuid));
  }
  return { anyOf, forbidden };
}

function badMemberOf(value: string): BadRequest {
  return new BadRequest(`Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${value}`, {
    type: CODES.QUERYPARAM_BAD_VALUE,
  });
}

/** `required` values: `T1,!T2` (forbidden from 1.22) and from 1.39 `in:T1,T2`. */
export function parseRequired(request: FastifyRequest, raw: string[]): { required: string[]; forbidden: string[]; anyOf: string[][] } {
  const required: string[] = [];
  const forbidden: string[] = [];
  const anyOf: string[][] = [];
  for (const value of raw) {
    if (value.startsWith('in:')) {
      if (!atLeast(request, '1.39')) throw badRequired(value, request);
      const list = value.slice(3).split(',').map((t) => t.trim());
      if (list.some((t) => !t)) throw badRequired(value, request);
      anyOf.push(list);
      continue;
    }
    for (const part of value.split(',').map((t) => t.trim())) {
      if (!part) throw badRequired(value, request);
      if (part.startsWith('!')) {
        if (!atLeast(request, '1.22')) throw badRequired(value, request);
        forbidden.push(part.slice(1));
      } else {
        required.push(part);
      }
    }
  }
  const conflict = required.filter((t) => forbidden.includes(t));
  if (conflict.length > 0) {
    throw new BadRequest(`Conflicting required and forbidden traits found in the following traits keys: required: (${conflict.join(', ')})`, {
      type: CODES.QUERYPARAM_BAD_VALUE,
    });
  }
  return { required, forbidden, anyOf };
}

function badRequired(value: string, request: FastifyRequest): BadRequest {
  const expected = atLeast(request, '1.22') ? "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC." : "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC.";
  return new BadRequest(`Invalid query string parameters: ${expected} Got: ${value}`, { type: CODES.QUERYPARAM_BAD_VALUE });
}

/** Placement's 1.15 cache headers on GET responses. */
export function cacheHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (!atLeast(request, '1.15')) return;
  reply.header('cache-control', 'no-cache');
  reply.header('last-modified', new Date().toUTCString());
}
