/**
 * The host work of server actions (reboot, stop, resize, snapshot...), each
 * declared once as a `HostWork`: policy rule, accepted vm/task states, the
 * task_state it sets, the instance action it records, Nova's event name, the
 * work and its end state. ServerActionOps.start admits an action from its
 * declaration (policy, lock, states, task_state compare-and-swap, action
 * record, durable task), and the one task kind below, `compute.action`, runs
 * it. The declarations live by family (server-action-handlers.ts,
 * guest-actions.ts, rescue.ts, shelve.ts, moves.ts) and are gathered in
 * server-action-table.ts; the request side (body key, schema, reply) is
 * api/server-actions*.ts.
 *
 * On failure the work's `revert` (or the default: back to the vm_state the
 * action started from, task_state cleared) runs and a fault is recorded, as
 * Nova's `reverts_task_state` and `wrap_instance_fault`.
 */
import { PermanentTaskError, type TaskKind, type TaskRunContext } from '../../core/tasks/index.js';
import { DriverError } from '../drivers/errors.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import { publishInstanceEvent, type InstanceEventType } from './notifications.js';
import { fault, updateServer } from './server-state.js';
import { hostWorkNamed } from './server-action-table.js';
import type { AcceptedStates } from './states.js';

export interface ActionPayload {
  serverId: string;
  requestId: string;
  action: string;
  /** The vm_state the action started from (restored on failure). */
  fromVmState: string;
  params: Record<string, unknown>;
}

/** An action's host work and the check that admits it (ServerActionOps.start). */
export interface HostWork {
  /** The action's name in state checks, 409 messages and the task payload, e.g. `stop` for `os-stop`. */
  action: string;
  rule: string;
  accepts: AcceptedStates;
  /** The task_state set when the action is admitted; from the params when it depends on them (reboot). */
  taskState: string | null | ((params: Record<string, unknown>) => string | null);
  /** The instance action's name (os-instance-actions) when it is not `action`, e.g. `live-migration`. */
  recordAs?: string;
  /** Nova's event name for the action record, e.g. `compute_reboot_instance`. */
  event: string;
  /** The notification Nova sends once the work is done, if any (`compute.instance.power_off.end` for stop). */
  notifies?: InstanceEventType;
  /** Does the host work; returns the server's end state (task_state is cleared by the task). */
  run(runtime: ComputeRuntime, server: Server, payload: ActionPayload, ctx: TaskRunContext<ActionPayload>): Promise<Partial<Server>>;
  /** Undoes what `run` left half done; the default restores `fromVmState`. */
  revert?(runtime: ComputeRuntime, server: Server, payload: ActionPayload): Promise<Partial<Server>>;
}

export function defineActionTask(runtime: ComputeRuntime): TaskKind<ActionPayload> {
  const { deps } = runtime;
  return deps.tasks.define<ActionPayload>('compute.action', {
    maxAttempts: 3,
    async run(ctx) {
      const { serverId, requestId, action } = ctx.payload;
      const work = hostWorkNamed(action);
      if (!work) throw new PermanentTaskError(`No handler for server action ${action}`);
      const done = await ctx.step('run', () =>
        runtime.locks.run(serverId, async () => {
          const server = await store.getServer(deps.db, serverId);
          if (!server || server.deleted) return false;
          try {
            const end = await runtime.actions.event(serverId, requestId, work.event, server.host, () => work.run(runtime, server, ctx.payload, ctx));
            const saved = await updateServer(deps.db, serverId, (s) => ({ ...s, ...end, taskState: null, attrs: { ...s.attrs, ...(end.attrs ?? {}) } }));
            if (work.notifies) publishInstanceEvent(deps.events, work.notifies, saved);
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
      const work = hostWorkNamed(action);
      await runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted) return;
        const end = work?.revert ? await work.revert(runtime, server, ctx.payload) : { vmState: fromVmState };
        const cause = (error as Error & { cause?: unknown }).cause ?? error;
        await updateServer(deps.db, serverId, (s) => ({ ...s, ...end, taskState: null, attrs: { ...s.attrs, ...(end.attrs ?? {}), fault: fault(cause) } }));
      });
      await runtime.actions.finish(serverId, requestId, true);
    },
  });
}
