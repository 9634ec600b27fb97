/**
 * Moving a server between hosts (admin): cold migration (the resize move
 * with the flavor kept: VERIFY_RESIZE, then confirmResize/revertResize),
 * live migration (the running or paused guest moves; 2.30 `force` skips the
 * scheduler's checks of the named host) and evacuation (the guest is rebuilt
 * elsewhere because its host is down). Each leaves an os-migrations record;
 * Placement allocations move as Nova's do: the source allocation is held by
 * the migration's uuid while the server claims the destination.
 */
import { uuid } from '../../core/ids.js';
import { POWER_STATE } from '../drivers/driver.js';
import { DriverError } from '../drivers/errors.js';
import { hostErrors, migrationErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeService, Server } from '../store/index.js';
import { guestSpec } from './build.js';
import { hostOf } from './guest-actions.js';
import type { ComputeRuntime } from './runtime.js';
import type { Destination } from './scheduler.js';
import { resizeWork } from './server-action-handlers.js';
import type { ActionPayload, HostWork } from './server-action-task.js';
import type { ActionRequest, ServerActionOps } from './server-actions.js';
import { reviveCaller, storeCaller, type StoredCaller } from '../../core/context.js';
import type { ServerOps } from './servers.js';
import { TASK, VM } from './states.js';
import { generatedPassword } from './passwords.js';
import { destroyGuest } from './agent-driver.js';

export interface LiveMigrateRequest {
  host: string | null;
  /** 2.30-2.67: place on `host` without the scheduler's checks. */
  force: boolean;
}

export class MoveOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
    private readonly actions: ServerActionOps,
  ) {}

  /** Cold migration, to `host` when given (2.56) else wherever the scheduler says, never the current host. */
  async migrate(req: ActionRequest, host: string | null): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-migrate-server:migrate');
    if (host !== null) {
      await this.#service(host, hostErrors.computeHostNotFound);
      if (host === server.host) throw migrationErrors.toSameHost();
    }
    await this.actions.start(req, 'migrate', {
      params: { flavorId: server.flavorId, migrationUuid: uuid(), migrationType: 'migration', ignoreHosts: await this.#ignoring(server, host) },
    });
  }

  async liveMigrate(req: ActionRequest, request: LiveMigrateRequest): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-migrate-server:migrate_live');
    if (request.host !== null) {
      await this.#service(request.host, hostErrors.liveMigrateHostNotFound);
      if (request.host === server.host) throw migrationErrors.toSelf(server.id, request.host);
    }
    await this.actions.start(req, 'os-migrateLive', {
      params: { migrationUuid: uuid(), host: request.host, force: request.force, ignoreHosts: await this.#ignoring(server, request.host) },
    });
  }

  /**
   * Rebuilds the server on another host because its own is down (forced
   * down or its service gone). Returns the admin password (given or made).
   */
  async evacuate(req: ActionRequest, request: { host: string | null; adminPass: string | null; force: boolean }): Promise<string> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-evacuate');
    const source = server.host ? await store.getServiceByHost(this.runtime.deps.db, server.host) : null;
    if (source && this.runtime.liveness.isUp(source)) throw migrationErrors.sourceServiceInUse(source.host);
    if (request.host !== null) {
      await this.#service(request.host, hostErrors.evacuateHostNotFound);
      if (request.host === server.host) throw migrationErrors.evacuateToSameHost();
    }
    const password = request.adminPass ?? generatedPassword();
    await this.actions.start(req, 'evacuate', {
      params: {
        migrationUuid: uuid(),
        host: request.host,
        force: request.force,
        password,
        auth: storeCaller(req.auth),
        ignoreHosts: await this.#ignoring(server, request.host),
      },
    });
    return password;
  }

  async #service(host: string, missing: (host: string) => Error): Promise<ComputeService> {
    const service = await store.getServiceByHost(this.runtime.deps.db, host);
    if (!service) throw missing(host);
    return service;
  }

  /** Hosts the scheduler must not pick: the current one, and every other when a destination is named. */
  async #ignoring(server: Server, host: string | null): Promise<string[]> {
    const all = (await store.listServices(this.runtime.deps.db)).map((s) => s.host);
    return all.filter((h) => h === server.host || (host !== null && h !== host));
  }
}

/**
 * The destination's claim for the server (consumer = server), the source
 * allocation kept by the migration. `force` claims on the named host
 * without the scheduler's filters, as Nova's forced moves do.
 */
async function claimDestination(runtime: ComputeRuntime, server: Server, payload: ActionPayload): Promise<Destination> {
  const { deps } = runtime;
  const placement = deps.peers.placement();
  const services = await store.listServices(deps.db);
  const held = await placement.getAllocations(server.id);
  const heldOn = services.find((s) => s.nodeUuid in held && s.host !== server.host);
  if (heldOn) return { host: heldOn.host, nodeUuid: heldOn.nodeUuid };
  const named = payload.params.host as string | null;
  if (payload.params.force === true && named !== null) {
    const target = services.find((s) => s.host === named);
    if (!target) throw new Error(`Compute host ${named} could not be found.`);
    const amounts = Object.values(held)[0] ?? {};
    const claimed = await placement.claim({
      consumerUuid: server.id,
      projectId: server.projectId,
      userId: server.userId,
      allocations: { [target.nodeUuid]: amounts },
    });
    if (!claimed) throw new Error(`Unable to migrate instance (${server.id}) to host (${named}): not enough resources there.`);
    return { host: target.host, nodeUuid: target.nodeUuid };
  }
  const group = server.attrs.serverGroup ? await store.getServerGroup(deps.db, server.attrs.serverGroup) : null;
  return runtime.scheduler.selectAndClaim(
    {
      consumerUuid: server.id,
      serverId: server.id,
      projectId: server.projectId,
      userId: server.userId,
      flavor: server.attrs.flavor,
      availabilityZone: server.attrs.availabilityZone,
      group,
      sameHost: [],
      differentHost: [],
      ignoreHosts: (payload.params.ignoreHosts as string[] | undefined) ?? [],
    },
    async () => undefined,
  );
}

async function recordMigration(
  runtime: ComputeRuntime,
  server: Server,
  payload: ActionPayload,
  type: store.Migration['migration_type'],
  status: string,
): Promise<string> {
  const migrationUuid = String(payload.params.migrationUuid);
  await store.insertMigration(runtime.deps.db, {
    uuid: migrationUuid,
    instance_uuid: server.id,
    migration_type: type,
    status,
    source_compute: server.host,
    dest_compute: null,
    source_node: server.host,
    dest_node: null,
    old_flavor_id: server.flavorId,
    new_flavor_id: server.flavorId,
    project_id: server.projectId,
    user_id: server.userId,
  });
  return migrationUuid;
}

/** Gives the server back its source allocation from the migration (a failed move). */
async function restoreSourceAllocation(runtime: ComputeRuntime, server: Server, migrationUuid: string): Promise<void> {
  const placement = runtime.deps.peers.placementIfPresent();
  if (!placement || Object.keys(await placement.getAllocations(migrationUuid)).length === 0) return;
  await placement.deleteAllocations(server.id);
  await placement.moveAllocations(migrationUuid, server.id);
}

export const MOVE_WORK: HostWork[] = [
  /** Cold migration is resize's move with the flavor kept. */
  { ...resizeWork, action: 'migrate', rule: 'os_compute_api:os-migrate-server:migrate' },
  {
    action: 'os-migrateLive',
    rule: 'os_compute_api:os-migrate-server:migrate_live',
    accepts: { vm: [VM.ACTIVE, VM.PAUSED], task: [null] },
    taskState: TASK.MIGRATING,
    recordAs: 'live-migration',
    event: 'compute_live_migration',
    async run(runtime, server, payload) {
      const { deps } = runtime;
      const placement = deps.peers.placement();
      const source = hostOf(server);
      const migrationUuid = await recordMigration(runtime, server, payload, 'live-migration', 'preparing');
      if (Object.keys(await placement.getAllocations(migrationUuid)).length === 0) await placement.moveAllocations(server.id, migrationUuid);
      const dest = await claimDestination(runtime, server, payload);
      const cancelled = async () => {
        await restoreSourceAllocation(runtime, server, migrationUuid);
        await store.setMigrationStatus(deps.db, migrationUuid, 'cancelled');
        return { vmState: payload.fromVmState };
      };
      // Aborted while preparing (2.65): it never starts.
      if ((await store.getMigration(deps.db, migrationUuid))?.status === 'cancelled') return cancelled();
      await store.setMigrationStatus(deps.db, migrationUuid, 'running', { dest_compute: dest.host, dest_node: dest.host });
      try {
        await deps.driver.liveMigrate(source, dest.host, server.id);
      } catch (error) {
        // Nova's live_migration_abort: the guest runs on at the source, nothing is a fault.
        if (error instanceof DriverError && error.code === 'MigrationAborted') return cancelled();
        throw error;
      }
      // Ports follow the guest.
      await runtime.networking.bindAll(server, dest.host);
      await placement.deleteAllocations(migrationUuid);
      await store.setMigrationStatus(deps.db, migrationUuid, 'completed');
      return { vmState: payload.fromVmState, host: dest.host, node: dest.nodeUuid };
    },
    async revert(runtime, server, payload) {
      const migrationUuid = String(payload.params.migrationUuid);
      await restoreSourceAllocation(runtime, server, migrationUuid);
      if (await store.getMigration(runtime.deps.db, migrationUuid)) await store.setMigrationStatus(runtime.deps.db, migrationUuid, 'error');
      return { vmState: payload.fromVmState };
    },
  },

  {
    action: 'evacuate',
    rule: 'os_compute_api:os-evacuate',
    accepts: { vm: [VM.ACTIVE, VM.STOPPED, VM.ERROR] },
    taskState: TASK.REBUILDING,
    event: 'compute_rebuild_instance',
    async run(runtime, server, payload) {
      const { deps } = runtime;
      const source = server.host;
      const migrationUuid = await recordMigration(runtime, server, payload, 'evacuation', 'accepted');
      // The server's claim moves to the destination in one write; the dead host's allocation goes with it.
      const dest = await claimDestination(runtime, server, payload);
      await store.setMigrationStatus(deps.db, migrationUuid, 'pre-migrating', { dest_compute: dest.host, dest_node: dest.host });
      // The source is down; what its driver still holds is cleaned up, as nova-compute does when it comes back.
      if (source) await destroyGuest(deps, source, server.id);
      const placed = { ...server, host: dest.host, node: dest.nodeUuid };
      const { attached } = await runtime.networking.allocate(reviveCaller(payload.params.auth as StoredCaller), placed, dest.host, []);
      const stopped = payload.fromVmState === VM.STOPPED;
      await deps.driver.spawn(dest.host, guestSpec(placed, attached), { powerOn: !stopped });
      // A stopped guest runs no agent to take a password (it stays stopped, as in Nova).
      if (!stopped) await deps.driver.setAdminPassword(dest.host, server.id, String(payload.params.password));
      await store.setMigrationStatus(deps.db, migrationUuid, 'done');
      return {
        vmState: stopped ? VM.STOPPED : VM.ACTIVE,
        powerState: stopped ? POWER_STATE.SHUTDOWN : POWER_STATE.RUNNING,
        host: dest.host,
        node: dest.nodeUuid,
      };
    },
    async revert(runtime, _server, payload) {
      const migrationUuid = String(payload.params.migrationUuid);
      if (await store.getMigration(runtime.deps.db, migrationUuid)) await store.setMigrationStatus(runtime.deps.db, migrationUuid, 'failed');
      return { vmState: VM.ERROR };
    },
  },
];
