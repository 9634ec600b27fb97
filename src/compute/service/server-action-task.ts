/**
 * Server actions that take host work (reboot, stop, resize, snapshot...) as
 * one durable task kind: the API checks the state, sets the task_state by
 * compare-and-swap and enqueues `{action, params}`; the handler for the
 * action does the driver work and returns the end state. On failure the
 * handler's `revert` (or the default: back to the vm_state the action
 * started from, task_state cleared) runs and a fault is recorded, as Nova's
 * `reverts_task_state` and `wrap_instance_fault`. Handlers live beside the
 * actions (server-actions*.ts) and register here by name.
 */
import { PermanentTaskError, type TaskKind, type TaskRunContext } from '../../core/tasks/index.js';
import { DriverError } from '../drivers/errors.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import { fault, updateServer } from './server-state.js';

export interface ActionPayload {
  serverId: string;
  requestId: string;
  action: string;
  /** The vm_state the action started from (restored on failure). */
  fromVmState: string;
  params: Record<string, unknown>;
}

export interface ActionHandler {
  /** Nova's event name for the action record, e.g. `compute_reboot_instance`. */
  event: string;
  /** Does the host work; returns the server's end state (task_state is cleared by the caller). */
  run(runtime: ComputeRuntime, server: Server, payload: ActionPayload, ctx: TaskRunContext<ActionPayload>): Promise<Partial<Server>>;
  /** Undoes what `run` left half done; the default restores `fromVmState`. */
  revert?(runtime: ComputeRuntime, server: Server, payload: ActionPayload): Promise<Partial<Server>>;
}

const HANDLERS = new Map<string, ActionHandler>();

/** Registers the handler of `action`; every server in the process (tests start several) registers the same ones. */
export function registerActionHandler(action: string, handler: ActionHandler): void {
  const existing = HANDLERS.get(action);
  if (existing && existing.event !== handler.event) throw new Error(`Two different handlers for server action ${action}`);
  HANDLERS.set(action, handler);
}

export function defineActionTask(runtime: ComputeRuntime): TaskKind<ActionPayload> {
  const { deps } = runtime;
  return deps.tasks.define<ActionPayload>('compute.action', {
    maxAttempts: 3,
    async run(ctx) {
      const { serverId, requestId, action } = ctx.payload;
      const handler = HANDLERS.get(action);
      if (!handler) throw new PermanentTaskError(`No handler for server action ${action}`);
      const done = await ctx.step('run', () =>
        runtime.locks.run(serverId, async () => {
          const server = await store.getServer(deps.db, serverId);
          if (!server || server.deleted) return false;
          try {
            const end = await runtime.actions.event(serverId, requestId, handler.event, server.host, () => handler.run(runtime, server, ctx.payload, ctx));
            await updateServer(deps.db, serverId, (s) => ({ ...s, ...end, taskState: null, attrs: { ...s.attrs, ...(end.attrs ?? {}) } }));
            return true;
          } catch (error) {
            if (error instanceof DriverError) throw new PermanentTaskError(error.message, { cause: error });
            throw error;
          }
        }),
      );
      await runtime.actions.finish(serverId, requestId, !done);
    },
    async onFailure(ctx, error) {
      const { serverId, requestId, action, fromVmState } = ctx.payload;
      const handler = HANDLERS.get(action);
      await runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted) return;
        const end = handler?.revert ? await handler.revert(runtime, server, ctx.payload) : { vmState: fromVmState };
        const cause = (error as Error & { cause?: unknown }).cause ?? error;
        await updateServer(deps.db, serverId, (s) => ({ ...s, ...end, taskState: null, attrs: { ...s.attrs, ...(end.attrs ?? {}), fault: fault(cause) } }));
      });
      await runtime.actions.finish(serverId, requestId, true);
    },
  });
}
