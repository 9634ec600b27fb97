/**
 * The QEMU hypervisor driver (`compute.compute_driver: qemu`): one host (this
 * machine), one daemonized QEMU process per server, driven over its own QMP
 * socket. Everything a domain is lives in its instance directory
 * (instance.ts), so a new driver over the same data dir re-adopts running
 * guests: a domain is RUNNING/PAUSED when its pid file names a live QEMU of
 * ours (checked by /proc/PID/cmdline), SHUTDOWN when that process is gone.
 *
 * Honest limits: suspend pauses the vCPUs and marks the domain SUSPENDED
 * (memory stays in the QEMU process; nothing is written to disk); live
 * migration needs a second host (NotSupported); set-password needs a guest
 * agent the test image lacks (NotSupported).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { KeyedMutex } from '../../../core/keyed-mutex.js';
import type {
  ConsoleKind,
  DomainInfo,
  DriverCapabilities,
  DriverOperation,
  GuestSpec,
  GuestStats,
  GuestVolume,
  HostLoad,
  HostResources,
  HypervisorDriver,
  ImageCacheResult,
  PowerState,
} from '../driver.js';
import { checkPowerState, DRIVER_STATES, portDeviceName, POWER_STATE, powerStateName } from '../driver.js';
import { DriverError, domainNotFound, hostNotFound, invalidDomainState } from '../errors.js';
import { hostFacts, hostLoadNow, run } from './host.js';
import { buildConfigDrive, exportDisk, growDisk, ImageCache, type ImageFetcher } from './images.js';
import { attachedVolumes, InstanceFiles, nicIds, qemuArgs, volumeBlockdev, volumeDevice, volumeNode, type DomainState } from './instance.js';
import { QmpCommandError, withQmp, type QmpClient } from './qmp.js';
import { readGuestStats } from './stats.js';

export interface QemuDriverOptions {
  /** `<dataDir>/instances/` holds the instances and the image cache (`_base`). */
  dataDir: string;
  host: string;
  accel: 'kvm' | 'tcg';
  hypervisorVersion: number;
  fetchImage: ImageFetcher;
  /** How long a clean (ACPI) shutdown may take before QEMU is stopped. */
  shutdownTimeoutMs: number;
  /** Why the host cannot run guests (a missing tool), or null. */
  unavailable: string | null;
}

/** The QEMU driver's features (no live migration yet). */
export const QEMU_CAPABILITIES: Readonly<DriverCapabilities> = {
  supportsRescue: true,
  supportsSuspend: true,
  supportsPause: true,
  supportsLiveMigration: false,
  supportsAttachInterface: true,
  supportsAttachVolume: true,
  supportsCrashDump: true,
  consoles: ['serial', 'vnc'],
};

export class QemuDriver implements HypervisorDriver {
  readonly type = 'qemu';
  readonly #locks = new KeyedMutex();
  readonly #images: ImageCache;
  readonly #instances: string;

  constructor(private readonly options: QemuDriverOptions) {
    this.#instances = join(options.dataDir, 'instances');
    mkdirSync(this.#instances, { recursive: true });
    this.#images = new ImageCache(join(this.#instances, '_base'), options.fetchImage);
  }

  capabilities(): DriverCapabilities {
    return { ...QEMU_CAPABILITIES, consoles: [...QEMU_CAPABILITIES.consoles] };
  }

  hosts(): HostResources[] {
    const facts = hostFacts(this.#instances);
    return [
      {
        host: this.options.host,
        hypervisorType: this.options.accel === 'kvm' ? 'KVM' : 'QEMU',
        hypervisorVersion: this.options.hypervisorVersion,
        hostIp: hostIp(),
        vcpus: facts.vcpus,
        memoryMb: facts.memoryMb,
        localGb: facts.freeDiskGb,
        unavailable: this.options.unavailable,
      },
    ];
  }

  async spawn(host: string, spec: GuestSpec, options: { powerOn?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    this.#host(host);
    const files = this.#files(spec.serverId);
    await this.#locks.run(spec.serverId, async () => {
      if (files.read()) return;
      if (this.options.unavailable) throw new DriverError('SpawnFailed', this.options.unavailable);
      const state: DomainState = { spec, rescueImage: null, suspended: false, resizeSource: null, volumes: [] };
      try {
        mkdirSync(files.dir, { recursive: true });
        if ('image' in spec.boot) await this.#images.overlay(spec.boot.image, files.disk, spec.rootGb);
        if (spec.configDrive) await buildConfigDrive(spec.configDrive, files.configIso);
        options.signal?.throwIfAborted();
        if (options.powerOn ?? true) await this.#start(files, state);
        files.write(state);
      } catch (error) {
        await this.#kill(files);
        rmSync(files.dir, { recursive: true, force: true });
        throw new DriverError('SpawnFailed', `Failed to spawn ${spec.serverId}: ${(error as Error).message}`);
      }
    });
  }

  async destroy(_host: string, serverId: string): Promise<void> {
    const files = this.#files(serverId);
    await this.#locks.run(serverId, async () => {
      await this.#kill(files);
      rmSync(files.dir, { recursive: true, force: true });
    });
  }

  async powerOn(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'powerOn', async (files, state, power) => {
      if (power === POWER_STATE.RUNNING) return;
      await this.#kill(files);
      await this.#start(files, state);
    });
  }

  async powerOff(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'powerOff', async (files, state) => {
      await this.#shutdown(files);
      state.suspended = false;
    });
  }

  async reboot(host: string, serverId: string, type: 'SOFT' | 'HARD'): Promise<void> {
    await this.#transition(host, serverId, type === 'SOFT' ? 'softReboot' : 'hardReboot', async (files, state) => {
      state.suspended = false;
      // Soft: ACPI power button, then a fresh start; a guest that ignores it is reset (hard).
      if (type === 'SOFT' && (await this.#acpiShutdown(files))) return this.#start(files, state);
      if (files.livePid() === null) return this.#start(files, state);
      await withQmp(files.qmp, async (qmp) => {
        await qmp.execute('system_reset');
        await qmp.execute('cont');
      });
    });
  }

  async pause(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'pause', (files) => withQmp(files.qmp, (q) => q.execute('stop')));
  }

  async unpause(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'unpause', (files) => withQmp(files.qmp, (q) => q.execute('cont')));
  }

  async suspend(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'suspend', async (files, state) => {
      await withQmp(files.qmp, (q) => q.execute('stop'));
      state.suspended = true;
    });
  }

  async resume(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'resume', async (files, state) => {
      await withQmp(files.qmp, (q) => q.execute('cont'));
      state.suspended = false;
    });
  }

  /** Same host only: restarts with the new size; the old disk is copied aside until confirm or revert. */
  async resize(fromHost: string, toHost: string, spec: GuestSpec): Promise<void> {
    this.#host(toHost);
    await this.#transition(fromHost, spec.serverId, 'resize', async (files, state, power) => {
      if (state.resizeSource) return;
      const wasRunning = power === POWER_STATE.RUNNING;
      await this.#shutdown(files);
      await run('cp', ['--sparse=always', files.disk, files.resizeSourceDisk]);
      await growDisk(files.disk, spec.rootGb);
      state.resizeSource = state.spec;
      // The config drive and the volumes stay as they are: a resize changes the size only.
      state.spec = { ...spec, volumes: state.spec.volumes, configDrive: state.spec.configDrive };
      state.suspended = false;
      if (wasRunning) await this.#start(files, state);
    });
  }

  async confirmResize(fromHost: string, _toHost: string, serverId: string): Promise<void> {
    await this.#transition(fromHost, serverId, 'confirmResize', async (files, state) => {
      rmSync(files.resizeSourceDisk, { force: true });
      state.resizeSource = null;
    });
  }

  async revertResize(fromHost: string, _toHost: string, serverId: string): Promise<void> {
    await this.#transition(fromHost, serverId, 'revertResize', async (files, state) => {
      if (!state.resizeSource) return;
      await this.#shutdown(files);
      renameSync(files.resizeSourceDisk, files.disk);
      state.spec = state.resizeSource;
      state.resizeSource = null;
      state.suspended = false;
      await this.#start(files, state);
    });
  }

  async liveMigrate(_fromHost: string, _toHost: string, serverId: string): Promise<void> {
    throw new DriverError('NotSupported', `Live migration of ${serverId} needs a second QEMU host; this driver runs one`);
  }

  /** No live migration is ever in progress on one host: nothing to complete (the contract's no-op case). */
  async forceCompleteLiveMigration(): Promise<void> {}

  /** No live migration is ever in progress on one host: nothing to abort. */
  async abortLiveMigration(): Promise<void> {}

  async snapshot(host: string, serverId: string): Promise<Uint8Array> {
    let bytes: Uint8Array = new Uint8Array();
    await this.#transition(host, serverId, 'snapshot', async (files, _state, power) => {
      // The guest is paused while its disk is read, so the copy is consistent at the block level.
      const pauseIt = power === POWER_STATE.RUNNING;
      if (pauseIt) await withQmp(files.qmp, (q) => q.execute('stop'));
      try {
        bytes = await exportDisk(files.disk);
      } finally {
        if (pauseIt) await withQmp(files.qmp, (q) => q.execute('cont'));
      }
    });
    return bytes;
  }

  async rescue(host: string, serverId: string, rescueImage: string): Promise<void> {
    await this.#transition(host, serverId, 'rescue', async (files, state) => {
      await this.#shutdown(files);
      rmSync(files.rescueDisk, { force: true });
      await this.#images.overlay(rescueImage, files.rescueDisk, 0);
      state.rescueImage = rescueImage;
      await this.#start(files, state);
    });
  }

  async unrescue(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'unrescue', async (files, state) => {
      if (!state.rescueImage) throw invalidDomainState(serverId, 'unrescue', 'not rescued');
      await this.#shutdown(files);
      rmSync(files.rescueDisk, { force: true });
      state.rescueImage = null;
      await this.#start(files, state);
    });
  }

  async attachVolume(host: string, serverId: string, volume: GuestVolume): Promise<void> {
    await this.#transition(host, serverId, 'attachVolume', async (files, state) => {
      if (attachedVolumes(state).some((v) => v.volumeId === volume.volumeId)) return;
      if (files.livePid() !== null) {
        await withQmp(files.qmp, async (qmp) => {
          await qmp.execute('blockdev-add', volumeBlockdev(volume));
          try {
            await qmp.execute('device_add', volumeDevice(volume));
          } catch (error) {
            await qmp.execute('blockdev-del', { 'node-name': volumeNode(volume.volumeId).node });
            throw error;
          }
        });
      }
      state.volumes.push(volume);
    });
  }

  async detachVolume(host: string, serverId: string, volumeId: string): Promise<void> {
    await this.#transition(host, serverId, 'detachVolume', async (files, state) => {
      if (!attachedVolumes(state).some((v) => v.volumeId === volumeId)) return;
      const { node, device } = volumeNode(volumeId);
      if (files.livePid() !== null) {
        await withQmp(files.qmp, async (qmp) => {
          await unplug(qmp, device);
          await qmp.execute('blockdev-del', { 'node-name': node });
        });
      }
      state.volumes = state.volumes.filter((v) => v.volumeId !== volumeId);
      state.spec.volumes = state.spec.volumes.filter((v) => v.volumeId !== volumeId);
    });
  }

  async attachInterface(host: string, serverId: string, port: { portId: string; mac: string }): Promise<void> {
    await this.#transition(host, serverId, 'attachInterface', async (files, state) => {
      if (state.spec.interfaces.some((i) => i.portId === port.portId)) return;
      if (files.livePid() !== null) {
        const ids = nicIds(port.portId);
        await withQmp(files.qmp, async (qmp) => {
          await qmp.execute('netdev_add', { type: 'tap', id: ids.netdev, ifname: portDeviceName(port.portId), script: 'no', downscript: 'no' });
          await qmp.execute('device_add', { driver: 'virtio-net-pci', netdev: ids.netdev, id: ids.device, mac: port.mac });
        });
      }
      state.spec.interfaces.push(port);
    });
  }

  async detachInterface(host: string, serverId: string, portId: string): Promise<void> {
    await this.#transition(host, serverId, 'detachInterface', async (files, state) => {
      if (!state.spec.interfaces.some((i) => i.portId === portId)) return;
      if (files.livePid() !== null) {
        const ids = nicIds(portId);
        await withQmp(files.qmp, async (qmp) => {
          await unplug(qmp, ids.device);
          await qmp.execute('netdev_del', { id: ids.netdev });
        });
      }
      state.spec.interfaces = state.spec.interfaces.filter((i) => i.portId !== portId);
    });
  }

  async triggerCrashDump(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'triggerCrashDump', (files) => withQmp(files.qmp, (q) => q.execute('inject-nmi')));
  }

  async setAdminPassword(_host: string, serverId: string, _password: string): Promise<void> {
    throw new DriverError('NotSupported', `Setting the password of ${serverId} needs a guest agent, which the QEMU driver does not use`);
  }

  async cacheImage(host: string, imageId: string): Promise<ImageCacheResult> {
    this.#host(host);
    return this.#images.prefetch(imageId);
  }

  async consoleLog(host: string, serverId: string): Promise<string> {
    const files = this.#domain(host, serverId).files;
    if (!existsSync(files.consoleLog)) return '';
    return readFile(files.consoleLog, 'utf8');
  }

  async openConsole(host: string, serverId: string, kind: ConsoleKind): Promise<Duplex> {
    const { files, state } = this.#domain(host, serverId);
    const powerState = await this.#powerState(files, state);
    if (powerState !== POWER_STATE.RUNNING) throw invalidDomainState(serverId, 'open a console of', powerStateName(powerState));
    const path = kind === 'serial' ? files.consoleSocket : files.vncSocket;
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  hostLoad(host: string): HostLoad {
    if (host !== this.options.host) throw hostNotFound(host);
    return hostLoadNow();
  }

  async info(host: string, serverId: string): Promise<DomainInfo> {
    const { files, state } = this.#domain(host, serverId);
    const powerState = await this.#powerState(files, state);
    const pid = files.livePid();
    return {
      powerState,
      vcpus: state.spec.vcpus,
      memoryMb: state.spec.memoryMb,
      uptimeSeconds: pid !== null && powerState === POWER_STATE.RUNNING ? processUptime(pid) : 0,
      rescued: state.rescueImage !== null,
    };
  }

  async stats(host: string, serverId: string): Promise<GuestStats> {
    const { files, state } = this.#domain(host, serverId);
    const pid = files.livePid();
    if (pid === null) throw invalidDomainState(serverId, 'read the statistics of', powerStateName(POWER_STATE.SHUTDOWN));
    return withQmp(files.qmp, (qmp) => readGuestStats(pid, state, qmp));
  }

  #host(host: string): void {
    if (host !== this.options.host) throw hostNotFound(host);
  }

  #files(serverId: string): InstanceFiles {
    if (!/^[A-Za-z0-9-]+$/.test(serverId)) throw domainNotFound(serverId);
    return new InstanceFiles(join(this.#instances, serverId));
  }

  #domain(host: string, serverId: string): { files: InstanceFiles; state: DomainState } {
    this.#host(host);
    const files = this.#files(serverId);
    const state = files.read();
    if (!state) throw domainNotFound(serverId);
    return { files, state };
  }

  /** Runs `apply` under the server's lock when the domain is in a state `operation` accepts (DRIVER_STATES), then saves the state. */
  async #transition(
    host: string,
    serverId: string,
    operation: DriverOperation,
    apply: (files: InstanceFiles, state: DomainState, power: PowerState) => Promise<unknown>,
  ): Promise<void> {
    await this.#locks.run(serverId, async () => {
      const { files, state } = this.#domain(host, serverId);
      const power = await this.#powerState(files, state);
      checkPowerState(operation, serverId, power);
      try {
        await apply(files, state, power);
      } catch (error) {
        if (error instanceof DriverError) throw error;
        throw new DriverError('ActionFailed', `Failed to ${DRIVER_STATES[operation].verb} ${serverId}: ${(error as Error).message}`);
      } finally {
        files.write(state);
      }
    });
  }

  async #powerState(files: InstanceFiles, state: DomainState): Promise<PowerState> {
    if (files.livePid() === null) return POWER_STATE.SHUTDOWN;
    let status: string;
    try {
      status = (await withQmp(files.qmp, (q) => q.execute<{ status: string }>('query-status'))).status;
    } catch {
      // QEMU is alive but does not answer (starting, or stuck): report what it should be.
      return POWER_STATE.RUNNING;
    }
    if (status === 'paused') return state.suspended ? POWER_STATE.SUSPENDED : POWER_STATE.PAUSED;
    if (status === 'guest-panicked' || status === 'internal-error' || status === 'io-error') return POWER_STATE.CRASHED;
    if (status === 'shutdown') return POWER_STATE.SHUTDOWN;
    return POWER_STATE.RUNNING;
  }

  async #start(files: InstanceFiles, state: DomainState): Promise<void> {
    rmSync(files.qmp, { force: true });
    rmSync(files.consoleSocket, { force: true });
    rmSync(files.vncSocket, { force: true });
    // -daemonize: the command returns once the guest runs; QEMU outlives Nimbus.
    await run('qemu-system-x86_64', qemuArgs(files, state, this.options.accel), 60_000);
  }

  /** Presses the ACPI power button and waits for the guest to power off; false when it did not in time. */
  async #acpiShutdown(files: InstanceFiles): Promise<boolean> {
    const pid = files.livePid();
    if (pid === null) return true;
    try {
      await withQmp(files.qmp, (q) => q.execute('system_powerdown'));
    } catch (error) {
      if (!(error instanceof QmpCommandError)) throw error;
      return false;
    }
    return waitFor(() => !files.runs(pid), this.options.shutdownTimeoutMs);
  }

  /** Clean shutdown when the guest runs, else (or when it does not comply) QEMU is stopped. */
  async #shutdown(files: InstanceFiles): Promise<void> {
    const pid = files.livePid();
    if (pid === null) return;
    const running = (await withQmp(files.qmp, (q) => q.execute<{ status: string }>('query-status')).catch(() => null))?.status === 'running';
    if (running && (await this.#acpiShutdown(files))) return;
    await this.#kill(files);
  }

  /** Stops QEMU now (QMP quit, then SIGKILL): only a process of ours, found by its pid file. */
  async #kill(files: InstanceFiles): Promise<void> {
    const pid = files.livePid();
    if (pid === null) return;
    await withQmp(files.qmp, (q) => q.execute('quit')).catch(() => undefined);
    if (await waitFor(() => !files.runs(pid), 5_000)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor(() => !files.runs(pid), 5_000);
  }
}

/** device_del is a request to the guest: the device is gone at DEVICE_DELETED. */
async function unplug(qmp: QmpClient, device: string): Promise<void> {
  await qmp.execute('device_del', { id: device });
  await qmp.waitEvent('DEVICE_DELETED', (data) => data.device === device, 30_000);
}

async function waitFor(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return test();
}

/** Seconds since the process started (/proc/PID/stat field 22, in clock ticks since boot). */
function processUptime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.max(0, Math.floor(uptime - startTicks / 100));
}

function hostIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}
