/**
 * What the compute service offers other services in-process
 * (`deps.services.compute`): servers, flavors, key pairs, server groups,
 * server metadata and volume attachments, as Heat's OS::Nova::Server (with
 * its resize and rebuild update policies), OS::Nova::KeyPair,
 * OS::Nova::Flavor, OS::Nova::ServerGroup and OS::Cinder::VolumeAttachment
 * drive them. Every call takes the caller's CallerContext first and goes through compute's service layer, so Nova's
 * policy (os_compute_api:*) and quotas (instances, cores, ram,
 * metadata_items, key_pairs) answer exactly as over the REST API; errors are
 * compute's named errors (errors.ts) with Nova's statuses and messages.
 * The REST API under /compute is a second client of the same service layer.
 *
 * Values are typed, not Nova wire bodies; they are taken as checked (a
 * caller builds them from its own validated input), while existence,
 * visibility, policy, quota and state are checked here as for the API.
 */
import type { CallerContext } from '../core/context.js';
import type { QuotaUse } from '../core/quota/index.js';
import { uuid } from '../core/ids.js';
import { requestErrors, serverErrors } from './errors.js';
import type { VendorDataProvider, VendorDataProviders } from './metadata/vendor-data.js';
import type { RequestedBlockDevice } from './service/block-devices.js';
import type { ComputeServices } from './service/index.js';
import type { GuestStats } from './drivers/driver.js';
import type { AddressEntry } from './service/networking.js';
import { statusOf } from './service/states.js';
import { QUOTA_RESOURCES } from './service/deps.js';
import { FILE_QUOTAS, NETWORK_QUOTAS } from './service/quotas.js';
import type { Flavor, Keypair, Server, ServerGroup } from './store/index.js';
import type { VolumeAttachment } from './store/volume-attachments.js';

/** A blank qcow2 disk of this virtual size in bytes, as compute's own default image is made (the seed's generated images). */
export { emptyQcow2 } from './drivers/qcow2.js';

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    compute?: ComputeOperations;
  }
}

export type { RequestedBlockDevice } from './service/block-devices.js';
export type { GuestDiskStats, GuestInterfaceStats, GuestStats } from './drivers/driver.js';
export type { VendorDataProvider, VendorDataRequest } from './metadata/vendor-data.js';

export interface ServerAddress {
  version: 4 | 6;
  address: string;
  type: 'fixed' | 'floating';
  macAddress: string;
}

/** A server as a caller sees it. */
export interface ComputeServer {
  id: string;
  name: string;
  /** Nova's status: BUILD, ACTIVE, SHUTOFF, REBOOT, ERROR, DELETED, ... */
  status: string;
  /** The task in progress (`spawning`, `powering-off`, ...), null when none. */
  taskState: string | null;
  projectId: string;
  userId: string;
  flavorId: string;
  /** null for a server booted from a volume. */
  imageId: string | null;
  keyName: string | null;
  availabilityZone: string | null;
  metadata: Record<string, string>;
  tags: string[];
  description: string | null;
  accessIPv4: string;
  accessIPv6: string;
  /** The security group names asked for at create. */
  securityGroups: string[];
  /** By network name, fixed then floating, as Nova's `addresses`. */
  addresses: Record<string, ServerAddress[]>;
  locked: boolean;
  /** Why the server is in ERROR, when it is. */
  fault: { code: number; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A network to attach: a network (optionally a fixed IP on it), or an existing port. */
export interface ServerNetwork {
  networkId?: string;
  portId?: string;
  fixedIp?: string;
  tag?: string;
}

export interface CreateServerRequest {
  name: string;
  /** The image to boot; omit when a block device with bootIndex 0 is a volume. */
  imageId?: string;
  flavorId: string;
  /** 'auto' takes the one network the project can use, 'none' attaches nothing; absent as 'auto' but without failing when there is none. */
  networks?: 'auto' | 'none' | ServerNetwork[];
  /** Volumes and images to attach (Nova's block_device_mapping_v2 entries, parsed). */
  blockDevices?: RequestedBlockDevice[];
  keyName?: string;
  /** Base64, at most 65535 bytes encoded. */
  userData?: string;
  metadata?: Record<string, string>;
  /** Security group names (or ids) of the caller's project; default group when empty. */
  securityGroups?: string[];
  availabilityZone?: string;
  adminPass?: string;
  tags?: string[];
  description?: string | null;
  configDrive?: boolean;
  /** Scheduler hints, e.g. `{ group: [serverGroupId] }`. */
  schedulerHints?: Record<string, string[]>;
  /** How many servers; at least minCount are made or none (quota). Default 1. */
  minCount?: number;
  maxCount?: number;
}

export interface CreatedServers {
  /** In BUILD: wait with waitForServer. */
  servers: ComputeServer[];
  reservationId: string;
  adminPass: string;
}

export interface ServerListFilter {
  /** Nova's name filter: a regular expression. Use findServer for an exact name. */
  name?: string;
  status?: string;
  tags?: string[];
  /** Admins: every project's servers, or those of `projectId`. */
  allProjects?: boolean;
  projectId?: string;
  limit?: number;
  marker?: string;
}

export interface ComputeFlavor {
  id: string;
  name: string;
  ramMb: number;
  vcpus: number;
  diskGb: number;
  ephemeralGb: number;
  swapMb: number;
  isPublic: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
}

/** A flavor to make (OS::Nova::Flavor): sizes in MiB and GiB as Nova's. */
export interface CreateFlavorRequest {
  name: string;
  /** Nova's flavorid; a uuid when absent. */
  id?: string;
  ramMb: number;
  vcpus: number;
  diskGb: number;
  ephemeralGb?: number;
  swapMb?: number;
  /** Default true; a private flavor is usable by `projects` (and admins). */
  isPublic?: boolean;
  description?: string | null;
  extraSpecs?: Record<string, string>;
  projects?: string[];
}

export interface ComputeKeypair {
  name: string;
  type: 'ssh' | 'x509';
  publicKey: string;
  fingerprint: string;
  userId: string;
}

export interface CreateKeypairRequest {
  /** Letters, digits, spaces, '_' and '-', 1-255 characters. */
  name: string;
  /** Default 'ssh'. */
  type?: 'ssh' | 'x509';
  /** Imports this key; absent, a key pair is generated and its private key returned once. */
  publicKey?: string;
}

/** A volume plugged into a server (os-volume_attachments). */
export interface ServerVolumeAttachment {
  serverId: string;
  volumeId: string;
  /** The guest device, e.g. /dev/vdb. */
  device: string;
  deleteOnTermination: boolean;
}

/** A server group (os-server-groups): a scheduling policy for its members. */
export interface ComputeServerGroup {
  id: string;
  name: string;
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  /** `max_server_per_host` for anti-affinity. */
  rules: Record<string, number>;
  members: string[];
  projectId: string;
}

/** A server on a host of this process, with what Ceilometer's `instance` resource records of it. */
export interface HostedServer extends ComputeServer {
  host: string;
  /** The hypervisor's name of the guest (OS-EXT-SRV-ATTR:instance_name). */
  instanceName: string;
  flavor: { id: string; name: string; vcpus: number; ramMb: number; diskGb: number; ephemeralGb: number };
  launchedAt: string | null;
}

/** A compute host's capacity and what the servers placed on it use (os-hypervisors' detail, by host). */
export interface HypervisorSummary {
  hostname: string;
  availabilityZone: string;
  vcpus: number;
  vcpusUsed: number;
  memoryMb: number;
  memoryMbUsed: number;
  localGb: number;
  localGbUsed: number;
  runningVms: number;
  /** Servers with a task in progress. */
  currentWorkload: number;
}

/** One host's nova-compute service (os-services' row). */
export interface ComputeServiceState {
  /** os-services' id from 2.53 on (a UUID). */
  id: string;
  host: string;
  binary: string;
  zone: string;
  enabled: boolean;
  disabledReason: string | null;
  state: 'up' | 'down';
}

export interface ComputeOperations {
  /**
   * Starts making servers (Nova's POST /servers): checks flavor, image,
   * networks, key, volumes, zone and quotas, then commits the servers in
   * BUILD with their build tasks and returns at once. A refusal leaves
   * nothing behind; a build that fails later leaves the server in ERROR
   * with a fault (delete it). Not idempotent: each call makes new servers.
   */
  createServers(caller: CallerContext, request: CreateServerRequest): Promise<CreatedServers>;
  /** A server the caller may see (its project's; any for admins); 404 otherwise or once deleted. */
  getServer(caller: CallerContext, serverId: string): Promise<ComputeServer>;
  /** The caller's project's servers (others' only for admins who ask), newest first. */
  listServers(caller: CallerContext, filter?: ServerListFilter): Promise<ComputeServer[]>;
  /** The one server of the caller's project with exactly this name; null when none, 409 when several. */
  findServer(caller: CallerContext, name: string): Promise<ComputeServer | null>;
  /** Renames or redescribes a server; returns it as changed. Idempotent. */
  updateServer(caller: CallerContext, serverId: string, changes: { name?: string; description?: string | null }): Promise<ComputeServer>;
  /**
   * Starts deleting a server (its ports it made, its volumes marked
   * delete_on_termination); 404 once it is gone. Idempotent while the
   * delete runs. A locked server is 409 for non-admins.
   */
  deleteServer(caller: CallerContext, serverId: string): Promise<void>;
  /** Starts powering a SHUTOFF server on (409 in any other state); ACTIVE when done. */
  startServer(caller: CallerContext, serverId: string): Promise<void>;
  /** Starts powering an ACTIVE (or ERROR) server off (409 otherwise); SHUTOFF when done. */
  stopServer(caller: CallerContext, serverId: string): Promise<void>;
  /** Starts a SOFT or HARD reboot; ACTIVE when done. */
  rebootServer(caller: CallerContext, serverId: string, type: 'SOFT' | 'HARD'): Promise<void>;
  /**
   * Starts moving the server to another flavor (cores and ram quota for the
   * difference are reserved first: 403, nothing changed); VERIFY_RESIZE when
   * done, then confirmServerResize. 400 for the same or an unknown flavor.
   */
  resizeServer(caller: CallerContext, serverId: string, flavorId: string): Promise<void>;
  /**
   * Starts rebuilding the server from another image (Nova's rebuild action;
   * its ports, volumes and id stay); ACTIVE when done. 400 for an image the
   * caller cannot use, 409 in a state that refuses it.
   */
  rebuildServer(caller: CallerContext, serverId: string, imageId: string): Promise<void>;
  /**
   * Nova's createImage action: a snapshot image of the server named `name`,
   * owned by the caller's project, `queued` until the hypervisor's snapshot
   * fills it (then `active`). Answers the image id.
   */
  createServerImage(caller: CallerContext, serverId: string, name: string): Promise<string>;
  /** Confirms a resize in VERIFY_RESIZE (the old flavor's resources are freed); ACTIVE when done. */
  confirmServerResize(caller: CallerContext, serverId: string): Promise<void>;
  /**
   * Resolves once the server's status is one of `statuses` with no task in
   * progress ('DELETED': once it is gone). Rejects when it goes to ERROR
   * (unless asked for) or after `timeoutMs` (default 5 min); changes nothing.
   */
  waitForServer(caller: CallerContext, serverId: string, statuses: readonly string[], timeoutMs?: number): Promise<ComputeServer | null>;
  /** The server's metadata. */
  getServerMetadata(caller: CallerContext, serverId: string): Promise<Record<string, string>>;
  /**
   * Merges `metadata` into the server's (or replaces it all with `replace`),
   * within the metadata_items quota (403, nothing changed); returns the
   * result. Idempotent.
   */
  setServerMetadata(
    caller: CallerContext,
    serverId: string,
    metadata: Record<string, string>,
    options?: { replace?: boolean },
  ): Promise<Record<string, string>>;
  /** Removes one key (404 when absent). */
  deleteServerMetadata(caller: CallerContext, serverId: string, key: string): Promise<void>;
  /**
   * Plugs an `available` volume into the server (Nova's
   * os-volume_attachments create, synchronous as Nova's reservation): the
   * volume is `in-use` when this returns; the device is the next free one
   * (as Nova with libvirt, which ignores a requested name). 404 for an unknown server or
   * volume, 409 when already attached or in a refusing state.
   */
  attachVolume(caller: CallerContext, serverId: string, volumeId: string, options?: { deleteOnTermination?: boolean }): Promise<ServerVolumeAttachment>;
  /** Unplugs the volume (it is `available` again when no attachment remains); 404 when it is not attached to the server. */
  detachVolume(caller: CallerContext, serverId: string, volumeId: string): Promise<void>;
  /** The volumes plugged into the server. Read only. */
  listVolumeAttachments(caller: CallerContext, serverId: string): Promise<ServerVolumeAttachment[]>;
  /** Makes a server group in the caller's project, within the server_groups quota (403 past it). Not idempotent. */
  createServerGroup(
    caller: CallerContext,
    group: { name: string; policy: ComputeServerGroup['policy']; rules?: Record<string, number> },
  ): Promise<ComputeServerGroup>;
  /** A group the caller may see; 404 otherwise. Read only. */
  getServerGroup(caller: CallerContext, groupId: string): Promise<ComputeServerGroup>;
  /** The caller's project's groups. Read only. */
  listServerGroups(caller: CallerContext): Promise<ComputeServerGroup[]>;
  /** Deletes the group and releases its quota; its servers stay. 404 when absent. */
  deleteServerGroup(caller: CallerContext, groupId: string): Promise<void>;
  /** A flavor by id (any flavor, as Nova's show). */
  getFlavor(caller: CallerContext, flavorId: string): Promise<ComputeFlavor>;
  /** The flavors the caller may use (public, and private ones shared with its project; admins: all), by id. */
  listFlavors(caller: CallerContext, filter?: { minRamMb?: number; minDiskGb?: number }): Promise<ComputeFlavor[]>;
  /** A flavor the caller may use by id or, failing that, by exact name; null when none. */
  findFlavor(caller: CallerContext, idOrName: string): Promise<ComputeFlavor | null>;
  /**
   * Makes a flavor with its extra specs and, for a private one, the projects
   * that may use it (admin; 409 when the id or name is taken). A failure
   * after the flavor was made deletes it again. Not idempotent.
   */
  createFlavor(caller: CallerContext, request: CreateFlavorRequest): Promise<ComputeFlavor>;
  /** Deletes a flavor (admin); servers keep their copy of it. 404 when absent. */
  deleteFlavor(caller: CallerContext, flavorId: string): Promise<void>;
  /**
   * Sets the project's own limits as PUT os-quota-sets does without `force`
   * (policy os_compute_api:os-quota-sets:update; a limit below the usage is
   * 400); 400 for a resource Nova keeps no quota of. Idempotent.
   */
  setQuotas(caller: CallerContext, projectId: string, limits: Record<string, number>): Promise<Record<string, number>>;
  /**
   * Imports or generates the caller's key pair (a user's key pairs are
   * per user), within the key_pairs quota; 409 when the name is taken.
   * A refusal leaves nothing. The private key of a generated pair is
   * returned here only.
   */
  createKeypair(caller: CallerContext, request: CreateKeypairRequest): Promise<ComputeKeypair & { privateKey?: string }>;
  /** The caller's key pair of that name (404 otherwise). */
  getKeypair(caller: CallerContext, name: string): Promise<ComputeKeypair>;
  listKeypairs(caller: CallerContext): Promise<ComputeKeypair[]>;
  /** Deletes the caller's key pair and releases its quota; 404 when absent. */
  deleteKeypair(caller: CallerContext, name: string): Promise<void>;
  /** The server's usage counters from its hypervisor (admin: os-server-diagnostics); 409 when it is not running. */
  serverStats(caller: CallerContext, serverId: string): Promise<GuestStats>;
  /** The live servers on the hosts this process's driver runs (admin: os-hypervisors:servers), for Ceilometer's compute pollsters. */
  localServers(caller: CallerContext): Promise<HostedServer[]>;
  /** Every compute host, oldest first (admin: os-hypervisors:list-detail). */
  listHypervisors(caller: CallerContext): Promise<HypervisorSummary[]>;
  /**
   * A project's limits and use of the resources the latest microversion's
   * os-quota-sets detail shows (policy os_compute_api:os-quota-sets:detail),
   * by Nova's resource name. Read only; for the exporter's quota series.
   */
  quotaDetails(caller: CallerContext, projectId: string): Promise<Record<string, QuotaUse>>;
  /** Every host's nova-compute service as os-services shows it (admin: os-services:list), for the exporter's agent states. */
  listComputeServices(caller: CallerContext): Promise<ComputeServiceState[]>;
  /**
   * Adds a service's entry to every instance's `vendor_data2.json` (metadata
   * service and config drive), as a target of Nova's DynamicJSON vendordata:
   * the entry `name` is the provider's answer for the instance (none when it
   * answers null, `{}` when it fails). Registering a name again replaces it.
   */
  registerVendorData(name: string, provider: VendorDataProvider): void;
}

/** The resources os-quota-sets shows from 2.57 on: the network proxies and injected files are gone. */
const LATEST_QUOTAS = QUOTA_RESOURCES.filter((r) => !NETWORK_QUOTAS.includes(r) && !FILE_QUOTAS.includes(r));

const DEFAULT_WAIT_MS = 300_000;
const WAIT_POLL_MS = 200;

/** The operations over compute's service layer (built once in compute/index.ts). */
export function computeOperations(services: ComputeServices, vendorData: VendorDataProviders): ComputeOperations {
  const requestId = (caller: CallerContext) => caller.requestId ?? `req-${uuid()}`;
  const action = (caller: CallerContext, serverId: string) => ({ auth: caller, serverId, requestId: requestId(caller) });
  const withAddresses = async (servers: Server[]): Promise<ComputeServer[]> => {
    const addresses = await services.runtime.networking.addresses(servers.map((s) => s.id));
    return servers.map((server) => serverOf(server, addresses.get(server.id) ?? {}));
  };
  const getServer = async (caller: CallerContext, serverId: string) => (await withAddresses([await services.servers.get(caller, serverId)]))[0]!;
  const listServers = async (caller: CallerContext, filter: ServerListFilter = {}) => {
    const { limit, marker, ...filters } = filter;
    const query = { filters, sort: [], ...(limit !== undefined && { limit }), ...(marker !== undefined && { marker }) };
    return withAddresses(await services.servers.list(caller, query, true));
  };
  const usableFlavors = (caller: CallerContext, filter: { minRamMb?: number; minDiskGb?: number } = {}) =>
    services.flavors.list(caller, {
      // Every flavor for admins (Nova's is_public=None); others see public and shared ones whatever this says.
      isPublic: null,
      sortKey: 'flavorid',
      sortDir: 'asc',
      ...(filter.minRamMb !== undefined && { minRam: filter.minRamMb }),
      ...(filter.minDiskGb !== undefined && { minDisk: filter.minDiskGb }),
    });

  return {
    async createServers(caller, request) {
      const created = await services.servers.create(caller, {
        name: request.name,
        imageRef: request.imageId ?? '',
        blockDevices: request.blockDevices ?? [],
        flavorRef: request.flavorId,
        ...(request.networks !== undefined && { networks: networksOf(request.networks) }),
        strictNetworks: request.networks !== undefined,
        ...(request.keyName !== undefined && { keyName: request.keyName }),
        ...(request.userData !== undefined && { userData: request.userData }),
        injectedFiles: [],
        metadata: request.metadata ?? {},
        securityGroups: [...new Set(request.securityGroups ?? [])],
        ...(request.availabilityZone !== undefined && { availabilityZone: request.availabilityZone }),
        minCount: request.minCount ?? 1,
        maxCount: request.maxCount ?? request.minCount ?? 1,
        ...(request.adminPass !== undefined && { adminPass: request.adminPass }),
        tags: request.tags ?? [],
        ...(request.description !== undefined && { description: request.description }),
        configDrive: request.configDrive ?? false,
        diskConfig: 'MANUAL',
        schedulerHints: request.schedulerHints ?? {},
        requestId: requestId(caller),
      });
      return { servers: created.servers.map((server) => serverOf(server, {})), reservationId: created.reservationId, adminPass: created.adminPass };
    },
    getServer,
    listServers,
    async findServer(caller, name) {
      const matches = (await listServers(caller, { name: `^${escapeRegex(name)}$` })).filter((s) => s.name === name);
      if (matches.length > 1) throw requestErrors.ambiguousName('server', name);
      return matches[0] ?? null;
    },
    async updateServer(caller, serverId, changes) {
      return (await withAddresses([await services.servers.update(caller, serverId, changes)]))[0]!;
    },
    deleteServer: (caller, serverId) => services.servers.delete(caller, serverId, requestId(caller)),
    startServer: (caller, serverId) => services.serverActions.start(action(caller, serverId), 'start').then(() => undefined),
    stopServer: (caller, serverId) => services.serverActions.start(action(caller, serverId), 'stop').then(() => undefined),
    rebootServer: (caller, serverId, type) => services.serverActions.reboot(action(caller, serverId), type),
    resizeServer: (caller, serverId, flavorId) => services.serverActions.resize(action(caller, serverId), flavorId),
    rebuildServer: (caller, serverId, imageId) =>
      services.serverActions.rebuild(action(caller, serverId), { imageRef: imageId, injectedFiles: [] }).then(() => undefined),
    createServerImage: (caller, serverId, name) => services.serverActions.createImage(action(caller, serverId), name, {}),
    confirmServerResize: (caller, serverId) => services.serverActions.start(action(caller, serverId), 'confirmResize').then(() => undefined),
    async waitForServer(caller, serverId, statuses, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const server = await getServer(caller, serverId).catch((error: unknown) => {
          if (statuses.includes('DELETED') && (error as { status?: number }).status === 404) return null;
          throw error;
        });
        if (server === null) return null;
        if (statuses.includes(server.status) && server.taskState === null) return server;
        if (server.status === 'ERROR' && !statuses.includes('ERROR')) throw serverErrors.wentToError(serverId, server.fault?.message ?? '');
        if (Date.now() > deadline) throw serverErrors.waitTimedOut(serverId, server.status, timeoutMs);
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
    },
    getServerMetadata: async (caller, serverId) => (await services.servers.get(caller, serverId, 'os_compute_api:server-metadata:index')).attrs.metadata,
    setServerMetadata: (caller, serverId, metadata, options = {}) =>
      services.servers.setMetadata(
        caller,
        serverId,
        metadata,
        options.replace ?? false,
        `os_compute_api:server-metadata:${options.replace ? 'update_all' : 'create'}`,
      ),
    deleteServerMetadata: (caller, serverId, key) => services.servers.deleteMetadata(caller, serverId, key),
    attachVolume: async (caller, serverId, volumeId, options = {}) =>
      attachmentOf(
        await services.volumeAttachments.attach(caller, serverId, requestId(caller), {
          volumeId,
          tag: null,
          deleteOnTermination: options.deleteOnTermination ?? false,
        }),
      ),
    detachVolume: (caller, serverId, volumeId) => services.volumeAttachments.detach(caller, serverId, requestId(caller), volumeId),
    listVolumeAttachments: async (caller, serverId) => (await services.volumeAttachments.list(caller, serverId)).map(attachmentOf),
    createServerGroup: async (caller, group) =>
      groupOf(await services.serverGroups.create(caller, { name: group.name, policy: group.policy, rules: group.rules ?? {} })),
    getServerGroup: async (caller, groupId) => groupOf(await services.serverGroups.get(caller, groupId)),
    listServerGroups: async (caller) => (await services.serverGroups.list(caller, { allProjects: false })).map(groupOf),
    deleteServerGroup: (caller, groupId) => services.serverGroups.delete(caller, groupId),
    getFlavor: async (caller, flavorId) => flavorOf(await services.flavors.get(caller, flavorId)),
    listFlavors: async (caller, filter) => (await usableFlavors(caller, filter)).map(flavorOf),
    async findFlavor(caller, idOrName) {
      const flavors = await usableFlavors(caller);
      const found = flavors.find((f) => f.id === idOrName) ?? flavors.find((f) => f.name === idOrName);
      return found ? flavorOf(found) : null;
    },
    async createFlavor(caller, request) {
      const flavor = await services.flavors.create(caller, {
        name: request.name,
        id: request.id ?? null,
        ram: request.ramMb,
        vcpus: request.vcpus,
        disk: request.diskGb,
        ephemeral: request.ephemeralGb ?? 0,
        swap: request.swapMb ?? 0,
        isPublic: request.isPublic ?? true,
        description: request.description ?? null,
      });
      try {
        if (request.extraSpecs && Object.keys(request.extraSpecs).length > 0)
          await services.flavors.setExtraSpecs(caller, flavor.id, request.extraSpecs, 'create');
        for (const project of request.projects ?? []) await services.flavors.addAccess(caller, flavor.id, project);
      } catch (error) {
        await services.flavors.delete(caller, flavor.id);
        throw error;
      }
      return flavorOf(await services.flavors.get(caller, flavor.id));
    },
    deleteFlavor: (caller, flavorId) => services.flavors.delete(caller, flavorId),
    async setQuotas(caller, projectId, limits) {
      const unknown = Object.keys(limits).filter((key) => !(QUOTA_RESOURCES as readonly string[]).includes(key));
      if (unknown.length > 0) throw requestErrors.additionalProperties(unknown, 'quota_set');
      return services.quotas.update(caller, projectId, services.quotas.parse(limits), false);
    },
    async createKeypair(caller, request) {
      const created = await services.keypairs.create(caller, {
        name: request.name,
        type: request.type ?? 'ssh',
        ...(request.publicKey !== undefined && { publicKey: request.publicKey }),
      });
      return { ...keypairOf(created), ...(created.privateKey !== undefined && { privateKey: created.privateKey }) };
    },
    getKeypair: async (caller, name) => keypairOf(await services.keypairs.get(caller, name)),
    listKeypairs: async (caller) => (await services.keypairs.list(caller)).map(keypairOf),
    deleteKeypair: (caller, name) => services.keypairs.delete(caller, name),
    serverStats: (caller, serverId) => services.serverStats.stats(caller, serverId),
    async listHypervisors(caller) {
      return (await services.hypervisors.list(caller, 'list-detail')).map(({ service, usage }) => ({
        hostname: service.hypervisor.hypervisorHostname,
        availabilityZone: service.hypervisor.zone,
        vcpus: service.hypervisor.vcpus,
        memoryMb: service.hypervisor.memoryMb,
        localGb: service.hypervisor.localGb,
        ...usage,
      }));
    },
    async quotaDetails(caller, projectId) {
      const { limits, usage } = await services.quotas.show(caller, projectId, 'detail');
      return Object.fromEntries(LATEST_QUOTAS.map((r) => [r, { limit: limits[r], inUse: usage[r], reserved: 0 }]));
    },
    async listComputeServices(caller) {
      return (await services.services.list(caller)).map((s) => ({
        id: s.id,
        host: s.host,
        binary: s.binary,
        zone: s.zone,
        enabled: s.enabled,
        disabledReason: s.disabledReason,
        state: s.state,
      }));
    },
    async localServers(caller) {
      const hosted = (await services.serverStats.localServers(caller)).flatMap(({ host, servers }) => servers.map((server) => ({ host, server })));
      const views = await withAddresses(hosted.map((h) => h.server));
      return hosted.map(({ host, server }, i) => {
        const { flavor } = server.attrs;
        return {
          ...views[i]!,
          host,
          instanceName: `instance-${server.id}`,
          flavor: { id: flavor.id, name: flavor.name, vcpus: flavor.vcpus, ramMb: flavor.memoryMb, diskGb: flavor.rootGb, ephemeralGb: flavor.ephemeralGb },
          launchedAt: server.attrs.launchedAt,
        };
      });
    },
    registerVendorData: (name, provider) => vendorData.register(name, provider),
  };
}

function networksOf(networks: 'auto' | 'none' | ServerNetwork[]) {
  if (networks === 'auto' || networks === 'none') return networks;
  return networks.map((n) => ({
    ...(n.networkId !== undefined && { uuid: n.networkId }),
    ...(n.portId !== undefined && { port: n.portId }),
    ...(n.fixedIp !== undefined && { fixedIp: n.fixedIp }),
    ...(n.tag !== undefined && { tag: n.tag }),
  }));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function serverOf(server: Server, addresses: Record<string, AddressEntry[]>): ComputeServer {
  const { attrs } = server;
  return {
    id: server.id,
    name: server.name,
    status: server.deleted ? 'DELETED' : statusOf(server.vmState, server.taskState),
    taskState: server.taskState,
    projectId: server.projectId,
    userId: server.userId,
    flavorId: server.flavorId,
    imageId: server.imageRef,
    keyName: attrs.keyName,
    availabilityZone: attrs.availabilityZone,
    metadata: attrs.metadata,
    tags: attrs.tags,
    description: attrs.description,
    accessIPv4: attrs.accessIPv4,
    accessIPv6: attrs.accessIPv6,
    securityGroups: attrs.securityGroups,
    addresses: Object.fromEntries(
      Object.entries(addresses).map(([network, entries]) => [
        network,
        entries.map((entry) => ({
          version: entry.version,
          address: entry.addr,
          type: entry['OS-EXT-IPS:type'],
          macAddress: entry['OS-EXT-IPS-MAC:mac_addr'],
        })),
      ]),
    ),
    locked: server.locked,
    fault: attrs.fault ? { code: attrs.fault.code, message: attrs.fault.message } : null,
    createdAt: server.createdAt,
    updatedAt: server.updatedAt,
  };
}

function attachmentOf(attachment: VolumeAttachment): ServerVolumeAttachment {
  return { serverId: attachment.serverId, volumeId: attachment.volumeId, device: attachment.device, deleteOnTermination: attachment.deleteOnTermination };
}

function groupOf(group: ServerGroup): ComputeServerGroup {
  return { id: group.id, name: group.name, policy: group.policy, rules: group.rules, members: group.members, projectId: group.projectId };
}

function flavorOf(flavor: Flavor): ComputeFlavor {
  return {
    id: flavor.id,
    name: flavor.name,
    ramMb: flavor.memoryMb,
    vcpus: flavor.vcpus,
    diskGb: flavor.rootGb,
    ephemeralGb: flavor.ephemeralGb,
    swapMb: flavor.swap,
    isPublic: flavor.isPublic,
    description: flavor.description,
    extraSpecs: flavor.extraSpecs,
  };
}

function keypairOf(keypair: Keypair): ComputeKeypair {
  return {
    name: keypair.name,
    type: keypair.type === 'x509' ? 'x509' : 'ssh',
    publicKey: keypair.public_key,
    fingerprint: keypair.fingerprint,
    userId: keypair.user_id,
  };
}
