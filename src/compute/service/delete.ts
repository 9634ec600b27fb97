/**
 * Deleting a server, as a durable task: destroy the domain, release ports
 * and the Placement allocation, then mark the row deleted and give the quota
 * back in one transaction. Every step tolerates what is already gone, so it
 * also finishes a half-done build and survives a restart.
 */
import type { TaskKind } from '../../core/tasks/index.js';
import { nowIso } from '../../core/time.js';
import { POWER_STATE } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { ComputeRuntime, ServerTaskPayload } from './runtime.js';
import { VM } from './states.js';
import { publishInstanceEvent } from './notifications.js';
import { releaseBlockDevices } from './boot-volumes.js';
import { releaseVolumes } from './volume-attachments.js';
import { destroyGuest } from './agent-driver.js';

export function defineDeleteTask(runtime: ComputeRuntime): TaskKind<ServerTaskPayload> {
  const { deps } = runtime;
  return deps.tasks.define<ServerTaskPayload>('compute.delete', {
    maxAttempts: 10,
    async run(ctx) {
      const { serverId, requestId } = ctx.payload;
      await runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted) return;
        await runtime.actions.event(serverId, requestId, 'compute_terminate_instance', server.host, async () => {
          await releaseBlockDevices(runtime, server, false);
          await releaseVolumes(runtime, server);
          if (server.host) await destroyGuest(deps, server.host, serverId);
          if (server.attrs.resizeSourceHost) await destroyGuest(deps, server.attrs.resizeSourceHost, serverId);
          await runtime.networking.deallocate(server);
          const placement = deps.peers.placementIfPresent();
          if (placement) {
            await placement.deleteAllocations(serverId);
            if (server.attrs.migrationUuid) await placement.deleteAllocations(server.attrs.migrationUuid);
          }
          await markDeleted(runtime, serverId);
        });
        await runtime.actions.finish(serverId, requestId, false);
      });
    },
  });
}

async function markDeleted(runtime: ComputeRuntime, serverId: string): Promise<void> {
  const { deps } = runtime;
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const current = await store.getServer(trx, serverId);
    if (!current || current.deleted) return null;
    const now = nowIso();
    const saved = await store.saveServer(trx, current, {
      ...current,
      vmState: VM.DELETED,
      taskState: null,
      powerState: POWER_STATE.NOSTATE,
      deleted: true,
      deletedAt: now,
      attrs: { ...current.attrs, terminatedAt: now },
    });
    if (!saved) throw new Error(`Instance ${serverId} changed while being deleted; retrying`);
    const flavor = current.attrs.flavor;
    // During a resize the larger of the two flavors is held.
    const old = current.attrs.oldFlavor;
    await deps.quota.release(trx, current.projectId, {
      instances: 1,
      cores: Math.max(flavor.vcpus, old?.vcpus ?? 0),
      ram: Math.max(flavor.memoryMb, old?.memoryMb ?? 0),
    });
    await store.removeGroupMember(trx, serverId);
    return saved;
  });
  if (deleted) publishInstanceEvent(deps.events, 'compute.instance.delete.end', deleted);
}
