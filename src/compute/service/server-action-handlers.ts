/**
 * Host work of the actions in server-actions.ts, registered with the action
 * task. Each returns the end state; failures revert as server-action-task.ts says.
 */
import { Readable } from 'node:stream';
import { POWER_STATE } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { rotateBackups } from './backups.js';
import { guestSpec } from './build.js';
import { registerActionHandler, type ActionHandler } from './server-action-task.js';
import type { ComputeRuntime } from './runtime.js';
import { flavorSnapshot } from './servers.js';
import { reviveCaller, type StoredCaller } from '../../core/context.js';
import { VM } from './states.js';

const host = (server: Server): string => {
  if (!server.host) throw new Error(`Instance ${server.id} has no host`);
  return server.host;
};

/** The vm_state that matches what the guest is doing now. */
const settled = (powerState: number): string => (powerState === POWER_STATE.SHUTDOWN ? VM.STOPPED : VM.ACTIVE);

async function interfacesOf(runtime: ComputeRuntime, server: Server) {
  const ports = await runtime.networking.ports(server);
  return ports.map((p) => ({ portId: p.id, mac: p.macAddress }));
}

/** Resize: the move to a host with room for the new flavor (also cold migration's, with `migrationType` and `ignoreHosts`). */
export const resizeHandler: ActionHandler = {
  event: 'compute_prep_resize',
  async run(runtime, server, payload) {
    const { deps } = runtime;
    const placement = deps.peers.placement();
    const migrationUuid = String(payload.params.migrationUuid);
    const flavor = await store.getFlavor(deps.db, String(payload.params.flavorId));
    if (!flavor) throw new Error(`Flavor ${String(payload.params.flavorId)} could not be found.`);
    const source = host(server);
    await store.insertMigration(deps.db, {
      uuid: migrationUuid,
      instance_uuid: server.id,
      // Cold migration (service/moves.ts) is this same move with the flavor kept.
      migration_type: (payload.params.migrationType as string | undefined) ?? 'resize',
      status: 'pre-migrating',
      source_compute: source,
      dest_compute: null,
      source_node: source,
      dest_node: null,
      old_flavor_id: server.flavorId,
      new_flavor_id: flavor.id,
      project_id: server.projectId,
      user_id: server.userId,
    });
    // The migration holds the old allocation while the server claims the new one (Nova's migration-based allocations).
    if (Object.keys(await placement.getAllocations(migrationUuid)).length === 0) await placement.moveAllocations(server.id, migrationUuid);
    const next = { ...server, attrs: { ...server.attrs, flavor: flavorSnapshot(flavor) } };
    const held = await placement.getAllocations(server.id);
    const services = await store.listServices(deps.db);
    const heldOn = services.find((s) => s.nodeUuid in held);
    const dest = heldOn
      ? { host: heldOn.host, nodeUuid: heldOn.nodeUuid }
      : await runtime.scheduler.selectAndClaim(
          {
            consumerUuid: server.id,
            serverId: server.id,
            projectId: server.projectId,
            userId: server.userId,
            flavor: next.attrs.flavor,
            availabilityZone: server.attrs.availabilityZone,
            group: null,
            sameHost: [],
            differentHost: [],
            ignoreHosts: (payload.params.ignoreHosts as string[] | undefined) ?? [],
          },
          async () => undefined,
        );
    await store.setMigrationStatus(deps.db, migrationUuid, 'migrating', { dest_compute: dest.host, dest_node: dest.host });
    await deps.driver.resize(source, dest.host, guestSpec(next, await interfacesOf(runtime, server)));
    await store.setMigrationStatus(deps.db, migrationUuid, 'finished');
    const info = await deps.driver.info(dest.host, server.id);
    return {
      vmState: VM.RESIZED,
      powerState: info.powerState,
      host: dest.host,
      node: dest.nodeUuid,
      flavorId: flavor.id,
      attrs: { ...server.attrs, flavor: next.attrs.flavor, oldFlavor: server.attrs.flavor, migrationUuid, resizeSourceHost: source },
    };
  },
  async revert({ deps }, server, payload) {
    const placement = deps.peers.placementIfPresent();
    const migrationUuid = String(payload.params.migrationUuid);
    if (placement && Object.keys(await placement.getAllocations(migrationUuid)).length > 0) {
      await placement.deleteAllocations(server.id);
      await placement.moveAllocations(migrationUuid, server.id);
    }
    await store.setMigrationStatus(deps.db, migrationUuid, 'error');
    const flavor = await store.getFlavor(deps.db, String(payload.params.flavorId));
    if (flavor) {
      await deps.db.transaction().execute((trx) =>
        deps.quota.release(trx, server.projectId, {
          cores: Math.max(0, flavor.vcpus - server.attrs.flavor.vcpus),
          ram: Math.max(0, flavor.memoryMb - server.attrs.flavor.memoryMb),
        }),
      );
    }
    return { vmState: payload.fromVmState };
  },
};

export function registerServerActionHandlers(): void {
  registerActionHandler('reboot', {
    event: 'compute_reboot_instance',
    async run({ deps }, server, payload) {
      await deps.driver.reboot(host(server), server.id, payload.params.type === 'HARD' ? 'HARD' : 'SOFT');
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING };
    },
  });
  registerActionHandler('stop', {
    event: 'compute_stop_instance',
    async run({ deps }, server) {
      await deps.driver.powerOff(host(server), server.id);
      return { vmState: VM.STOPPED, powerState: POWER_STATE.SHUTDOWN };
    },
  });
  registerActionHandler('start', {
    event: 'compute_start_instance',
    async run({ deps }, server) {
      await deps.driver.powerOn(host(server), server.id);
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING };
    },
  });
  registerActionHandler('pause', {
    event: 'compute_pause_instance',
    async run({ deps }, server) {
      await deps.driver.pause(host(server), server.id);
      return { vmState: VM.PAUSED, powerState: POWER_STATE.PAUSED };
    },
  });
  registerActionHandler('unpause', {
    event: 'compute_unpause_instance',
    async run({ deps }, server) {
      await deps.driver.unpause(host(server), server.id);
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING };
    },
  });

  registerActionHandler('resize', resizeHandler);

  registerActionHandler('confirmResize', {
    event: 'compute_confirm_resize',
    async run({ deps }, server) {
      const { oldFlavor, migrationUuid, resizeSourceHost, flavor } = server.attrs;
      if (resizeSourceHost) await deps.driver.confirmResize(resizeSourceHost, server.id);
      if (migrationUuid) {
        await deps.peers.placement().deleteAllocations(migrationUuid);
        await store.setMigrationStatus(deps.db, migrationUuid, 'confirmed');
      }
      if (oldFlavor) {
        await deps.db.transaction().execute((trx) =>
          deps.quota.release(trx, server.projectId, { cores: Math.max(0, oldFlavor.vcpus - flavor.vcpus), ram: Math.max(0, oldFlavor.memoryMb - flavor.memoryMb) }),
        );
      }
      return { vmState: settled(server.powerState), attrs: { ...server.attrs, oldFlavor: null, migrationUuid: null, resizeSourceHost: null } };
    },
  });

  registerActionHandler('revertResize', {
    event: 'compute_revert_resize',
    async run({ deps }, server) {
      const { oldFlavor, migrationUuid, resizeSourceHost, flavor } = server.attrs;
      if (!oldFlavor || !migrationUuid || !resizeSourceHost) throw new Error(`Instance ${server.id} has no resize to revert`);
      await deps.driver.revertResize(resizeSourceHost, host(server), server.id);
      const placement = deps.peers.placement();
      if (Object.keys(await placement.getAllocations(migrationUuid)).length > 0) {
        await placement.deleteAllocations(server.id);
        await placement.moveAllocations(migrationUuid, server.id);
      }
      await store.setMigrationStatus(deps.db, migrationUuid, 'reverted');
      await deps.db.transaction().execute((trx) =>
        deps.quota.release(trx, server.projectId, { cores: Math.max(0, flavor.vcpus - oldFlavor.vcpus), ram: Math.max(0, flavor.memoryMb - oldFlavor.memoryMb) }),
      );
      const source = (await store.getServiceByHost(deps.db, resizeSourceHost))?.nodeUuid ?? server.node;
      const info = await deps.driver.info(resizeSourceHost, server.id);
      return {
        vmState: settled(info.powerState),
        powerState: info.powerState,
        host: resizeSourceHost,
        node: source,
        flavorId: oldFlavor.id,
        attrs: { ...server.attrs, flavor: oldFlavor, oldFlavor: null, migrationUuid: null, resizeSourceHost: null },
      };
    },
  });

  registerActionHandler('rebuild', {
    event: 'compute_rebuild_instance',
    async run(runtime, server) {
      const { deps } = runtime;
      const where = host(server);
      const interfaces = await interfacesOf(runtime, server);
      await deps.driver.destroy(where, server.id);
      await deps.driver.spawn(where, guestSpec(server, interfaces));
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING, attrs: { ...server.attrs, launchedAt: server.attrs.launchedAt } };
    },
    async revert() {
      return { vmState: VM.ERROR };
    },
  });

  const snapshotHandler = {
    event: 'compute_snapshot_instance',
    async run(runtime: ComputeRuntime, server: Server, payload: { params: Record<string, unknown> }) {
      const { deps } = runtime;
      const bytes = await deps.driver.snapshot(host(server), server.id);
      const image = deps.peers.image();
      const ctx = image.context(reviveCaller(payload.params.auth as StoredCaller));
      await image.data.upload(ctx, String(payload.params.imageId), Readable.from([Buffer.from(bytes)]), { size: bytes.length });
      return {};
    },
    async revert(runtime: ComputeRuntime, _server: Server, payload: { fromVmState: string; params: Record<string, unknown> }) {
      const image = runtime.deps.peers.image();
      const ctx = image.context(reviveCaller(payload.params.auth as StoredCaller));
      await image.images.delete(ctx, String(payload.params.imageId)).catch(() => undefined);
      return { vmState: payload.fromVmState };
    },
  };
  registerActionHandler('createImage', snapshotHandler);
  registerActionHandler('createBackup', {
    ...snapshotHandler,
    event: 'compute_backup_instance',
    async run(runtime, server, payload) {
      const end = await snapshotHandler.run(runtime, server, payload);
      await rotateBackups(runtime, server.id, reviveCaller(payload.params.auth as StoredCaller), String(payload.params.backupType), Number(payload.params.rotation));
      return end;
    },
  });
}
