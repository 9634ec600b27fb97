/**
 * What every placement route shares: the negotiated microversion, the
 * caller's context with the policy check, bodies checked against their
 * schemas (api/schemas.ts), Placement's query-string checks, and the links Placement
 * renders (relative to the service root, as Placement under /placement does).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import { validateBody, validateVersionedBody, type BodySchema } from '../../core/http/versioned-body.js';
import { compareMicroversions, parseMicroversion, type Microversion, type MicroversionPolicy, type VersionedEntry } from '../../core/microversions.js';
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import { placementErrors } from '../errors.js';
import type { PlacementApi } from './index.js';

export const PLACEMENT_VERSIONS: MicroversionPolicy = {
  serviceType: 'placement',
  min: { major: 1, minor: 0 },
  max: { major: 1, minor: 39 },
};

export const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

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
  if (!atLeast(request, version)) throw placementErrors.noSuchRoute();
}

/**
 * Placement's policy checks as core's authorizer: `placement:<action>` on
 * the caller's own project and user, a denial Placement's 403.
 */
export function placementAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: 'placement:admin_api',
    ruleName: (action) => `placement:${action}`,
    target: (caller, target) => ({ project_id: caller.project?.id ?? null, user_id: caller.userId, ...target }),
    denied: (action) => placementErrors.policy(action),
  });
}

/** Authenticates and checks `placement:<action>`; the caller's context. */
export async function guard(api: PlacementApi, request: FastifyRequest, action: string): Promise<CallerContext> {
  const auth = await api.authenticate(request);
  api.authz.authorize(auth, action);
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

// --- bodies ------------------------------------------------------------------------

/**
 * The body, checked against its schema (or the schema of the request's
 * microversion range) once the policy check passed, as Placement's handlers
 * do; an absent body is Placement's "Malformed JSON".
 */
export function jsonBody<T>(request: FastifyRequest, schema: BodySchema | VersionedEntry<BodySchema>[]): T {
  if (request.body === undefined || request.body === null) throw placementErrors.malformedJson();
  if (Array.isArray(schema)) validateVersionedBody(request, schema, versionOf(request));
  else validateBody(request, schema);
  return request.body as T;
}

/** Placement stores uuids in their dashed, lower-case form. */
export function normalizeUuid(value: string): string {
  const hex = value.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
    throw placementErrors.duplicateQueryParam(name);
  }
  return all[0];
}

export function onlyParams(query: Query, allowed: (string | RegExp)[]): void {
  const bad = Object.keys(query).filter((key) => !allowed.some((a) => (typeof a === 'string' ? a === key : a.test(key))));
  if (bad.length > 0) {
    throw placementErrors.invalidQuery(
      `Additional properties are not allowed (${bad.map((b) => `'${b}'`).join(', ')} ${bad.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
}

/** `VCPU:1,MEMORY_MB:512` (Placement's `resources` parameter). */
export function parseResources(text: string, param = 'resources'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [rc, amount, extra] = part.split(':');
    if (!rc || amount === undefined || extra !== undefined || !/^\d+$/.test(amount.trim())) {
      throw placementErrors.badQueryValue(
        `Badly formed resources parameter. Expected resources query string parameter in form: ?${param}=VCPU:2,MEMORY_MB:1024. Got: ${text}.`,
      );
    }
    if (rc.trim() in out) throw placementErrors.badQueryValue(`Resource class ${rc} was given more than once in ${param}.`);
    out[rc.trim()] = Number(amount);
  }
  return out;
}

/** `member_of` values: `uuid`, `in:u1,u2`, and from 1.32 `!uuid`, `!in:u1,u2`. */
export function parseMemberOf(request: FastifyRequest, raw: string[]): { anyOf: string[][]; forbidden: string[] } {
  if (raw.length > 1 && !atLeast(request, '1.24')) {
    throw placementErrors.badQueryValue('Multiple member_of parameters are not supported');
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
  return placementErrors.badQueryValue(`Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${value}`);
}

/** `required` values: `T1,!T2` (forbidden from 1.22) and from 1.39 `in:T1,T2`. */
export function parseRequired(request: FastifyRequest, raw: string[]): { required: string[]; forbidden: string[]; anyOf: string[][] } {
  const required: string[] = [];
  const forbidden: string[] = [];
  const anyOf: string[][] = [];
  for (const value of raw) {
    if (value.startsWith('in:')) {
      if (!atLeast(request, '1.39')) throw badRequired(value, request);
      const list = value
        .slice(3)
        .split(',')
        .map((t) => t.trim());
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
    throw placementErrors.badQueryValue(`Conflicting required and forbidden traits found in the following traits keys: required: (${conflict.join(', ')})`);
  }
  return { required, forbidden, anyOf };
}

function badRequired(value: string, request: FastifyRequest): BadRequest {
  const expected = atLeast(request, '1.22')
    ? "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC."
    : "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC.";
  return placementErrors.badQueryValue(`Invalid query string parameters: ${expected} Got: ${value}`);
}

/** Placement's 1.15 cache headers on GET responses. */
export function cacheHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (!atLeast(request, '1.15')) return;
  reply.header('cache-control', 'no-cache');
  reply.header('last-modified', new Date().toUTCString());
}
