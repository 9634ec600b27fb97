/**
 * Nova's deferred delete (`reclaim_instance_interval` N > 0): DELETE powers
 * the guest off and leaves the server SOFT_DELETED, holding its host, ports
 * and quota; `restore` powers it on again, `forceDelete` deletes it at once,
 * and N seconds after the soft delete it is reclaimed (deleted). Nova's
 * compute manager polls for servers due (`_reclaim_queued_deletes`); here
 * the soft delete enqueues one durable task due at that time, which acts only
 * on the soft delete that set it (`softDeletedAt` still matches).
 */
import type { TaskKind } from '../../core/tasks/index.js';
import { nowIso } from '../../core/time.js';
import { POWER_STATE } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { ComputeRuntime, ServerTaskPayload } from './runtime.js';
import type { HostWork } from './server-action-task.js';
import { updateServer } from './server-state.js';
import { TASK, VM } from './states.js';
import { guestCallWork } from './guest-actions.js';

export interface ReclaimPayload extends ServerTaskPayload {
  softDeletedAt: string;
}

/** Powers the guest off and marks the server SOFT_DELETED, then sets the reclaim timer. */
export function defineSoftDeleteTask(runtime: ComputeRuntime): TaskKind<ServerTaskPayload> {
  const { deps } = runtime;
  return deps.tasks.define<ServerTaskPayload>('compute.soft-delete', {
    maxAttempts: 5,
    async run(ctx) {
      const { serverId, requestId } = ctx.payload;
      await runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted || server.taskState !== TASK.SOFT_DELETING) return;
        await runtime.actions.event(serverId, requestId, 'compute_soft_delete_instance', server.host, async () => {
          if (server.host) await deps.driver.powerOff(server.host, serverId);
        });
        const softDeletedAt = nowIso();
        await deps.db.transaction().execute(async (trx) => {
          await updateServer(trx, serverId, (s) => ({
            ...s,
            vmState: VM.SOFT_DELETED,
            taskState: null,
            powerState: POWER_STATE.SHUTDOWN,
            attrs: { ...s.attrs, softDeletedAt },
          }));
          const due = new Date(Date.parse(softDeletedAt) + deps.config.reclaim_instance_interval * 1000);
          await deps.tasks.enqueue(trx, { kind: runtime.kinds.reclaim, payload: { serverId, requestId, softDeletedAt }, resourceId: serverId, runAfter: due });
        });
        await runtime.actions.finish(serverId, requestId, false);
      });
      deps.tasks.wake();
    },
    /** The power off failed for good: the server is left as it was, its delete undone (as Nova's failed soft delete). */
    async onFailure(ctx) {
      await updateServer(deps.db, ctx.payload.serverId, (s) => ({ ...s, taskState: null }));
    },
  });
}

/** Deletes a server still soft deleted by the delete that set this timer. */
export function defineReclaimTask(runtime: ComputeRuntime): TaskKind<ReclaimPayload> {
  const { deps } = runtime;
  return deps.tasks.define<ReclaimPayload>('compute.reclaim', {
    maxAttempts: 5,
    async run(ctx) {
      const { serverId, requestId, softDeletedAt } = ctx.payload;
      await runtime.locks.run(serverId, async () => {
        await deps.db.transaction().execute(async (trx) => {
          const server = await store.getServer(trx, serverId);
          if (!server || server.deleted || server.vmState !== VM.SOFT_DELETED || server.taskState !== null) return;
          if (server.attrs.softDeletedAt !== softDeletedAt) return;
          if (!(await store.saveServer(trx, server, { ...server, taskState: TASK.DELETING }))) return;
          await deps.tasks.enqueue(trx, { kind: runtime.kinds.delete, payload: { serverId, requestId }, resourceId: serverId });
        });
      });
      deps.tasks.wake();
    },
  });
}

export const SOFT_DELETE_WORK: HostWork[] = [
  guestCallWork({
    action: 'restore',
    rule: 'os_compute_api:os-deferred-delete:restore',
    accepts: { vm: [VM.SOFT_DELETED], task: [null] },
    taskState: TASK.RESTORING,
    event: 'compute_restore_instance',
    call: 'powerOn',
    vmState: VM.ACTIVE,
  }),
];
