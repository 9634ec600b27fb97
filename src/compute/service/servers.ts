/**
 * Servers: create (checks, quota and rows in one transaction with the build
 * tasks, then 202), show and list with Nova's visibility, update, delete
 * (a durable task), metadata and tags. Host work happens in build.ts,
 * delete.ts and the action handlers.
 */
import { randomBytes } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { POWER_STATE } from '../drivers/driver.js';
import { DriverError } from '../drivers/errors.js';
import { novaErrors, requestErrors, serverErrors, serverGroupErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { BlockDevice, FlavorSnapshot, InjectedFile, RequestedNetwork, Server } from '../store/index.js';
import { allowed, authorize, callerProject, isAdmin, withNovaQuota } from './access.js';
import { checkBlockDevices, reserveVolumes, unreserveVolumes, type RequestedBlockDevice } from './block-devices.js';
import type { FlavorOps } from './flavors.js';
import type { ComputeRuntime } from './runtime.js';
import { columnConditions, columnSort, filterServers, pageLimit, sortAndPage, type ServerListQuery } from './server-list.js';
import { updateServer } from './server-state.js';
import { storeCaller } from '../../core/context.js';
import { TASK, VM } from './states.js';
import { generatedPassword } from './passwords.js';
import { assertGroupHasRoom } from './server-groups.js';
import { checkInjectedFiles } from './personality.js';
import { plannedCount, reserveInstances } from './instance-quota.js';

export type DiskConfig = 'MANUAL' | 'AUTO';

export interface CreateServerRequest {
  name: string;
  /** '' when the server boots from a volume. */
  imageRef: string;
  blockDevices: RequestedBlockDevice[];
  flavorRef: string;
  networks?: 'auto' | 'none' | RequestedNetwork[];
  /** 2.37+: `networks` is required and 'auto' must find or make a network. */
  strictNetworks: boolean;
  keyName?: string;
  userData?: string;
  /** Personality (before 2.57). */
  injectedFiles: InjectedFile[];
  metadata: Record<string, string>;
  securityGroups: string[];
  availabilityZone?: string;
  minCount: number;
  maxCount: number;
  adminPass?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  tags: string[];
  description?: string | null;
  configDrive: boolean;
  diskConfig: DiskConfig;
  schedulerHints: Record<string, string[]>;
  requestId: string;
}

export interface CreatedServers {
  servers: Server[];
  reservationId: string;
  adminPass: string;
}

/** Nova's hostname from a display name (sanitize_hostname). */
export function hostnameOf(name: string): string {
  const host = name
    .toLowerCase()
    .replace(/[ _]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 63);
  return host || 'server';
}

export function flavorSnapshot(flavor: store.Flavor): FlavorSnapshot {
  return {
    id: flavor.id,
    name: flavor.name,
    vcpus: flavor.vcpus,
    memoryMb: flavor.memoryMb,
    rootGb: flavor.rootGb,
    ephemeralGb: flavor.ephemeralGb,
    swap: flavor.swap,
    extraSpecs: flavor.extraSpecs,
  };
}

export class ServerOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly flavors: FlavorOps,
  ) {}

  get #deps() {
    return this.runtime.deps;
  }

  async create(auth: CallerContext, request: CreateServerRequest): Promise<CreatedServers> {
    const projectId = callerProject(auth);
    authorize(this.#deps, auth, 'os_compute_api:servers:create', { project_id: projectId });
    const flavor = await this.flavors.usable(auth, request.flavorRef);
    const volumeBacked = request.blockDevices.some((d) => d.destinationType === 'volume' && d.bootIndex === 0);
    if (request.imageRef !== '') await this.#checkImage(auth, request.imageRef, flavor, volumeBacked);
    const volumes = this.#deps.peers.volume();
    const blockDevices = await checkBlockDevices(volumes, auth, request.blockDevices, {
      imageRef: request.imageRef,
      flavor,
      serverCount: request.maxCount,
      imageExists: (id) => this.#imageMinDisk(auth, id),
    });
    let keyData: string | null = null;
    if (request.keyName !== undefined) {
      const keypair = await store.getKeypair(this.#deps.db, auth.userId, request.keyName);
      if (!keypair) throw serverErrors.invalidKeyName();
      keyData = keypair.public_key;
    }
    if (request.availabilityZone !== undefined) await this.#checkZone(request.availabilityZone);
    // 'auto' (or no networks before 2.37) is resolved now, so the build attaches what the API promised.
    const networks = await this.runtime.networking.resolve(auth, request.networks, request.strictNetworks);
    const securityGroupIds = await this.runtime.networking.securityGroupIds(auth, request.securityGroups);
    const groupId = request.schedulerHints.group?.[0];
    if (groupId !== undefined) {
      const group = await store.getServerGroup(this.#deps.db, groupId);
      if (!group || (group.projectId !== projectId && !isAdmin(this.#deps, auth))) throw serverGroupErrors.invalidForServer(groupId);
    }
    const limits = await this.#deps.quota.getLimits(projectId);
    if (limits.metadata_items !== -1 && Object.keys(request.metadata).length > limits.metadata_items) {
      throw serverErrors.metadataLimit(Object.keys(request.metadata).length, limits.metadata_items);
    }
    checkInjectedFiles(request.injectedFiles, limits);

    // The quota decides how many servers there will be before anything is made per server.
    const planned = await plannedCount(this.#deps.quota, projectId, flavor, request);
    const ids = Array.from({ length: planned }, () => uuid());
    const template = {
      request,
      projectId,
      userId: auth.userId,
      flavor,
      keyData,
      networks,
      groupId: groupId ?? null,
      reservationId: `r-${randomBytes(4).toString('hex')}`,
      now: nowIso(),
    };
    // Only a single server can take existing volumes (checkBlockDevices), so this loop reserves at most once.
    const devices = new Map<string, BlockDevice[]>();
    const reserved = () => [...devices.values()].flat();
    for (const id of blockDevices.length > 0 ? ids : []) {
      devices.set(
        id,
        await reserveVolumes(volumes, auth, blockDevices, id).catch(async (error: unknown) => {
          await unreserveVolumes(volumes, reserved());
          throw error;
        }),
      );
    }
    const caller = storeCaller(auth);
    const servers = await withNovaQuota(() =>
      this.#deps.db.transaction().execute(async (trx) => {
        const count = await reserveInstances(this.#deps.quota, trx, projectId, flavor, request, planned);
        const created = ids.slice(0, count).map((id, index) => newServer(template, id, index, count, devices.get(id)));
        for (const server of created) {
          await store.insertServer(trx, server);
          await this.runtime.actions.start(trx, server, auth, request.requestId, 'create');
          await this.#deps.tasks.enqueue(trx, {
            kind: this.runtime.kinds.build,
            payload: { serverId: server.id, requestId: request.requestId, auth: caller, securityGroupIds },
            resourceId: server.id,
          });
        }
        if (groupId !== undefined) {
          await store.addGroupMembers(
            trx,
            groupId,
            created.map((s) => s.id),
            (group) => assertGroupHasRoom(group, created.length, limits.server_group_members),
          );
        }
        return created;
      }),
    ).catch(async (error: unknown) => {
      await unreserveVolumes(volumes, reserved());
      throw error;
    });
    await unreserveVolumes(
      volumes,
      ids.slice(servers.length).flatMap((id) => devices.get(id) ?? []),
    );
    const reservationId = template.reservationId;
    const adminPass = request.adminPass ?? generatedPassword();
    this.#deps.tasks.wake();
    return { servers, reservationId, adminPass };
  }

  /**
   * A live server the caller may see (its project, or any for admins); 404 otherwise, deleted ones too, as Nova,
   * unless `includeDeleted` (Nova's read_deleted, e.g. a deleted server's instance actions from 2.21).
   */
  async get(auth: CallerContext, id: string, rule = 'os_compute_api:servers:show', options: { includeDeleted?: boolean } = {}): Promise<Server> {
    const server = await store.getServer(this.#deps.db, id);
    if (!server || (server.deleted && !options.includeDeleted)) throw novaErrors.serverNotFound(id);
    if (server.projectId !== auth.project?.id && !isAdmin(this.#deps, auth)) throw novaErrors.serverNotFound(id);
    authorize(this.#deps, auth, rule, { project_id: server.projectId });
    return server;
  }

  async list(auth: CallerContext, query: ServerListQuery, detail: boolean): Promise<Server[]> {
    const projectId = callerProject(auth);
    const rule = detail ? 'os_compute_api:servers:detail' : 'os_compute_api:servers:index';
    authorize(this.#deps, auth, rule, { project_id: projectId });
    const filters = { ...query.filters };
    const admin = allowed(this.#deps, auth, `${rule}:get_all_tenants`);
    // Asking for every project is a policy check of its own (403 when refused), as in Nova.
    if (filters.allProjects === true && !admin) authorize(this.#deps, auth, `${rule}:get_all_tenants`, { project_id: projectId });
    if (!admin) {
      // Nova drops filters a non-admin may not use instead of failing.
      for (const key of ['allProjects', 'projectId', 'deleted', 'host', 'node'] as const) delete filters[key];
    }
    // Without all_tenants a project filter is ignored, an admin's too (Nova, lp:#1185290): the caller's own project is listed.
    const owner = filters.allProjects ? filters.projectId : projectId;
    const includeDeleted = filters.deleted === true ? true : filters.changesSince !== undefined ? undefined : false;
    const tenancy: store.ServerQuery = owner !== undefined ? { projectId: owner } : {};
    const conditions = { ...tenancy, ...(includeDeleted !== undefined ? { deleted: includeDeleted } : {}), ...columnConditions(filters) };
    const sort = columnSort({ ...query, filters });
    if (sort) {
      if (query.marker !== undefined && (await store.listServers(this.#deps.db, { ...tenancy, ids: [query.marker] })).length === 0) {
        throw requestErrors.markerNotFound(query.marker);
      }
      return store.pageServers(this.#deps.db, conditions, tenancy, { limit: pageLimit(query), marker: query.marker ?? null, sort });
    }
    const servers = await store.listServers(this.#deps.db, conditions);
    const needsAddresses = filters.ip !== undefined || filters.ip6 !== undefined;
    const addresses = needsAddresses ? await this.runtime.networking.addresses(servers.map((s) => s.id)) : new Map();
    return sortAndPage(filterServers(servers, filters, addresses), query);
  }

  async update(
    auth: CallerContext,
    id: string,
    changes: { name?: string; description?: string | null; accessIPv4?: string; accessIPv6?: string; diskConfig?: DiskConfig },
  ): Promise<Server> {
    const server = await this.get(auth, id, 'os_compute_api:servers:update');
    return updateServer(this.#deps.db, server.id, (s) => ({
      ...s,
      name: changes.name ?? s.name,
      attrs: {
        ...s.attrs,
        ...(changes.name !== undefined ? { hostname: hostnameOf(changes.name) } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.accessIPv4 !== undefined ? { accessIPv4: changes.accessIPv4 } : {}),
        ...(changes.accessIPv6 !== undefined ? { accessIPv6: changes.accessIPv6 } : {}),
        ...(changes.diskConfig !== undefined ? { diskConfig: changes.diskConfig } : {}),
      },
    }));
  }

  /**
   * DELETE: any state but locked (non-admin); the work is a task, the reply 204 at once. With a
   * reclaim_instance_interval, a plain DELETE of a server on a host soft deletes it (soft-delete.ts);
   * forceDelete, and a DELETE of one already soft deleted, delete at once.
   */
  async delete(auth: CallerContext, id: string, requestId: string, rule = 'os_compute_api:servers:delete'): Promise<void> {
    const server = await this.get(auth, id, rule);
    this.checkLock(auth, server);
    await this.#deps.db.transaction().execute(async (trx) => {
      const current = await store.getServer(trx, server.id);
      if (!current || current.deleted) throw novaErrors.serverNotFound(id);
      if (current.taskState === TASK.DELETING || current.taskState === TASK.SOFT_DELETING) return;
      const deferred = this.#deps.config.reclaim_instance_interval > 0;
      const soft = deferred && rule === 'os_compute_api:servers:delete' && current.host !== null && current.vmState !== VM.SOFT_DELETED;
      const saved = await store.saveServer(trx, current, { ...current, taskState: soft ? TASK.SOFT_DELETING : TASK.DELETING });
      if (!saved) throw requestErrors.concurrentChange(`Instance ${id}`);
      await this.runtime.actions.start(trx, current, auth, requestId, 'delete');
      const kind = soft ? this.runtime.kinds.softDelete : this.runtime.kinds.delete;
      await this.#deps.tasks.enqueue(trx, { kind, payload: { serverId: current.id, requestId }, resourceId: current.id });
    });
    this.#deps.tasks.wake();
  }

  /** Nova's check_instance_lock: a locked server refuses non-admins (409). */
  checkLock(auth: CallerContext, server: Server): void {
    if (server.locked && !isAdmin(this.#deps, auth)) throw novaErrors.locked(server.id);
  }

  /**
   * Merges `metadata` into the server's (or replaces it), within the
   * metadata_items quota. The merge and the count are made on the row being
   * written (compare-and-swap), so concurrent requests neither lose each
   * other's keys nor together pass the quota.
   */
  async setMetadata(auth: CallerContext, id: string, metadata: Record<string, string>, replace: boolean, rule: string): Promise<Record<string, string>> {
    const server = await this.get(auth, id, rule);
    this.checkLock(auth, server);
    const limit = (await this.#deps.quota.getLimits(server.projectId)).metadata_items;
    const saved = await updateServer(this.#deps.db, id, (s) => {
      const next = replace ? { ...metadata } : { ...s.attrs.metadata, ...metadata };
      if (limit !== -1 && Object.keys(next).length > limit) {
        throw serverErrors.metadataLimit(Object.keys(next).length, limit);
      }
      return { ...s, attrs: { ...s.attrs, metadata: next } };
    });
    await this.#tellDriverMetadata(saved);
    return saved.attrs.metadata;
  }

  async deleteMetadata(auth: CallerContext, id: string, key: string): Promise<void> {
    const server = await this.get(auth, id, 'os_compute_api:server-metadata:delete');
    this.checkLock(auth, server);
    const saved = await updateServer(this.#deps.db, id, (s) => {
      if (!(key in s.attrs.metadata)) throw serverErrors.metadataItemNotFound();
      const { [key]: _removed, ...rest } = s.attrs.metadata;
      return { ...s, attrs: { ...s.attrs, metadata: rest } };
    });
    await this.#tellDriverMetadata(saved);
  }

  /**
   * Passes the new metadata to the hypervisor, as Nova casts change_instance_metadata to the compute host. A guest
   * not spawned yet reads it at spawn; one on a host of another process's driver is not reached (a cast, never an error).
   */
  async #tellDriverMetadata(server: Server): Promise<void> {
    const driver = this.#deps.driver;
    const host = server.host;
    if (!driver.changeMetadata || host === null || !driver.hosts().some((h) => h.host === host)) return;
    await driver.changeMetadata(host, server.id, server.attrs.metadata).catch((error: unknown) => {
      if (!(error instanceof DriverError && error.code === 'DomainNotFound')) throw error;
    });
  }

  /**
   * Applies `change` to the server's current tags (compare-and-swap, so
   * concurrent changes all land and together stay within MAX_TAGS).
   * `change` may throw (a tag to delete that is not there).
   */
  async changeTags(auth: CallerContext, id: string, rule: string, change: (tags: readonly string[]) => string[]): Promise<string[]> {
    const server = await this.get(auth, id, rule);
    this.checkLock(auth, server);
    const saved = await updateServer(this.#deps.db, id, (s) => {
      const tags = [...new Set(change(s.attrs.tags))];
      if (tags.length > MAX_TAGS) throw serverErrors.tooManyTags(MAX_TAGS);
      return { ...s, attrs: { ...s.attrs, tags } };
    });
    return saved.attrs.tags;
  }

  /** The image's min_disk (GiB), or null when the caller cannot see it. */
  async #imageMinDisk(auth: CallerContext, imageId: string): Promise<{ minDisk: number } | null> {
    const image = this.#deps.peers.image();
    try {
      return { minDisk: (await image.get(auth, imageId)).min_disk };
    } catch (error) {
      if (error instanceof NimbusError && error.status === 404) return null;
      throw error;
    }
  }

  /** Nova's image checks; a volume-backed server's root disk is not the flavor's, so its size is not checked. */
  async #checkImage(auth: CallerContext, imageRef: string, flavor: store.Flavor, volumeBacked: boolean): Promise<void> {
    const image = this.#deps.peers.image();
    let found;
    try {
      found = await image.get(auth, imageRef);
    } catch (error) {
      if (error instanceof NimbusError && error.status === 404) throw serverErrors.imageNotUsable(imageRef);
      throw error;
    }
    if (found.status !== 'active') throw serverErrors.imageNotActive(imageRef);
    if (!volumeBacked && flavor.rootGb > 0 && found.min_disk > flavor.rootGb) throw serverErrors.flavorDiskTooSmall();
    if (!volumeBacked && flavor.rootGb > 0 && (found.size ?? 0) > flavor.rootGb * 1024 ** 3) throw serverErrors.flavorDiskTooSmall();
    if (found.min_ram > flavor.memoryMb) throw serverErrors.flavorMemoryTooSmall();
  }

  async #checkZone(zone: string): Promise<void> {
    const zones = new Set([this.#deps.config.default_availability_zone, ...(await store.hostZones(this.#deps.db)).values()]);
    if (!zones.has(zone)) throw serverErrors.zoneNotAvailable();
  }
}

export const MAX_TAGS = 50;

/** What every server of one create request shares. */
interface ServerTemplate {
  request: CreateServerRequest;
  projectId: string;
  userId: string;
  flavor: store.Flavor;
  keyData: string | null;
  networks: Server['attrs']['networks'];
  groupId: string | null;
  reservationId: string;
  now: string;
}

/** Server `index` of `count` (Nova names them `name-1`, `name-2`, ... when there are several), building. */
function newServer(template: ServerTemplate, id: string, index: number, count: number, blockDevices: BlockDevice[] | undefined): Server {
  const { request, flavor, now } = template;
  const name = count > 1 ? `${request.name}-${index + 1}` : request.name;
  return {
    id,
    projectId: template.projectId,
    userId: template.userId,
    name,
    vmState: VM.BUILDING,
    taskState: TASK.SCHEDULING,
    powerState: POWER_STATE.NOSTATE,
    host: null,
    node: null,
    flavorId: flavor.id,
    imageRef: request.imageRef === '' ? null : request.imageRef,
    locked: false,
    deleted: false,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    revision: 0,
    attrs: {
      flavor: flavorSnapshot(flavor),
      oldFlavor: null,
      metadata: request.metadata,
      tags: [...new Set(request.tags)],
      keyName: request.keyName ?? null,
      keyData: template.keyData,
      accessIPv4: request.accessIPv4 ?? '',
      accessIPv6: request.accessIPv6 ?? '',
      description: request.description ?? null,
      userData: request.userData ?? null,
      injectedFiles: request.injectedFiles,
      availabilityZone: request.availabilityZone ?? null,
      reservationId: template.reservationId,
      launchIndex: index,
      hostname: hostnameOf(name),
      securityGroups: request.securityGroups,
      networks: template.networks,
      fault: null,
      lockedReason: null,
      lockedBy: null,
      launchedAt: null,
      terminatedAt: null,
      configDrive: request.configDrive ? 'True' : '',
      diskConfig: request.diskConfig,
      schedulerHints: request.schedulerHints,
      serverGroup: template.groupId,
      migrationUuid: null,
      resizeSourceHost: null,
      ownedPorts: [],
      ...(blockDevices !== undefined ? { blockDevices } : {}),
    },
  };
}
