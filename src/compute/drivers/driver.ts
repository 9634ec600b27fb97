/**
 * The hypervisor driver contract: what a compute host does to guests. Every
 * implementation (`fake.ts`, `qemu/`) keeps the same state machine
 * (DRIVER_STATES below) and raises the same errors in the same cases;
 * test/compute/driver-contract.ts runs one suite over each.
 *
 * Vocabulary:
 * - A *host* is one hypervisor (one nova-compute service). A driver instance
 *   may manage several hosts (the fake simulates N); every call names its host.
 * - A *domain* is the hypervisor's guest for one server, keyed by the server's
 *   uuid; hypervisor-side ids never leave the driver.
 * - Power states are Nova's numbers (POWER_STATE): the API shows them as-is.
 *
 * Idempotence: every call may be repeated after a crash. `spawn` of a domain
 * that already runs with the same spec succeeds; `destroy` of a missing
 * domain succeeds. Other calls on a missing domain throw `DomainNotFound`.
 */
import type { Duplex } from 'node:stream';
import { invalidDomainState, type DriverErrorCode } from './errors.js';

export const POWER_STATE = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerState = (typeof POWER_STATE)[keyof typeof POWER_STATE];

const POWER_STATE_NAMES: Record<PowerState, string> = { 0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown', 6: 'crashed', 7: 'suspended' };

/** libvirt's word for a power state, as the drivers' InvalidDomainState messages use it. */
export function powerStateName(state: PowerState): string {
  return POWER_STATE_NAMES[state];
}

const ANY_POWER_STATE: readonly PowerState[] = Object.values(POWER_STATE);

/**
 * The power states each domain operation accepts, and the one it leaves
 * (`unchanged`: the guest keeps its state; `guest`: the guest decides, e.g.
 * an NMI may or may not crash it). Every driver checks these, through
 * `checkPowerState`, before touching the guest: a call in any other state
 * throws `InvalidDomainState` and changes nothing. Operations absent here
 * (spawn, destroy, info, consoleLog) need no particular state.
 */
export const DRIVER_STATES = {
  powerOn: { verb: 'power on', accepts: [POWER_STATE.SHUTDOWN, POWER_STATE.RUNNING, POWER_STATE.CRASHED], produces: POWER_STATE.RUNNING },
  powerOff: {
    verb: 'power off',
    accepts: [POWER_STATE.RUNNING, POWER_STATE.PAUSED, POWER_STATE.SUSPENDED, POWER_STATE.SHUTDOWN, POWER_STATE.CRASHED],
    produces: POWER_STATE.SHUTDOWN,
  },
  softReboot: { verb: 'reboot', accepts: [POWER_STATE.RUNNING], produces: POWER_STATE.RUNNING },
  hardReboot: {
    verb: 'reboot',
    accepts: [POWER_STATE.RUNNING, POWER_STATE.SHUTDOWN, POWER_STATE.PAUSED, POWER_STATE.SUSPENDED, POWER_STATE.CRASHED],
    produces: POWER_STATE.RUNNING,
  },
  pause: { verb: 'pause', accepts: [POWER_STATE.RUNNING], produces: POWER_STATE.PAUSED },
  unpause: { verb: 'unpause', accepts: [POWER_STATE.PAUSED], produces: POWER_STATE.RUNNING },
  suspend: { verb: 'suspend', accepts: [POWER_STATE.RUNNING, POWER_STATE.PAUSED], produces: POWER_STATE.SUSPENDED },
  resume: { verb: 'resume', accepts: [POWER_STATE.SUSPENDED], produces: POWER_STATE.RUNNING },
  rescue: { verb: 'rescue', accepts: [POWER_STATE.RUNNING, POWER_STATE.SHUTDOWN, POWER_STATE.CRASHED], produces: POWER_STATE.RUNNING },
  unrescue: { verb: 'unrescue', accepts: [POWER_STATE.RUNNING, POWER_STATE.SHUTDOWN], produces: POWER_STATE.RUNNING },
  triggerCrashDump: { verb: 'trigger a crash dump of', accepts: [POWER_STATE.RUNNING], produces: 'guest' },
  liveMigrate: { verb: 'live migrate', accepts: [POWER_STATE.RUNNING, POWER_STATE.PAUSED], produces: 'unchanged' },
  setAdminPassword: { verb: 'set the password of', accepts: [POWER_STATE.RUNNING], produces: 'unchanged' },
  /** A running guest runs on at its new size; any other comes back shut down. */
  resize: { verb: 'resize', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  confirmResize: { verb: 'confirm the resize of', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  revertResize: { verb: 'revert the resize of', accepts: ANY_POWER_STATE, produces: POWER_STATE.RUNNING },
  snapshot: { verb: 'snapshot', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  attachVolume: { verb: 'attach a volume to', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  detachVolume: { verb: 'detach a volume from', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  attachInterface: { verb: 'attach an interface to', accepts: ANY_POWER_STATE, produces: 'unchanged' },
  detachInterface: { verb: 'detach an interface from', accepts: ANY_POWER_STATE, produces: 'unchanged' },
} as const satisfies Record<string, { verb: string; accepts: readonly PowerState[]; produces: PowerState | 'unchanged' | 'guest' }>;

export type DriverOperation = keyof typeof DRIVER_STATES;

/** Throws `InvalidDomainState` unless `operation` accepts the domain's power state `current`. */
export function checkPowerState(operation: DriverOperation, serverId: string, current: PowerState): void {
  const { verb, accepts } = DRIVER_STATES[operation];
  if (!(accepts as readonly PowerState[]).includes(current)) throw invalidDomainState(serverId, verb, powerStateName(current));
}

/**
 * The name of the host network device (tap) that carries a port to a guest:
 * Nova's VIF `devname`, "tap" + the port id cut to Linux's 14 characters. The
 * network backend creates the device by this name when it binds the port,
 * the hypervisor plugs the guest into it, and the metadata service names the
 * guest's links after it (network_data.json).
 */
export function portDeviceName(portId: string): string {
  return `tap${portId.slice(0, 11)}`;
}

/** A host's capacity, as its compute service reports it to Placement and os-hypervisors. */
export interface HostResources {
  host: string;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  /** Why this host cannot run guests (e.g. a missing tool), or null: its service is reported down with it. */
  unavailable: string | null;
}

/**
 * How the host opens a volume: Cinder's connection_info as the volume service
 * returned it. `local`: `data.device_path` (a file or block device) and
 * `data.format` (raw, qcow2); `nbd`: `data.uri` (nbd://host:port/export).
 */
export interface VolumeConnection {
  driverVolumeType: 'local' | 'nbd';
  data: Record<string, string | boolean>;
}

/** A volume plugged into a guest, at `device` (/dev/vdb, ...). */
export interface GuestVolume {
  volumeId: string;
  device: string;
  connection: VolumeConnection;
}

export interface GuestSpec {
  serverId: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  /** Boot source: an image (its id) or a volume (its id). */
  boot: { image: string } | { volume: string };
  /** MAC addresses of the guest's ports, in order. */
  interfaces: Array<{ portId: string; mac: string }>;
  /** Volumes plugged at start, the boot volume (if `boot.volume`) first. */
  volumes: GuestVolume[];
  userData: string | null;
  /**
   * Personality files (create or rebuild before 2.57): path in the guest →
   * contents, base64 as the user sent them. Nova writes them through the
   * config drive or the metadata service; a driver without either may only
   * record them (the fake logs them on the console).
   */
  injectedFiles: Array<{ path: string; contents: string }>;
  /**
   * Files of a config drive (path inside the drive, e.g.
   * `openstack/latest/meta_data.json`, → content), or null for none. The
   * service writes them; a driver packs them as an ISO9660 `config-2` disk.
   */
  configDrive: Record<string, string> | null;
  /** Failure injection read by the fake (server metadata `fake:*`); real drivers ignore it. */
  metadata: Record<string, string>;
}

export interface DomainInfo {
  powerState: PowerState;
  vcpus: number;
  memoryMb: number;
  /** Seconds since the guest last started. */
  uptimeSeconds: number;
  rescued: boolean;
}

/** A disk's I/O counters since its guest's QEMU started, as libvirt's blockStats gives them. */
export interface GuestDiskStats {
  /** The guest's device name: `vda`, `vdb`, ... */
  device: string;
  readBytes: number;
  readRequests: number;
  writeBytes: number;
  writeRequests: number;
}

/**
 * An interface's counters as the guest sees them (libvirt's interfaceStats):
 * `rx` is what the guest received, i.e. what the host's tap sent.
 */
export interface GuestInterfaceStats {
  portId: string;
  mac: string;
  /** The host's tap (`portDeviceName`): Ceilometer names the interface after it. */
  tapName: string;
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

/** What Ceilometer's compute pollsters read of a guest; counters are cumulative since the guest's process started. */
export interface GuestStats {
  /** CPU time the guest consumed, in nanoseconds. */
  cpuTimeNs: number;
  vcpus: number;
  memoryMb: number;
  /** Memory the guest uses (MB), when the hypervisor can tell (a balloon); null otherwise. */
  memoryUsageMb: number | null;
  disks: GuestDiskStats[];
  interfaces: GuestInterfaceStats[];
}

/**
 * A guest console a proxy can join a client to, by what the guest speaks on
 * it: `serial` (its first serial port: bytes both ways) or `vnc` (its
 * display: the RFB protocol, from the server's version string on).
 */
export type ConsoleKind = 'serial' | 'vnc';

/** What the `uptime` command tells of a host: os-hypervisors' uptime. */
export interface HostLoad {
  uptimeSeconds: number;
  /** The 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
}

/** Optional features; all false by default so a new driver promises nothing. */
export interface DriverCapabilities {
  supportsRescue: boolean;
  supportsSuspend: boolean;
  supportsPause: boolean;
  supportsLiveMigration: boolean;
  supportsAttachInterface: boolean;
  supportsAttachVolume: boolean;
  supportsCrashDump: boolean;
  /** The consoles `openConsole` opens (none: every console type is unavailable, as Nova's with its consoles disabled). */
  consoles: ConsoleKind[];
}

export interface HypervisorDriver {
  readonly type: string;
  capabilities(): DriverCapabilities;
  /** The hosts this driver runs and their resources (sent to Placement at start). */
  hosts(): HostResources[];
  /** Re-reads the driver's record of its guests after a state snapshot replaced it (drivers that keep one in the data directory). */
  reloadState?(): void;

  /**
   * Creates and starts the domain. End state RUNNING (SHUTDOWN when
   * `powerOn` is false). On failure nothing is left (no half domain): throws
   * `SpawnFailed`. Repeating a completed spawn succeeds.  Undo: `destroy`.
   */
  spawn(host: string, spec: GuestSpec, options?: { powerOn?: boolean; signal?: AbortSignal }): Promise<void>;
  /** Stops and removes the domain and its local disks; a missing domain is success. */
  destroy(host: string, serverId: string): Promise<void>;

  /** SHUTDOWN → RUNNING; RUNNING stays. Undo: `powerOff`. */
  powerOn(host: string, serverId: string): Promise<void>;
  /** RUNNING/PAUSED/SUSPENDED → SHUTDOWN (clean shutdown, then forced). Undo: `powerOn`. */
  powerOff(host: string, serverId: string): Promise<void>;
  /** Soft: ACPI restart, falls back to hard; hard: reset. End state RUNNING from any state but missing. */
  reboot(host: string, serverId: string, type: 'SOFT' | 'HARD'): Promise<void>;
  /** RUNNING → PAUSED (vCPUs stopped, memory kept). Undo: `unpause`. */
  pause(host: string, serverId: string): Promise<void>;
  unpause(host: string, serverId: string): Promise<void>;
  /** RUNNING → SUSPENDED (memory saved to disk). Undo: `resume`. */
  suspend(host: string, serverId: string): Promise<void>;
  resume(host: string, serverId: string): Promise<void>;
  /** Moves the domain to `toHost` with a new size (same host allowed); the source domain is kept until `confirmResize`. */
  resize(fromHost: string, toHost: string, spec: GuestSpec): Promise<void>;
  /** Drops the source copy kept by `resize` (the server now runs on `toHost`). */
  confirmResize(fromHost: string, toHost: string, serverId: string): Promise<void>;
  /** Goes back to the source copy and size, destroying the destination copy. */
  revertResize(fromHost: string, toHost: string, serverId: string): Promise<void>;
  /**
   * Moves a RUNNING or PAUSED domain to `toHost` keeping its power state
   * and memory (live migration); afterwards only the destination has it.
   * Repeating a completed move succeeds. Undo: `liveMigrate` back.
   */
  liveMigrate(fromHost: string, toHost: string, serverId: string): Promise<void>;
  /**
   * Makes the live migration of the server in progress from `fromHost`
   * finish now (libvirt pauses the guest so the last dirty memory copies).
   * No migration in progress: nothing happens. No undo: the move completes.
   */
  forceCompleteLiveMigration(fromHost: string, serverId: string): Promise<void>;
  /**
   * Cancels the live migration of the server in progress from `fromHost`:
   * the pending `liveMigrate` rejects with `MigrationAborted` and the guest
   * stays on the source as it was. No migration in progress: nothing happens.
   */
  abortLiveMigration(fromHost: string, serverId: string): Promise<void>;
  /** Writes the root disk's content as image data; returns its bytes. The guest keeps its state. */
  snapshot(host: string, serverId: string): Promise<Uint8Array>;
  /** Boots from a rescue image, keeping the root disk attached second. Undo: `unrescue`. */
  rescue(host: string, serverId: string, rescueImage: string): Promise<void>;
  unrescue(host: string, serverId: string): Promise<void>;
  /** Hot-plugs the volume into the guest (running or not); already attached succeeds. Undo: `detachVolume`. */
  attachVolume(host: string, serverId: string, volume: GuestVolume): Promise<void>;
  /** Unplugs the volume; succeeds when it is not attached. */
  detachVolume(host: string, serverId: string, volumeId: string): Promise<void>;
  attachInterface(host: string, serverId: string, port: { portId: string; mac: string }): Promise<void>;
  detachInterface(host: string, serverId: string, portId: string): Promise<void>;
  /** Injects an NMI (the guest may dump its kernel). */
  triggerCrashDump(host: string, serverId: string): Promise<void>;
  setAdminPassword(host: string, serverId: string, password: string): Promise<void>;
  /** The guest's serial console output so far. */
  consoleLog(host: string, serverId: string): Promise<string>;
  /**
   * A byte stream joined to the RUNNING guest's console of `kind`, for a
   * proxy to pipe a client through; the caller ends it. Reading the serial
   * console this way keeps `consoleLog` filling. Throws `InvalidDomainState`
   * for a guest not running, `DomainNotFound`, and `NotSupported` for a kind
   * not in `capabilities().consoles`.
   */
  openConsole(host: string, serverId: string, kind: ConsoleKind): Promise<Duplex>;
  /** The host's uptime and load (the real host's, or the fake's simulated ones). Throws `HostNotFound`. */
  hostLoad(host: string): HostLoad;
  /** Throws `DomainNotFound` for a missing domain. */
  info(host: string, serverId: string): Promise<DomainInfo>;
  /** The guest's usage counters (Nova's get_instance_diagnostics); throws `InvalidDomainState` for a guest shut down (no process to read, as libvirt's InstanceShutOffException) and `DomainNotFound`. */
  stats(host: string, serverId: string): Promise<GuestStats>;
  /**
   * The server's metadata changed (Nova's change_instance_metadata): `metadata` is the whole new set. Optional, as in
   * Nova most hypervisors ignore it; the fake reads its simulation keys (`fake:cpu_load`, `fake:fail_*`) from it.
   */
  changeMetadata?(host: string, serverId: string, metadata: Record<string, string>): Promise<void>;
  /**
   * Fetches an image into the host's image cache ahead of any boot (Nova's cache_image, asked by 2.81's
   * os-aggregates images): 'cached' when fetched now, 'existing' when it was there (a guest booted from it or an
   * earlier request). Optional, as in Nova: a driver without it reports the request 'unsupported'. Throws `HostNotFound`.
   */
  cacheImage?(host: string, imageId: string): Promise<ImageCacheResult>;
}

export type ImageCacheResult = 'cached' | 'existing';

export type { DriverErrorCode };
