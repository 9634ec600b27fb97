/**
 * The request side of a server action (POST /servers/{id}/action): its body
 * key, the JSON schema of its value per microversion range, and what it
 * does and answers. The dispatch is action-registry.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { Microversion, VersionedEntry } from '../../core/microversions.js';
import type { ActionRequest } from '../service/server-actions.js';
import type { ComputeApi } from './context.js';

import type { BodySchema } from '../../core/http/versioned-body.js';

export type { BodySchema };

export interface ActionCall {
  api: ComputeApi;
  request: FastifyRequest<{ Params: { id: string } }>;
  reply: FastifyReply;
  auth: CallerContext;
  version: Microversion;
  /** What service operations take: caller, server id, request id. */
  req: ActionRequest;
}

export interface ServerActionRoute<Input = unknown> {
  /** The body's single key, e.g. `os-start`. */
  key: string;
  /**
   * The JSON schema of the value under `key`, per microversion range from
   * 2.1 to the maximum (no gap, no overlap); `null` where the action does not
   * exist yet (404, as Nova's unversioned action).
   */
  body: VersionedEntry<BodySchema | null>[];
  /** The HostWork this action admits (service/server-action-table.ts), if any. */
  hostWork?: string;
  /** Does the action with the schema-valid value and sends (or returns) the reply. */
  perform(call: ActionCall, input: Input): Promise<unknown>;
}

/**
 * A route of the table: `perform` takes the value its own schema admits.
 * Erased to `never` so routes of different inputs share one table; the
 * dispatch passes each only a value its schema accepted.
 */
export function actionRoute<Input>(route: ServerActionRoute<Input>): ServerActionRoute<never> {
  return route as ServerActionRoute<never>;
}
