/**
 * The hypervisor driver of an API process (role api): it runs no host of its
 * own; each call goes to the agent of the host it names as a
 * `compute.host-call` task (host-calls.ts) and waits for the outcome. The
 * caller's code (builds, actions, deletes, console log, volume attach) is the
 * same as with a local driver.
 *
 * A call to a host that is down (no heartbeat for `service_down_time`) fails
 * with DriverError `HostDown`, at once or, if the host goes down while the
 * call waits, as soon as that is seen (the task is cancelled, so a late agent
 * does not run it). Not proxied: consoles' streams (serial, VNC) and moves
 * between two agents' hosts (resize to another host, live migration).
 */
import type { Duplex } from 'node:stream';
import type { TaskKind, TaskQueue } from '../../core/tasks/index.js';
import { capabilitiesOf } from '../drivers/index.js';
import type {
  DomainInfo,
  DriverCapabilities,
  GuestSpec,
  GuestStats,
  GuestVolume,
  HostLoad,
  HostResources,
  HypervisorDriver,
  ImageCacheResult,
} from '../drivers/driver.js';
import { POWER_STATE } from '../drivers/driver.js';
import { DriverError, hostNotFound } from '../drivers/errors.js';
import type { ComputeDb } from '../store/index.js';
import type { ComputeDeps } from './deps.js';
import { outcomeValue, type HostCallMethod, type HostCallOutcome, type HostCallPayload } from './host-calls.js';

export interface AgentDriverOptions {
  /** The driver the agents run (`compute_driver`): what they can do. */
  type: string;
  db: ComputeDb;
  tasks: TaskQueue;
  kind: TaskKind<HostCallPayload>;
  isHostUp(host: string): Promise<boolean>;
}

/** How often a waiting call asks whether its host is still up. */
const HOST_CHECK_MS = 1000;
const MAX_POLL_MS = 200;

export class AgentDriver implements HypervisorDriver {
  readonly type: string;

  constructor(private readonly options: AgentDriverOptions) {
    this.type = options.type;
  }

  capabilities(): DriverCapabilities {
    // Console streams are not carried to agents yet: Nova's answer with consoles disabled.
    return { ...capabilitiesOf(this.type), consoles: [] };
  }

  /** None: every host is an agent's. */
  hosts(): HostResources[] {
    return [];
  }

  hostLoad(host: string): HostLoad {
    throw hostNotFound(host);
  }

  async openConsole(host: string): Promise<Duplex> {
    throw new DriverError('NotSupported', `Consoles of compute host ${host} are not reachable through its agent yet`);
  }

  async spawn(host: string, spec: GuestSpec, options: { powerOn?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const powerOn = options.powerOn === undefined ? {} : { powerOn: options.powerOn };
    await this.#call(host, 'spawn', [host, spec, powerOn], options.signal);
  }

  destroy(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'destroy', [host, serverId]);
  }

  powerOn(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'powerOn', [host, serverId]);
  }

  powerOff(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'powerOff', [host, serverId]);
  }

  reboot(host: string, serverId: string, type: 'SOFT' | 'HARD'): Promise<void> {
    return this.#void(host, 'reboot', [host, serverId, type]);
  }

  pause(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'pause', [host, serverId]);
  }

  unpause(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'unpause', [host, serverId]);
  }

  suspend(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'suspend', [host, serverId]);
  }

  resume(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'resume', [host, serverId]);
  }

  /**
   * Between two agents: the source's guest, stopped since the move, is
   * destroyed (Nova's confirm_resize on the source host).
   */
  async confirmResize(fromHost: string, toHost: string, serverId: string): Promise<void> {
    if (fromHost === toHost) await this.#void(fromHost, 'confirmResize', [fromHost, toHost, serverId]);
    else await this.destroy(fromHost, serverId);
  }

  forceCompleteLiveMigration(fromHost: string, serverId: string): Promise<void> {
    return this.#void(fromHost, 'forceCompleteLiveMigration', [fromHost, serverId]);
  }

  abortLiveMigration(fromHost: string, serverId: string): Promise<void> {
    return this.#void(fromHost, 'abortLiveMigration', [fromHost, serverId]);
  }

  async snapshot(host: string, serverId: string): Promise<Uint8Array> {
    return (await this.#call(host, 'snapshot', [host, serverId])) as Uint8Array;
  }

  rescue(host: string, serverId: string, rescueImage: string): Promise<void> {
    return this.#void(host, 'rescue', [host, serverId, rescueImage]);
  }

  unrescue(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'unrescue', [host, serverId]);
  }

  attachVolume(host: string, serverId: string, volume: GuestVolume): Promise<void> {
    return this.#void(host, 'attachVolume', [host, serverId, volume]);
  }

  detachVolume(host: string, serverId: string, volumeId: string): Promise<void> {
    return this.#void(host, 'detachVolume', [host, serverId, volumeId]);
  }

  attachInterface(host: string, serverId: string, port: { portId: string; mac: string }): Promise<void> {
    return this.#void(host, 'attachInterface', [host, serverId, port]);
  }

  detachInterface(host: string, serverId: string, portId: string): Promise<void> {
    return this.#void(host, 'detachInterface', [host, serverId, portId]);
  }

  triggerCrashDump(host: string, serverId: string): Promise<void> {
    return this.#void(host, 'triggerCrashDump', [host, serverId]);
  }

  setAdminPassword(host: string, serverId: string, password: string): Promise<void> {
    return this.#void(host, 'setAdminPassword', [host, serverId, password]);
  }

  async consoleLog(host: string, serverId: string): Promise<string> {
    return (await this.#call(host, 'consoleLog', [host, serverId])) as string;
  }

  async info(host: string, serverId: string): Promise<DomainInfo> {
    return (await this.#call(host, 'info', [host, serverId])) as DomainInfo;
  }

  async stats(host: string, serverId: string): Promise<GuestStats> {
    return (await this.#call(host, 'stats', [host, serverId])) as GuestStats;
  }

  changeMetadata(host: string, serverId: string, metadata: Record<string, string>): Promise<void> {
    return this.#void(host, 'changeMetadata', [host, serverId, metadata]);
  }

  async cacheImage(host: string, imageId: string): Promise<ImageCacheResult> {
    return (await this.#call(host, 'cacheImage', [host, imageId])) as ImageCacheResult;
  }

  async #void(host: string, method: HostCallMethod, args: unknown[]): Promise<void> {
    await this.#call(host, method, args);
  }

  /**
   * Between two agents, as Nova's migrate_disk_and_power_off on the source
   * and finish_migration on the destination: the source powers its guest off
   * and keeps it (for a revert) until the confirm; the destination spawns the
   * new size, running if the guest was. The fake's guests have no disk to
   * copy. Repeated after the destination spawned: nothing more happens; cut
   * short between the two: the destination's guest comes up shut down.
   */
  async resize(fromHost: string, toHost: string, spec: GuestSpec): Promise<void> {
    if (fromHost === toHost) return this.#void(fromHost, 'resize', [fromHost, toHost, spec]);
    if (await this.#holds(toHost, spec.serverId)) return;
    const { powerState } = await this.info(fromHost, spec.serverId);
    await this.powerOff(fromHost, spec.serverId);
    await this.spawn(toHost, spec, { powerOn: powerState === POWER_STATE.RUNNING });
  }

  /** Between two agents: the destination's guest is destroyed and the source's (kept since the move) started again. */
  async revertResize(fromHost: string, toHost: string, serverId: string): Promise<void> {
    if (fromHost === toHost) return this.#void(fromHost, 'revertResize', [fromHost, toHost, serverId]);
    await this.destroy(toHost, serverId);
    await this.powerOn(fromHost, serverId);
  }

  liveMigrate(fromHost: string, toHost: string, serverId: string): Promise<void> {
    return this.#sameHost('liveMigrate', fromHost, toHost, [fromHost, toHost, serverId]);
  }

  /** Whether `host`'s agent has a guest for the server. */
  async #holds(host: string, serverId: string): Promise<boolean> {
    try {
      await this.info(host, serverId);
      return true;
    } catch (error) {
      if (error instanceof DriverError && error.code === 'DomainNotFound') return false;
      throw error;
    }
  }

  async #sameHost(method: HostCallMethod, fromHost: string, toHost: string, args: unknown[]): Promise<void> {
    if (fromHost !== toHost) {
      throw new DriverError('NotSupported', `Moving a server from compute host ${fromHost} to ${toHost} (two agents) is not supported yet for live migration`);
    }
    await this.#void(fromHost, method, args);
  }

  async #call(host: string, method: HostCallMethod, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    const { db, tasks, kind } = this.options;
    if (!(await this.options.isHostUp(host))) throw hostDown(host);
    // The enqueue notifies the host's agent (core/cluster/task-notices.ts).
    const id = await tasks.enqueue(db, { kind, payload: { method, args }, host });
    return outcomeValue(await this.#outcome(id, host, signal));
  }

  async #outcome(id: string, host: string, signal: AbortSignal | undefined): Promise<HostCallOutcome> {
    const { tasks } = this.options;
    let pollMs = 5;
    let checkedAt = Date.now();
    for (;;) {
      const task = await tasks.get(id);
      if (!task) throw new DriverError('ActionFailed', `The call to compute host ${host} was lost (task ${id} is gone)`);
      if (task.status === 'succeeded') return task.results.call as HostCallOutcome;
      if (task.status === 'failed') {
        throw new DriverError('ActionFailed', `Compute host ${host} failed the call: ${task.lastError ?? 'unknown error'}`);
      }
      if (signal?.aborted) {
        await tasks.cancel(id, 'the caller gave up');
        throw new DriverError('ActionFailed', `The call to compute host ${host} was abandoned`);
      }
      if (Date.now() - checkedAt >= HOST_CHECK_MS) {
        checkedAt = Date.now();
        if (!(await this.options.isHostUp(host)) && (await tasks.cancel(id, `compute host ${host} is down`))) throw hostDown(host);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }
}

export const hostDown = (host: string) => new DriverError('HostDown', `Compute host ${host} is down`);

/**
 * Destroys the server's guest on `host`, unless that host is down: the server
 * is deleted (or moved) without it, as Nova's local delete. The dead host's
 * agent destroys the guest of an evacuated server when it comes back
 * (evacuated-guests.ts); that of a deleted one stays (Nova's periodic
 * `_cleanup_running_deleted_instances` is not done).
 */
export async function destroyGuest(deps: Pick<ComputeDeps, 'driver' | 'log'>, host: string, serverId: string): Promise<void> {
  try {
    await deps.driver.destroy(host, serverId);
  } catch (error) {
    if (!(error instanceof DriverError && error.code === 'HostDown')) throw error;
    deps.log.warn({ server: serverId, host }, 'compute host is down: its guest is left behind');
  }
}
