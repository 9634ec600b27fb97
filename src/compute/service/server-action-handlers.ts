/**
 * The host work of the actions Tempest's interop list and the CLI use
 * (reboot, os-stop/os-start, pause/unpause, resize + confirm/revert,
 * rebuild, createImage, createBackup), declared once each (HostWork,
 * server-action-task.ts). Each `run` returns the end state; failures revert
 * as server-action-task.ts says.
 */
import { Readable } from 'node:stream';
import { POWER_STATE } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { rotateBackups } from './backups.js';
import { guestSpec } from './build.js';
import { guestCallWork, hostOf } from './guest-actions.js';
import type { HostWork } from './server-action-task.js';
import type { ComputeRuntime } from './runtime.js';
import { flavorSnapshot } from './servers.js';
import { reviveCaller, type StoredCaller } from '../../core/context.js';
import { TASK, VM } from './states.js';
import { guestVolumes, spawnedWith } from './volume-attachments.js';

/** The vm_state that matches what the guest is doing now. */
const settled = (powerState: number): string => (powerState === POWER_STATE.SHUTDOWN ? VM.STOPPED : VM.ACTIVE);

async function interfacesOf(runtime: ComputeRuntime, server: Server) {
  const ports = await runtime.networking.ports(server);
  return ports.map((p) => ({ portId: p.id, mac: p.macAddress }));
}

/** Nova's states for a snapshot (createImage, createBackup). */
const SNAPSHOT_STATES = { vm: [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED], task: [null] };

/** Resize: the move to a host with room for the new flavor (also cold migration's, with `migrationType` and `ignoreHosts`). */
export const resizeWork: HostWork = {
  action: 'resize',
  rule: 'os_compute_api:servers:resize',
  accepts: { vm: [VM.ACTIVE, VM.STOPPED], task: [null] },
  taskState: TASK.RESIZE_PREP,
  event: 'compute_prep_resize',
  async run(runtime, server, payload) {
    const { deps } = runtime;
    const placement = deps.peers.placement();
    const migrationUuid = String(payload.params.migrationUuid);
    const flavor = await store.getFlavor(deps.db, String(payload.params.flavorId));
    if (!flavor) throw new Error(`Flavor ${String(payload.params.flavorId)} could not be found.`);
    const source = hostOf(server);
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

/** createImage: the driver's snapshot uploaded into the queued Glance image (createBackup adds rotation). */
const snapshotWork: HostWork = {
  action: 'createImage',
  rule: 'os_compute_api:servers:create_image',
  accepts: SNAPSHOT_STATES,
  taskState: TASK.IMAGE_SNAPSHOT,
  event: 'compute_snapshot_instance',
  async run(runtime, server, payload) {
    const { deps } = runtime;
    const bytes = await deps.driver.snapshot(hostOf(server), server.id);
    const caller = reviveCaller(payload.params.auth as StoredCaller);
    await deps.peers.image().upload(caller, String(payload.params.imageId), Readable.from([Buffer.from(bytes)]), bytes.length);
    return {};
  },
  async revert(runtime, _server, payload) {
    await runtime.deps.peers
      .image()
      .delete(reviveCaller(payload.params.auth as StoredCaller), String(payload.params.imageId))
      .catch(() => undefined);
    return { vmState: payload.fromVmState };
  },
};

export const SERVER_WORK: HostWork[] = [
  {
    action: 'reboot',
    rule: 'os_compute_api:servers:reboot',
    accepts: {
      vm: [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED, VM.ERROR],
      task: [null, TASK.REBOOTING, 'reboot_pending', 'reboot_started', TASK.REBOOTING_HARD, 'reboot_pending_hard', 'reboot_started_hard'],
    },
    taskState: (params) => (params.type === 'HARD' ? TASK.REBOOTING_HARD : TASK.REBOOTING),
    event: 'compute_reboot_instance',
    async run({ deps }, server, payload) {
      await deps.driver.reboot(hostOf(server), server.id, payload.params.type === 'HARD' ? 'HARD' : 'SOFT');
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING };
    },
  },
  guestCallWork({
    action: 'stop',
    rule: 'os_compute_api:servers:stop',
    accepts: { vm: [VM.ACTIVE, VM.ERROR], task: [null] },
    taskState: TASK.POWERING_OFF,
    event: 'compute_stop_instance',
    notifies: 'compute.instance.power_off.end',
    call: 'powerOff',
    vmState: VM.STOPPED,
  }),
  guestCallWork({
    action: 'start',
    rule: 'os_compute_api:servers:start',
    accepts: { vm: [VM.STOPPED], task: [null] },
    taskState: TASK.POWERING_ON,
    event: 'compute_start_instance',
    notifies: 'compute.instance.power_on.end',
    call: 'powerOn',
    vmState: VM.ACTIVE,
  }),
  guestCallWork({
    action: 'pause',
    rule: 'os_compute_api:os-pause-server:pause',
    accepts: { vm: [VM.ACTIVE], task: [null] },
    taskState: TASK.PAUSING,
    event: 'compute_pause_instance',
    call: 'pause',
    vmState: VM.PAUSED,
  }),
  guestCallWork({
    action: 'unpause',
    rule: 'os_compute_api:os-pause-server:unpause',
    accepts: { vm: [VM.PAUSED], task: [null] },
    taskState: TASK.UNPAUSING,
    event: 'compute_unpause_instance',
    call: 'unpause',
    vmState: VM.ACTIVE,
  }),
  resizeWork,
  {
    action: 'confirmResize',
    rule: 'os_compute_api:servers:confirm_resize',
    accepts: { vm: [VM.RESIZED], task: [null] },
    taskState: TASK.RESIZE_CONFIRMING,
    event: 'compute_confirm_resize',
    async run({ deps }, server) {
      const { oldFlavor, migrationUuid, resizeSourceHost, flavor } = server.attrs;
      if (resizeSourceHost) await deps.driver.confirmResize(resizeSourceHost, hostOf(server), server.id);
      if (migrationUuid) {
        await deps.peers.placement().deleteAllocations(migrationUuid);
        await store.setMigrationStatus(deps.db, migrationUuid, 'confirmed');
      }
      if (oldFlavor) {
        await deps.db.transaction().execute((trx) =>
          deps.quota.release(trx, server.projectId, {
            cores: Math.max(0, oldFlavor.vcpus - flavor.vcpus),
            ram: Math.max(0, oldFlavor.memoryMb - flavor.memoryMb),
          }),
        );
      }
      return { vmState: settled(server.powerState), attrs: { ...server.attrs, oldFlavor: null, migrationUuid: null, resizeSourceHost: null } };
    },
  },
  {
    action: 'revertResize',
    rule: 'os_compute_api:servers:revert_resize',
    accepts: { vm: [VM.RESIZED], task: [null] },
    taskState: TASK.RESIZE_REVERTING,
    event: 'compute_revert_resize',
    async run({ deps }, server) {
      const { oldFlavor, migrationUuid, resizeSourceHost, flavor } = server.attrs;
      if (!oldFlavor || !migrationUuid || !resizeSourceHost) throw new Error(`Instance ${server.id} has no resize to revert`);
      await deps.driver.revertResize(resizeSourceHost, hostOf(server), server.id);
      const placement = deps.peers.placement();
      if (Object.keys(await placement.getAllocations(migrationUuid)).length > 0) {
        await placement.deleteAllocations(server.id);
        await placement.moveAllocations(migrationUuid, server.id);
      }
      await store.setMigrationStatus(deps.db, migrationUuid, 'reverted');
      await deps.db.transaction().execute((trx) =>
        deps.quota.release(trx, server.projectId, {
          cores: Math.max(0, flavor.vcpus - oldFlavor.vcpus),
          ram: Math.max(0, flavor.memoryMb - oldFlavor.memoryMb),
        }),
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
  },
  {
    action: 'rebuild',
    rule: 'os_compute_api:servers:rebuild',
    accepts: { vm: [VM.ACTIVE, VM.STOPPED, VM.ERROR], task: [null] },
    taskState: TASK.REBUILDING,
    event: 'compute_rebuild_instance',
    async run(runtime, server, payload) {
      const { deps } = runtime;
      const where = hostOf(server);
      const interfaces = await interfacesOf(runtime, server);
      await deps.driver.destroy(where, server.id);
      await deps.driver.spawn(where, guestSpec(server, interfaces, { volumes: await guestVolumes(runtime, server, where), configDrive: null }));
      await spawnedWith(runtime, server);
      // As Nova's rebuild_instance: a server rebuilt while stopped is powered off again and stays SHUTOFF.
      if (payload.fromVmState === VM.STOPPED) {
        await deps.driver.powerOff(where, server.id);
        return { vmState: VM.STOPPED, powerState: POWER_STATE.SHUTDOWN };
      }
      return { vmState: VM.ACTIVE, powerState: POWER_STATE.RUNNING };
    },
    async revert() {
      return { vmState: VM.ERROR };
    },
  },
  snapshotWork,
  {
    ...snapshotWork,
    action: 'createBackup',
    rule: 'os_compute_api:os-create-backup',
    event: 'compute_backup_instance',
    async run(runtime, server, payload, ctx) {
      const end = await snapshotWork.run(runtime, server, payload, ctx);
      await rotateBackups(
        runtime,
        server.id,
        reviveCaller(payload.params.auth as StoredCaller),
        String(payload.params.backupType),
        Number(payload.params.rotation),
      );
      return end;
    },
  },
];
