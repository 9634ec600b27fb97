/** What every volume route file gets: the operations, the caller's context with its microversion, URLs. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { validateVersionedBody, type BodySchema } from '../../core/http/versioned-body.js';
import {
  inRange,
  microversionHeaders,
  negotiateMicroversion,
  type Microversion,
  type MicroversionPolicy,
  type VersionedEntry,
} from '../../core/microversions.js';
import { errors, notFound } from '../errors.js';
import type { VolumeContext, VolumeServiceOps } from '../service/index.js';

export const MICROVERSIONS: MicroversionPolicy = {
  serviceType: 'volume',
  min: { major: 3, minor: 0 },
  max: { major: 3, minor: 66 },
};

export interface VolumeApi {
  ops: VolumeServiceOps;
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The volume API root, e.g. http://127.0.0.1:5000/volume. */
  root(): string;
}

/** One request's caller, microversion and project from the URL. */
export interface Call {
  ctx: VolumeContext;
  version: Microversion;
  projectId: string;
  /** True when the request's microversion is `from` or later. */
  atLeast(from: string): boolean;
  /** The absolute URL of the request (for pagination links). */
  url: string;
}

type ProjectParams = { project_id: string };

/** Each request's call, made once (by the preValidation hook, or by the handler when the route has none). */
const calls = new WeakMap<FastifyRequest, Promise<Call>>();

/**
 * Authenticates, negotiates the microversion (406 out of range) and checks
 * the URL's project: a non-admin may only address its own project, as
 * Cinder answers "Malformed request url". Runs before the body is checked
 * (see `authenticateFirst`), so a caller without a valid token gets 401,
 * not a 400 about its body, as behind Cinder's auth middleware.
 */
export function begin(api: VolumeApi, request: FastifyRequest, reply: FastifyReply): Promise<Call> {
  let call = calls.get(request);
  if (!call) calls.set(request, (call = makeCall(api, request, reply)));
  return call;
}

async function makeCall(api: VolumeApi, request: FastifyRequest, reply: FastifyReply): Promise<Call> {
  const version = negotiateMicroversion(request.headers, MICROVERSIONS);
  for (const [name, value] of Object.entries(microversionHeaders(version, MICROVERSIONS))) reply.header(name, value);
  const auth = await api.authenticate(request);
  const ctx = api.ops.context(auth);
  const projectId = (request.params as ProjectParams).project_id;
  if (!ctx.isAdmin && projectId !== ctx.projectId) throw errors.malformedUrl();
  return {
    ctx,
    version,
    projectId,
    atLeast: (from) => inRange(version, from),
    url: `${api.root()}${request.url.replace(/^\/volume/, '')}`,
  };
}

/** `begin` for a route that exists from microversion `from` on: Cinder has no such route below it (404). */
export async function beginFrom(api: VolumeApi, request: FastifyRequest, reply: FastifyReply, from: string): Promise<Call> {
  const call = await begin(api, request, reply);
  if (!call.atLeast(from)) throw notFound.needsVersion(from);
  return call;
}

/** Every project route authenticates before its body schema is checked. */
export function authenticateFirst(app: FastifyInstance, api: VolumeApi): void {
  app.addHook('preValidation', async (request, reply) => {
    if ((request.params as Partial<ProjectParams>).project_id !== undefined) await begin(api, request, reply);
  });
}

/** The body checked against the schema of the call's microversion (Cinder's per-version schemas). */
export function checkVersionedBody(request: FastifyRequest, call: Call, entries: VersionedEntry<BodySchema>[]): void {
  validateVersionedBody(request, entries, call.version);
}
