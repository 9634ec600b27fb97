/**
 * POST /servers/{id}/action dispatches on the body's single key. Each action
 * file registers its handlers here, so adding actions never edits another
 * action's file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import type { ActionRequest } from '../service/server-actions.js';
import { versionOf, V21, type ComputeApi } from './context.js';

export interface ActionCall {
  api: ComputeApi;
  request: FastifyRequest<{ Params: { id: string } }>;
  reply: FastifyReply;
  auth: CallerContext;
  version: Microversion;
  /** The value under the action's key. */
  body: unknown;
  /** What service operations take: caller, server id, request id. */
  req: ActionRequest;
}

export type ActionRoute = (call: ActionCall) => Promise<unknown>;

const ROUTES = new Map<string, ActionRoute>();

export function registerServerActions(routes: Record<string, ActionRoute>): void {
  for (const [name, route] of Object.entries(routes)) ROUTES.set(name, route);
}

export function actionDispatchRoute(app: FastifyInstance, api: ComputeApi): void {
  app.post<{ Params: { id: string } }>(`${V21}/servers/:id/action`, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('Malformed request body');
    const keys = Object.keys(body);
    const name = keys[0];
    if (keys.length !== 1 || name === undefined) throw new BadRequest('Malformed request body');
    const route = ROUTES.get(name);
    if (!route) throw new BadRequest(`There is no such action: ${name}`);
    return route({
      api,
      request,
      reply,
      auth,
      version: versionOf(request),
      body: (body as Record<string, unknown>)[name],
      req: { auth, serverId: request.params.id, requestId: request.id },
    });
  });
}
