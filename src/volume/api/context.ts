/** What every volume route file gets: the operations, the caller's context with its microversion, URLs. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import { inRange, microversionHeaders, negotiateMicroversion, type Microversion, type MicroversionPolicy } from '../../core/microversions.js';
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

/**
 * Authenticates, negotiates the microversion (406 out of range) and checks
 * the URL's project: a non-admin may only address its own project, as
 * Cinder answers "Malformed request url".
 */
export async function begin(api: VolumeApi, request: FastifyRequest, reply: FastifyReply): Promise<Call> {
  const version = negotiateMicroversion(request.headers, MICROVERSIONS);
  for (const [name, value] of Object.entries(microversionHeaders(version, MICROVERSIONS))) reply.header(name, value);
  const auth = await api.authenticate(request);
  const ctx = api.ops.context(auth);
  const projectId = (request.params as ProjectParams).project_id;
  if (!ctx.isAdmin && projectId !== ctx.projectId) throw new BadRequest('Malformed request url');
  return {
    ctx,
    version,
    projectId,
    atLeast: (from) => inRange(version, from),
    url: `${api.root()}${request.url.replace(/^\/volume/, '')}`,
  };
}
