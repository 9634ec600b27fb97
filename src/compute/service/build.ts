/**
 * Building a server, as a durable task (Nova's build_and_run_instance):
 * schedule and claim in Placement → allocate ports in Neutron → make and
 * attach the volumes of its block devices (boot-volumes.ts) → spawn on the
 * driver → ACTIVE. Each step is journaled and idempotent, so a restart after
 * `kill -9` resumes where the last attempt stopped without doubling
 * anything. A failure undoes every step (allocation, ports, domain) and
 * leaves the server in ERROR with Nova's fault ("No valid host was found..."
 * when no host fits). A delete that arrives mid-build wins: later steps see
 * it and stop, and the delete task cleans up.
 */
import { PermanentTaskError, type TaskKind, type TaskRunContext } from '../../core/tasks/index.js';
import { nowIso } from '../../core/time.js';
import { DriverError } from '../drivers/errors.js';
import type { GuestSpec } from '../drivers/driver.js';
import { POWER_STATE } from '../drivers/driver.js';
import { configDriveFiles } from '../metadata/sources.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import { NoValidHost } from './scheduler.js';
import { PortBindingFailed } from './networking.js';
import { attachBlockDevices, rootVolumeOf, releaseBlockDevices, released } from './boot-volumes.js';
import { publishInstanceEvent } from './notifications.js';
import { fault, updateServer } from './server-state.js';
import { reviveCaller, type StoredCaller } from '../../core/context.js';
import { TASK, VM } from './states.js';
import { destroyGuest } from './agent-driver.js';

export interface BuildPayload {
  serverId: string;
  requestId: string;
  auth: StoredCaller;
  securityGroupIds: string[];
  /** How many times the build moved on from a host that went down under it. */
  reschedules?: number;
}

/** Nova's [scheduler] max_attempts (3): the first host and two more. */
const MAX_RESCHEDULES = 2;

/** Thrown inside a step when the server was deleted meanwhile: the build stops quietly. */
class ServerGone extends Error {}

export function defineBuildTask(runtime: ComputeRuntime): TaskKind<BuildPayload> {
  const { deps } = runtime;
  return deps.tasks.define<BuildPayload>('compute.build', {
    maxAttempts: 3,
    async run(ctx) {
      try {
        await build(runtime, ctx);
      } catch (error) {
        if (error instanceof ServerGone) return;
        if (error instanceof DriverError && error.code === 'HostDown') {
          await reschedule(runtime, ctx, error);
          return;
        }
        if (error instanceof NoValidHost || (error instanceof DriverError && error.code === 'SpawnFailed')) {
          throw new PermanentTaskError(error.message, { cause: error });
        }
        // Nova's compute manager gives up on a build whose network allocation failed, without rescheduling.
        if (error instanceof PortBindingFailed) {
          throw new PermanentTaskError(`Build of instance ${ctx.payload.serverId} aborted: Failed to allocate the network(s), not rescheduling.`);
        }
        throw error;
      }
    },
    async onFailure(ctx, error) {
      const { serverId, requestId } = ctx.payload;
      await runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted || server.taskState === TASK.DELETING) return;
        await ctx.step('undo:allocations', () => undoBuild(runtime, server));
        const cause = (error as Error & { cause?: unknown }).cause ?? error;
        await updateServer(deps.db, serverId, (s) => ({
          ...s,
          vmState: VM.ERROR,
          taskState: null,
          powerState: POWER_STATE.NOSTATE,
          host: cause instanceof NoValidHost ? null : s.host,
          node: cause instanceof NoValidHost ? null : s.node,
          attrs: { ...s.attrs, fault: fault(cause), ...(s.attrs.blockDevices ? { blockDevices: s.attrs.blockDevices.map(released) } : {}) },
        }));
      });
      await runtime.actions.finish(serverId, requestId, true);
    },
  });
}

/**
 * The build's host went down before the guest ran (its agent stopped
 * heartbeating): as Nova's reschedule, what the build made on the way is
 * undone, the server goes back to scheduling and a new build task is queued,
 * in one transaction; the scheduler skips the down host. After
 * MAX_RESCHEDULES the build fails as Nova's MaxRetriesExceeded.
 */
async function reschedule(runtime: ComputeRuntime, ctx: TaskRunContext<BuildPayload>, error: DriverError): Promise<void> {
  const { deps } = runtime;
  const { serverId } = ctx.payload;
  const reschedules = ctx.payload.reschedules ?? 0;
  if (reschedules >= MAX_RESCHEDULES) {
    throw new PermanentTaskError(`Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${serverId}.`, {
      cause: error,
    });
  }
  ctx.log.warn({ err: error, reschedules }, 'the build host went down: rescheduling');
  await ctx.step('reschedule', () =>
    runtime.locks.run(serverId, async () => {
      const server = await store.getServer(deps.db, serverId);
      if (!server || server.deleted || server.taskState === TASK.DELETING) return;
      await undoBuild(runtime, server);
      await deps.db.transaction().execute(async (trx) => {
        await updateServer(trx, serverId, (s) => ({
          ...s,
          host: null,
          node: null,
          taskState: TASK.SCHEDULING,
          attrs: { ...s.attrs, ownedPorts: [], ...(s.attrs.blockDevices ? { blockDevices: s.attrs.blockDevices.map(released) } : {}) },
        }));
        await deps.tasks.enqueue(trx, { kind: runtime.kinds.build, payload: { ...ctx.payload, reschedules: reschedules + 1 }, resourceId: serverId });
      });
    }),
  );
  deps.tasks.wake();
}

/** Removes what a build created; every part tolerates it being gone already. */
export async function undoBuild(runtime: ComputeRuntime, server: Server): Promise<void> {
  const { deps } = runtime;
  if (server.host) await destroyGuest(deps, server.host, server.id);
  await releaseBlockDevices(runtime, server, true);
  await runtime.networking.deallocate(server);
  await deps.peers.placementIfPresent()?.deleteAllocations(server.id);
}

async function build(runtime: ComputeRuntime, ctx: TaskRunContext<BuildPayload>): Promise<void> {
  const { deps } = runtime;
  const { serverId, requestId } = ctx.payload;
  const auth = reviveCaller(ctx.payload.auth);
  const guarded = <T>(name: string, fn: (server: Server) => Promise<T>) =>
    ctx.step(name, () =>
      runtime.locks.run(serverId, async () => {
        const server = await store.getServer(deps.db, serverId);
        if (!server || server.deleted || server.taskState === TASK.DELETING) throw new ServerGone();
        return fn(server);
      }),
    );

  const destination = await guarded('schedule', async (server) => {
    if (server.host && server.node) return { host: server.host, nodeUuid: server.node };
    return runtime.actions.event(serverId, requestId, 'compute__schedule_instances', null, async () => {
      const placement = deps.peers.placementIfPresent();
      const held = placement ? await placement.getAllocations(serverId) : {};
      // Only a build resumed after a crash holds an allocation already: the host list is read just then.
      const heldOn = Object.keys(held).length > 0 ? (await store.listServices(deps.db)).find((s) => s.nodeUuid in held) : undefined;
      const record = async (dest: { host: string; nodeUuid: string }) => {
        await updateServer(deps.db, serverId, (s) => ({ ...s, host: dest.host, node: dest.nodeUuid, taskState: TASK.NETWORKING }));
      };
      if (heldOn) {
        await record({ host: heldOn.host, nodeUuid: heldOn.nodeUuid });
        return { host: heldOn.host, nodeUuid: heldOn.nodeUuid };
      }
      const group = server.attrs.serverGroup ? await store.getServerGroup(deps.db, server.attrs.serverGroup) : null;
      const hints = server.attrs.schedulerHints;
      return runtime.scheduler.selectAndClaim(
        {
          consumerUuid: serverId,
          serverId,
          projectId: server.projectId,
          userId: server.userId,
          flavor: server.attrs.flavor,
          availabilityZone: server.attrs.availabilityZone,
          group,
          sameHost: hints.same_host ?? [],
          differentHost: hints.different_host ?? [],
          ignoreHosts: [],
        },
        record,
      );
    });
  });

  const interfaces = await guarded('network', (server) =>
    runtime.actions.event(serverId, requestId, 'compute__build_and_run_instance', destination.host, async () => {
      const { attached, owned } = await runtime.networking.allocate(auth, server, destination.host, ctx.payload.securityGroupIds);
      await updateServer(deps.db, serverId, (s) => ({ ...s, taskState: TASK.SPAWNING, attrs: { ...s.attrs, ownedPorts: owned } }));
      return attached;
    }),
  );

  const planned = (await store.getServer(deps.db, serverId))?.attrs.blockDevices ?? [];
  const volumes = await attachBlockDevices(runtime, ctx, guarded, auth, serverId, planned, destination.host);

  await guarded('spawn', async (server) => {
    const configDrive = await configDriveFiles(deps, server);
    await deps.driver.spawn(destination.host, guestSpec(server, interfaces, { volumes, configDrive }), { signal: ctx.signal });
  });

  await guarded('finish', async () => {
    const active = await updateServer(deps.db, serverId, (s) => ({
      ...s,
      vmState: VM.ACTIVE,
      taskState: null,
      powerState: POWER_STATE.RUNNING,
      attrs: { ...s.attrs, launchedAt: nowIso(), fault: null },
    }));
    publishInstanceEvent(deps.events, 'compute.instance.create.end', active);
  });
  await runtime.actions.finish(serverId, requestId, false);
}

export function guestSpec(
  server: Server,
  interfaces: Array<{ portId: string; mac: string }>,
  extras: Pick<GuestSpec, 'volumes' | 'configDrive'> = { volumes: [], configDrive: null },
): GuestSpec {
  const flavor = server.attrs.flavor;
  const root = rootVolumeOf(server);
  return {
    serverId: server.id,
    name: server.name,
    vcpus: flavor.vcpus,
    memoryMb: flavor.memoryMb,
    rootGb: flavor.rootGb,
    boot: root ? { volume: root } : { image: server.imageRef ?? '' },
    interfaces,
    ...extras,
    userData: server.attrs.userData,
    injectedFiles: server.attrs.injectedFiles ?? [],
    metadata: server.attrs.metadata,
  };
}
