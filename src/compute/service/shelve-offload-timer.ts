/**
 * Nova's timed shelve offload (`shelved_offload_time` N > 0): a shelved
 * server is offloaded N seconds after it was shelved. Nova's compute manager
 * polls for such servers (`_poll_shelved_instances`); here shelving enqueues
 * one durable task due at that time, so the offload survives restarts and
 * costs nothing while waiting. The task acts only on the shelve that set it
 * (the server's `shelvedAt` still matches): a server unshelved, offloaded by
 * an admin, deleted or shelved again meanwhile is left alone.
 */
import type { TaskKind } from '../../core/tasks/index.js';
import * as store from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import { updateServer } from './server-state.js';
import { TASK, VM } from './states.js';
import type { Server } from '../store/index.js';

export interface OffloadTimerPayload {
  serverId: string;
  shelvedAt: string;
}

/** Thrown while the shelve that set the timer has not finished writing: the queue retries later. */
class ShelveStillRunning extends Error {}

export function defineShelveOffloadTimer(
  runtime: ComputeRuntime,
  offload: (runtime: ComputeRuntime, server: Server) => Promise<Partial<Server>>,
): TaskKind<OffloadTimerPayload> {
  const { deps } = runtime;
  const current = async (serverId: string, shelvedAt: string) => {
    const server = await store.getServer(deps.db, serverId);
    return server && !server.deleted && server.attrs.shelvedAt === shelvedAt ? server : null;
  };
  return deps.tasks.define<OffloadTimerPayload>('compute.shelve-offload-timer', {
    maxAttempts: 5,
    async run(ctx) {
      const { serverId, shelvedAt } = ctx.payload;
      const claimed = await ctx.step('claim', () =>
        runtime.locks.run(serverId, async () => {
          const server = await store.getServer(deps.db, serverId);
          if (server?.taskState === TASK.SHELVING) throw new ShelveStillRunning(`shelve of ${serverId} still finishing`);
          const mine = await current(serverId, shelvedAt);
          if (!mine || mine.vmState !== VM.SHELVED || mine.taskState !== null) return false;
          const saved = await store.saveServer(deps.db, mine, { ...mine, taskState: TASK.SHELVING_OFFLOADING });
          return saved !== null;
        }),
      );
      if (!claimed) return;
      await ctx.step('offload', () =>
        runtime.locks.run(serverId, async () => {
          const server = await current(serverId, shelvedAt);
          if (!server || server.taskState !== TASK.SHELVING_OFFLOADING) return;
          const end = await offload(runtime, server);
          await updateServer(deps.db, serverId, (s) => ({ ...s, ...end, taskState: null }));
        }),
      );
    },
    /** The offload failed for good: the server stays shelved on its host, as after a failed shelveOffload. */
    async onFailure(ctx) {
      const { serverId, shelvedAt } = ctx.payload;
      await runtime.locks.run(serverId, async () => {
        const server = await current(serverId, shelvedAt);
        if (server?.taskState === TASK.SHELVING_OFFLOADING) await updateServer(deps.db, serverId, (s) => ({ ...s, taskState: null }));
      });
    },
  });
}

/** Sets the timer for a shelve that finished at `shelvedAt` (no timer for 0, which offloads at once, nor -1, never). */
export async function startOffloadTimer(runtime: ComputeRuntime, serverId: string, shelvedAt: string): Promise<void> {
  const seconds = runtime.deps.config.shelved_offload_time;
  if (seconds <= 0) return;
  await runtime.deps.tasks.enqueue(runtime.deps.db, {
    kind: runtime.kinds.shelveOffloadTimer,
    payload: { serverId, shelvedAt },
    resourceId: serverId,
    runAfter: new Date(Date.parse(shelvedAt) + seconds * 1000),
  });
}
