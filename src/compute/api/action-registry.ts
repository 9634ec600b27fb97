/**
 * POST /servers/{id}/action: the body's single key names the action; its
 * declaration (`ServerActionRoute`, server-action-route.ts; the table is in
 * server-actions.ts and server-actions-admin.ts) gives the JSON schema of the value per
 * microversion range, checked here by Ajv as a route schema is (a violation
 * is worded by compute's scope, as Nova words jsonschema's), and what the
 * action does and answers. An action with host work names its declaration
 * in the service (HostWork, service/server-action-task.ts); the two sides
 * must name each other exactly, checked when the route is declared.
 */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { checkCoverage, selectForVersion, type VersionedEntry } from '../../core/microversions.js';
import { requestErrors } from '../errors.js';
import { COMPUTE_MICROVERSIONS } from '../microversion.js';
import { hostWorkActions } from '../service/server-action-table.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { CONSOLE_SERVER_ACTIONS } from './consoles.js';
import type { ActionCall, BodySchema, ServerActionRoute } from './server-action-route.js';
import { FLOATING_IP_ACTIONS } from './floating-ips.js';
import { ADMIN_SERVER_ACTIONS } from './server-actions-admin.js';
import { BASE_SERVER_ACTIONS } from './server-actions.js';

export interface TableEntry {
  route: ServerActionRoute<never>;
  /** The whole body's schema (`{key: value}`) per range, made once so Fastify compiles each once. */
  envelopes: VersionedEntry<BodySchema | null>[];
}

let table: Map<string, TableEntry> | undefined;

/** The table by body key, built and checked once (coverage of every microversion, both sides of each host action). */
export function serverActionRoutes(): Map<string, TableEntry> {
  if (table) return table;
  const built = new Map<string, TableEntry>();
  for (const route of [...BASE_SERVER_ACTIONS, ...ADMIN_SERVER_ACTIONS, ...FLOATING_IP_ACTIONS, ...CONSOLE_SERVER_ACTIONS]) {
    if (built.has(route.key)) throw new Error(`Server action ${route.key} is declared twice`);
    checkCoverage(route.body, COMPUTE_MICROVERSIONS);
    const envelopes = route.body.map((entry) => ({
      ...entry,
      value: entry.value && { type: 'object', properties: { [route.key]: entry.value }, required: [route.key] },
    }));
    built.set(route.key, { route, envelopes });
  }
  const declared = new Set(hostWorkActions());
  const routed = new Set([...built.values()].map((e) => e.route.hostWork));
  const unrouted = [...declared].filter((action) => !routed.has(action));
  if (unrouted.length > 0) throw new Error(`Server actions with host work but no route: ${unrouted.join(', ')}`);
  const undeclared = [...routed].filter((action) => action !== undefined && !declared.has(action));
  if (undeclared.length > 0) throw new Error(`Server action routes naming no host work: ${undeclared.join(', ')}`);
  table = built;
  return built;
}

export function actionDispatchRoute(app: FastifyInstance, api: ComputeApi): void {
  serverActionRoutes();
  app.post<{ Params: { id: string } }>(`${V21}/servers/:id/action`, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw requestErrors.malformedBody();
    const keys = Object.keys(body);
    const name = keys[0];
    if (keys.length !== 1 || name === undefined) throw requestErrors.malformedBody();
    const entry = serverActionRoutes().get(name);
    if (!entry) throw requestErrors.noSuchAction(name);
    const version = versionOf(request);
    const schema = selectForVersion(entry.envelopes, version);
    if (!schema) throw requestErrors.resourceNotFound();
    validateBody(request, schema);
    const call: ActionCall = { api, request, reply, auth, version, req: { auth, serverId: request.params.id, requestId: request.id } };
    // The value its own schema just accepted: the input type the route declared.
    return entry.route.perform(call, (body as Record<string, unknown>)[name] as never);
  });
}
