/** What every orchestration route file gets: the stack service, the software store, the caller and URLs. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { Json, JsonObject } from '../json.js';
import type { StackService } from '../service/types.js';
import type { SoftwareService } from '../software/service.js';
import { apiErrors } from '../errors/api.js';

export interface HeatApi {
  stacks: StackService;
  software: SoftwareService;
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** Heat's `context.is_admin` for this caller. */
  isAdmin(caller: CallerContext): boolean;
  /** Throws 403 unless the policy rule allows the caller on the target. */
  authorize(caller: CallerContext, rule: string, target: Record<string, unknown>): void;
  /** The heat-api v1 root clients use, e.g. http://127.0.0.1:5000/orchestration/v1. */
  root(): string;
  /** Reads a `template_url` (only loopback URLs are fetched). */
  fetchTemplate(url: string): Promise<string>;
  /** The template versions and their functions (the template room's tables). */
  templates: {
    /** `{version: 'heat_template_version.2016-04-08', type: 'hot', aliases: [...]}` for each version. */
    versions(): JsonObject[];
    /** Throws Heat's 404 "Template with version x not found". */
    functions(version: string, withConditions: boolean): JsonObject[];
  };
  /** What `build_info` reports. */
  buildInfo(): JsonObject;
  /** The engines `/services` lists, for admins. */
  engines(): Json[];
}

/** One request's caller and the project in its URL. */
export interface Call {
  caller: CallerContext;
  /** The URL's project (Heat's tenant_id). */
  projectId: string;
  /** The heat-api root with the project, e.g. http://127.0.0.1:5000/orchestration/v1/<project>. */
  projectUrl: string;
}

type ProjectParams = { project_id: string };

const calls = new WeakMap<FastifyRequest, Promise<Call>>();

/**
 * Authenticates and checks the URL's project as heat-api does before any
 * controller runs (util.registered_policy_enforce): a caller other than a
 * cloud admin addresses only its own project, else 403.
 */
export function begin(api: HeatApi, request: FastifyRequest): Promise<Call> {
  let call = calls.get(request);
  if (!call) calls.set(request, (call = makeCall(api, request)));
  return call;
}

async function makeCall(api: HeatApi, request: FastifyRequest): Promise<Call> {
  const caller = await api.authenticate(request);
  const projectId = (request.params as ProjectParams).project_id;
  if (caller.project?.id !== projectId && !api.isAdmin(caller)) throw apiErrors.otherProject();
  return { caller, projectId, projectUrl: `${api.root()}/${projectId}` };
}

/** Every project route authenticates before its body is looked at (401 before 400, as behind keystonemiddleware). */
export function authenticateFirst(app: FastifyInstance, api: HeatApi): void {
  app.addHook('preValidation', async (request) => {
    if ((request.params as Partial<ProjectParams>).project_id !== undefined) await begin(api, request);
  });
}
