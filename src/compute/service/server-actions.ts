/**
 * The server actions' operations: `start` admits any action with host work
 * from its declaration (server-action-task.ts) and hands it to the durable
 * task; the typed calls below are what the API and other callers use, with
 * the checks Nova makes before admitting (flavor, image, quota) where an
 * action has them. lock/unlock, os-getConsoleOutput and
 * add/removeSecurityGroup have no host work and act at once.
 */
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { actionErrors, novaErrors, securityGroupErrors, serverErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { InjectedFile, Server } from '../store/index.js';
import type { DiskConfig } from './servers.js';
import { allowed, isAdmin, withNovaQuota } from './access.js';
import type { FlavorOps } from './flavors.js';
import { checkInjectedFiles } from './personality.js';
import type { ComputeRuntime } from './runtime.js';
import type { ServerOps } from './servers.js';
import { updateServer } from './server-state.js';
import { storeCaller } from '../../core/context.js';
import { hostWorkNamed } from './server-action-table.js';
import type { HostWork } from './server-action-task.js';
import { checkState, VM } from './states.js';

export interface ActionRequest {
  auth: CallerContext;
  serverId: string;
  requestId: string;
}

export class ServerActionOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
    private readonly flavors: FlavorOps,
  ) {}

  get #deps() {
    return this.runtime.deps;
  }

  /**
   * Admits `action` (its HostWork declaration) and hands its work to the
   * durable task: policy, lock, accepted states, then in one transaction the
   * task_state (compare-and-swap, so of two concurrent actions one gets 409),
   * the instance action record and the task. `extra` changes the server in
   * the same write (rebuild's new image and name). Returns the saved server;
   * on any failure nothing is written.
   */
  async start(req: ActionRequest, action: string, options: { params?: Record<string, unknown>; extra?: (s: Server) => Partial<Server> } = {}): Promise<Server> {
    const work = this.#work(action);
    const server = await this.admit(req, action);
    const params = options.params ?? {};
    const taskState = typeof work.taskState === 'function' ? work.taskState(params) : work.taskState;
    const saved = await this.#deps.db.transaction().execute(async (trx) => {
      const current = await store.getServer(trx, server.id);
      if (!current || current.deleted) throw novaErrors.serverNotFound(server.id);
      checkState(current, action, work.accepts);
      const next = { ...current, ...(options.extra?.(current) ?? {}), taskState };
      const written = await store.saveServer(trx, current, next);
      if (!written) throw actionErrors.concurrentChange(action, server.id);
      await this.runtime.actions.start(trx, current, req.auth, req.requestId, work.recordAs ?? action);
      await this.#deps.tasks.enqueue(trx, {
        kind: this.runtime.kinds.action,
        payload: { serverId: current.id, requestId: req.requestId, action, fromVmState: current.vmState, params },
        resourceId: current.id,
      });
      return written;
    });
    this.#deps.tasks.wake();
    return saved;
  }

  /** The server if the caller may do `action` to it now: policy (403/404), lock (409) and accepted states (409). */
  async admit(req: ActionRequest, action: string): Promise<Server> {
    const work = this.#work(action);
    const server = await this.servers.get(req.auth, req.serverId, work.rule);
    this.servers.checkLock(req.auth, server);
    checkState(server, action, work.accepts);
    return server;
  }

  #work(action: string): HostWork {
    const work = hostWorkNamed(action);
    if (!work) throw new Error(`No host work declared for server action ${action}`);
    return work;
  }

  async reboot(req: ActionRequest, type: 'SOFT' | 'HARD'): Promise<void> {
    await this.start(req, 'reboot', { params: { type } });
  }

  /** Lock is immediate (no host work); 2.73 adds a reason. Nova records it as an action too. */
  async lock(req: ActionRequest, reason: string | null): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-lock-server:lock');
    const by = req.auth.project?.id === server.projectId ? 'owner' : 'admin';
    await this.#deps.db.transaction().execute(async (trx) => {
      const current = await store.getServer(trx, server.id);
      if (!current || current.deleted) throw novaErrors.serverNotFound(server.id);
      await store.saveServer(trx, current, { ...current, locked: true, attrs: { ...current.attrs, lockedBy: by, lockedReason: reason } });
      await this.runtime.actions.start(trx, current, req.auth, req.requestId, 'lock');
    });
    await this.runtime.actions.finish(server.id, req.requestId, false);
  }

  /** An owner may not unlock what an admin locked without the unlock_override rule (403). */
  async unlock(req: ActionRequest): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-lock-server:unlock');
    if (server.locked && server.attrs.lockedBy === 'admin' && req.auth.project?.id === server.projectId && !isAdmin(this.#deps, req.auth)) {
      if (!allowed(this.#deps, req.auth, 'os_compute_api:os-lock-server:unlock:unlock_override', { project_id: server.projectId })) {
        throw novaErrors.policy('os_compute_api:os-lock-server:unlock:unlock_override');
      }
    }
    await this.#deps.db.transaction().execute(async (trx) => {
      const current = await store.getServer(trx, server.id);
      if (!current || current.deleted) throw novaErrors.serverNotFound(server.id);
      await store.saveServer(trx, current, { ...current, locked: false, attrs: { ...current.attrs, lockedBy: null, lockedReason: null } });
      await this.runtime.actions.start(trx, current, req.auth, req.requestId, 'unlock');
    });
    await this.runtime.actions.finish(server.id, req.requestId, false);
  }

  /**
   * Resize: reserves the quota the bigger flavor needs, records a migration
   * (its uuid takes over the current Placement allocation, as Nova's
   * migration-based allocations), then the handler schedules and moves.
   */
  async resize(req: ActionRequest, flavorRef: string, diskConfig?: DiskConfig): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:servers:resize');
    const flavor = await this.flavors.get(req.auth, flavorRef).catch(() => {
      throw actionErrors.resizeFlavorNotFound(flavorRef);
    });
    if (flavor.id === server.flavorId) throw actionErrors.resizeSameFlavor();
    if (server.attrs.flavor.rootGb > 0 && flavor.rootGb > 0 && flavor.rootGb < server.attrs.flavor.rootGb) {
      throw actionErrors.resizeDiskDown();
    }
    const migrationUuid = uuid();
    const old = server.attrs.flavor;
    await withNovaQuota(async () => {
      await this.#deps.db.transaction().execute(async (trx) => {
        await this.#deps.quota.reserve(trx, server.projectId, {
          cores: Math.max(0, flavor.vcpus - old.vcpus),
          ram: Math.max(0, flavor.memoryMb - old.memoryMb),
        });
      });
    });
    try {
      await this.start(req, 'resize', {
        params: { flavorId: flavor.id, migrationUuid },
        ...(diskConfig !== undefined && { extra: (s: Server) => ({ attrs: { ...s.attrs, diskConfig } }) }),
      });
    } catch (error) {
      await this.#deps.db
        .transaction()
        .execute((trx) =>
          this.#deps.quota.release(trx, server.projectId, { cores: Math.max(0, flavor.vcpus - old.vcpus), ram: Math.max(0, flavor.memoryMb - old.memoryMb) }),
        );
      throw error;
    }
  }

  async rebuild(
    req: ActionRequest,
    input: {
      imageRef: string;
      name?: string;
      metadata?: Record<string, string>;
      description?: string | null;
      adminPass?: string;
      injectedFiles: InjectedFile[];
      /** 2.54: another of the caller's keypairs, or null for none. */
      keyName?: string | null;
      /** 2.57: new user data (base64), or null for none. */
      userData?: string | null;
      diskConfig?: DiskConfig;
    },
  ): Promise<Server> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:servers:rebuild');
    const key = input.keyName === undefined ? undefined : await this.#keyOf(req.auth, input.keyName);
    checkInjectedFiles(input.injectedFiles, await this.#deps.quota.getLimits(server.projectId));
    const image = this.#deps.peers.image();
    const found = await image.get(req.auth, input.imageRef).catch(() => {
      throw serverErrors.imageNotUsable(input.imageRef);
    });
    if (found.status !== 'active') throw serverErrors.imageNotActive(input.imageRef);
    if (server.attrs.flavor.rootGb > 0 && found.min_disk > server.attrs.flavor.rootGb) throw serverErrors.flavorDiskTooSmall();
    return this.start(req, 'rebuild', {
      params: { imageRef: input.imageRef },
      extra: (s) => ({
        imageRef: input.imageRef,
        name: input.name ?? s.name,
        attrs: {
          ...s.attrs,
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          // Nova injects the rebuild's files (none when the request has none).
          injectedFiles: input.injectedFiles,
          ...key,
          ...(input.userData !== undefined ? { userData: input.userData } : {}),
          ...(input.diskConfig !== undefined ? { diskConfig: input.diskConfig } : {}),
        },
      }),
    });
  }

  /** The key a rebuild gives the server: the caller's keypair of that name (400 if none), or no key for null. */
  async #keyOf(auth: CallerContext, keyName: string | null): Promise<{ keyName: string | null; keyData: string | null }> {
    if (keyName === null) return { keyName: null, keyData: null };
    const keypair = await store.getKeypair(this.#deps.db, auth.userId, keyName);
    if (!keypair) throw serverErrors.invalidKeyName();
    return { keyName, keyData: keypair.public_key };
  }

  /**
   * createImage: a queued Glance image (owned by the caller's project,
   * properties of the server's image and the request), filled by the
   * handler with the driver's snapshot. Returns the image id.
   */
  async createImage(req: ActionRequest, name: string, metadata: Record<string, string>, backup?: { type: string; rotation: number }): Promise<string> {
    const action = backup ? 'createBackup' : 'createImage';
    const server = await this.admit(req, action);
    const image = this.#deps.peers.image();
    // The request's metadata wins over Nova's own properties, as in Nova.
    const properties: Record<string, string> = {
      instance_uuid: server.id,
      image_type: backup ? 'backup' : 'snapshot',
      user_id: req.auth.userId,
      ...(server.imageRef ? { base_image_ref: server.imageRef } : {}),
      ...(backup ? { backup_type: backup.type } : {}),
      ...metadata,
    };
    const created = await image.create(req.auth, {
      name,
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: server.attrs.flavor.rootGb,
      properties,
    });
    try {
      await this.start(req, action, {
        params: { imageId: created.id, auth: storeCaller(req.auth), ...(backup ? { rotation: backup.rotation, backupType: backup.type } : {}) },
      });
    } catch (error) {
      await image.delete(req.auth, created.id).catch(() => undefined);
      throw error;
    }
    return created.id;
  }

  async consoleOutput(req: ActionRequest, length: number | null): Promise<string> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-console-output');
    if (!server.host || ![VM.ACTIVE, VM.PAUSED, VM.STOPPED, VM.SUSPENDED, VM.RESCUED, VM.RESIZED, VM.ERROR].includes(server.vmState as 'active')) {
      throw actionErrors.notReady(server.id);
    }
    let log: string;
    try {
      log = await this.#deps.driver.consoleLog(server.host, server.id);
    } catch {
      throw actionErrors.consoleNotAvailable();
    }
    if (length === null) return log;
    const lines = log.replace(/\n$/, '').split('\n');
    return lines.slice(Math.max(0, lines.length - length)).join('\n');
  }

  /** addSecurityGroup/removeSecurityGroup: on every port of the server, through the network service. */
  async changeSecurityGroup(req: ActionRequest, name: string, add: boolean): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, add ? 'os_compute_api:os-security-groups:add' : 'os_compute_api:os-security-groups:remove');
    let groupId: string;
    try {
      [groupId] = (await this.runtime.networking.securityGroupIds(req.auth, [name])) as [string];
    } catch (error) {
      if (error instanceof BadRequest) throw securityGroupErrors.notFoundForProject(name, server.projectId, 404);
      throw error;
    }
    const names = (await this.runtime.networking.securityGroupNames([server.id])).get(server.id) ?? [];
    if (!add && !names.includes(name) && !server.attrs.securityGroups.includes(name)) {
      throw securityGroupErrors.notOnServer(name, server.id);
    }
    await this.runtime.networking.changeSecurityGroup(server, groupId, add);
    await updateServer(this.#deps.db, server.id, (s) => ({
      ...s,
      attrs: { ...s.attrs, securityGroups: add ? [...new Set([...s.attrs.securityGroups, name])] : s.attrs.securityGroups.filter((g) => g !== name) },
    }));
    await this.#deps.db
      .transaction()
      .execute((trx) => this.runtime.actions.start(trx, server, req.auth, req.requestId, add ? 'addSecurityGroup' : 'removeSecurityGroup'));
    await this.runtime.actions.finish(server.id, req.requestId, false);
  }
}
