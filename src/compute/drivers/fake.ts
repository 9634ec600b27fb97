/**
 * The fake hypervisor: N simulated hosts, each with its own resources, whose
 * domains follow the same state machine and raise the same errors as a real
 * driver's. It is the reference for the contract (driver.ts), not a stub.
 *
 * Domains are kept in memory and, when a state file is given, each change is
 * appended there as one JSON line (the domain, or null once destroyed) before
 * the call returns, so a restarted server finds the guests it had; the file
 * is rewritten whole (temporary file, then rename) when stale lines
 * outnumber live domains. Appending keeps a change O(1) with thousands of
 * guests, where rewriting the whole state each time was O(guests). Timing and failures are configurable:
 * - `delays` (ms per operation; zero in tests),
 * - `fail` (operation → message: every call of it fails),
 * - per server, metadata `fake:fail_spawn` (spawn fails with that message),
 *   `fake:fail_<operation>` likewise, `fake:hold_state` (seconds spawn
 *   waits before finishing, to observe a server in BUILD) and
 *   `fake:hold_migration` (seconds a live migration copies memory, until
 *   forced to complete or aborted).
 * - injected faults (`/_nimbus/faults`): `build` fails a spawn (on one host
 *   or any), `slow_hypervisor` adds latency to every operation.
 *
 * Usage counters (`stats`) are simulated from a CPU load per server: the
 * fraction of each vCPU the guest keeps busy, server metadata
 * `fake:cpu_load` (default 0.01, an idle guest; above 1 it is capped at 1),
 * read at create and again whenever the server's metadata changes
 * (`changeMetadata`), from when the cumulative CPU time grows at the new
 * rate. The other metadata keys above follow the change too. CPU time accrues
 * only while RUNNING; disk and network counters
 * grow with the CPU time, so a busy guest also does more I/O.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
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
} from './driver.js';
import { openFakeConsole } from './fake-console.js';
import { checkPowerState, portDeviceName, POWER_STATE, powerStateName } from './driver.js';
import { DriverError, domainNotFound, hostNotFound, invalidDomainState } from './errors.js';
import { emptyQcow2 } from './qcow2.js';
import { NO_DRIVER_FAULTS, passFaultPoint, type DriverFaults } from '../../core/faults.js';

export interface FakeDriverOptions {
  hosts: number;
  /** Host names are `<prefix>` for one host, `<prefix>-<n>` (from 1) for several. */
  hostPrefix: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  delays: Partial<Record<FakeOperation, number>>;
  fail: Partial<Record<FakeOperation, string>>;
  /** Where domains survive a restart; null keeps them in memory only. */
  stateFile: string | null;
  /** Injected faults (`/_nimbus/faults`): failed builds, a slow hypervisor. */
  faults?: DriverFaults;
}

export type FakeOperation =
  | 'spawn'
  | 'destroy'
  | 'power_on'
  | 'power_off'
  | 'reboot'
  | 'pause'
  | 'unpause'
  | 'suspend'
  | 'resume'
  | 'resize'
  | 'live_migrate'
  | 'snapshot'
  | 'rescue'
  | 'unrescue';

interface Domain {
  spec: GuestSpec;
  host: string;
  powerState: PowerState;
  rescued: boolean;
  startedAt: number;
  /** The pre-resize copy kept on the source host until confirm/revert. */
  resizeSource: { host: string; spec: GuestSpec } | null;
  volumes: string[];
  log: string[];
  /** CPU time accrued up to `cpuCountedAt` (ms since the epoch); absent in state files written before stats existed. */
  cpuTimeNs?: number;
  cpuCountedAt?: number;
  cpuLoad?: number;
}

const IDLE_CPU_LOAD = 0.01;
/** Simulated I/O per second of CPU time: a guest busy for a second reads 4 MiB in 64 requests, writes half that, and moves 1 MiB each way on each interface. */
const IO_PER_CPU_SECOND = { readBytes: 4 * 2 ** 20, readRequests: 64, writeBytes: 2 * 2 ** 20, writeRequests: 32, netBytes: 2 ** 20, netPackets: 800 };

/** The fake hypervisor's features (every one). */
export const FAKE_CAPABILITIES: Readonly<DriverCapabilities> = {
  supportsRescue: true,
  supportsSuspend: true,
  supportsPause: true,
  supportsLiveMigration: true,
  supportsAttachInterface: true,
  supportsAttachVolume: true,
  supportsCrashDump: true,
  consoles: ['serial', 'vnc'],
};

export class FakeDriver implements HypervisorDriver {
  readonly type = 'fake';
  readonly #hosts: HostResources[];
  readonly #domains = new Map<string, Domain>();
  /** Live migrations in progress: how to end each early. */
  readonly #migrations = new Map<string, (outcome: 'completed' | 'aborted') => void>();
  /** Lines in the state file, to know when rewriting it pays. */
  #journalLines = 0;
  /** The simulated hosts booted when the driver started. */
  readonly #bootedAt = Date.now();
  readonly #faults: DriverFaults;

  constructor(private readonly options: FakeDriverOptions) {
    const names = options.hosts === 1 ? [options.hostPrefix] : Array.from({ length: options.hosts }, (_, i) => `${options.hostPrefix}-${i + 1}`);
    this.#hosts = names.map((host, i) => ({
      host,
      hypervisorType: 'fake',
      hypervisorVersion: 1000,
      hostIp: `192.168.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      vcpus: options.vcpus,
      memoryMb: options.memoryMb,
      localGb: options.diskGb,
      unavailable: null,
    }));
    this.#faults = options.faults ?? NO_DRIVER_FAULTS;
    if (options.stateFile && existsSync(options.stateFile)) this.#load(options.stateFile);
  }

  /** The guests become those of the state file alone; migrations in progress belong to guests that no longer are. */
  reloadState(): void {
    this.#domains.clear();
    this.#migrations.clear();
    this.#journalLines = 0;
    if (this.options.stateFile && existsSync(this.options.stateFile)) this.#load(this.options.stateFile);
  }

  capabilities(): DriverCapabilities {
    return { ...FAKE_CAPABILITIES, consoles: [...FAKE_CAPABILITIES.consoles] };
  }

  hosts(): HostResources[] {
    return this.#hosts.map((h) => ({ ...h }));
  }

  /** The fake's image cache: `host/imageId` of every image a guest booted from or a cache request fetched. */
  readonly #cachedImages = new Set<string>();

  async cacheImage(host: string, imageId: string): Promise<ImageCacheResult> {
    this.#host(host);
    const key = `${host}/${imageId}`;
    if (this.#cachedImages.has(key)) return 'existing';
    await this.#delay('spawn', host);
    this.#cachedImages.add(key);
    return 'cached';
  }

  async spawn(host: string, spec: GuestSpec, options: { powerOn?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    this.#host(host);
    const existing = this.#domains.get(spec.serverId);
    if (existing && existing.host === host) return;
    await this.#delay('spawn', host);
    const hold = Number(spec.metadata['fake:hold_state'] ?? 0);
    if (hold > 0) await sleep(hold * 1000, options.signal);
    this.#failIfAsked('spawn', spec.metadata, 'SpawnFailed');
    await passFaultPoint(this.#faults, { point: 'build', host }, (message) => new DriverError('SpawnFailed', message));
    const powerOn = options.powerOn ?? true;
    if ('image' in spec.boot) this.#cachedImages.add(`${host}/${spec.boot.image}`);
    this.#domains.set(spec.serverId, {
      spec,
      host,
      powerState: powerOn ? POWER_STATE.RUNNING : POWER_STATE.SHUTDOWN,
      rescued: false,
      startedAt: Date.now(),
      resizeSource: null,
      volumes: spec.volumes.map((v) => v.volumeId),
      log: bootLog(spec, host),
      cpuTimeNs: 0,
      cpuCountedAt: Date.now(),
      cpuLoad: cpuLoadOf(spec.metadata),
    });
    this.#persist(spec.serverId);
  }

  async destroy(_host: string, serverId: string): Promise<void> {
    const domain = this.#domains.get(serverId);
    if (!domain) return;
    await this.#delay('destroy', domain.host);
    this.#domains.delete(serverId);
    this.#persist(serverId);
  }

  async powerOn(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'power_on', 'powerOn', (d) => {
      if (d.powerState !== POWER_STATE.RUNNING) this.#boot(d);
    });
  }

  async powerOff(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'power_off', 'powerOff', (d) => {
      if (d.powerState !== POWER_STATE.SHUTDOWN) d.log.push('[  OK  ] Reached target Power-Off.');
      d.powerState = POWER_STATE.SHUTDOWN;
    });
  }

  async reboot(host: string, serverId: string, type: 'SOFT' | 'HARD'): Promise<void> {
    await this.#transition(host, serverId, 'reboot', type === 'SOFT' ? 'softReboot' : 'hardReboot', (d) => {
      d.log.push(type === 'SOFT' ? 'reboot: Restarting system' : 'reset: hard reset by the hypervisor');
      this.#boot(d);
    });
  }

  async pause(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'pause', 'pause', (d) => (d.powerState = POWER_STATE.PAUSED));
  }

  async unpause(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'unpause', 'unpause', (d) => (d.powerState = POWER_STATE.RUNNING));
  }

  async suspend(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'suspend', 'suspend', (d) => (d.powerState = POWER_STATE.SUSPENDED));
  }

  async resume(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'resume', 'resume', (d) => (d.powerState = POWER_STATE.RUNNING));
  }

  async resize(fromHost: string, toHost: string, spec: GuestSpec): Promise<void> {
    this.#host(toHost);
    const domain = this.#domain(fromHost, spec.serverId);
    if (domain.resizeSource && domain.host === toHost) return;
    await this.#delay('resize', fromHost);
    this.#failIfAsked('resize', domain.spec.metadata, 'ActionFailed');
    const wasRunning = domain.powerState === POWER_STATE.RUNNING;
    domain.resizeSource = { host: fromHost, spec: domain.spec };
    domain.spec = spec;
    domain.host = toHost;
    domain.powerState = wasRunning ? POWER_STATE.RUNNING : POWER_STATE.SHUTDOWN;
    if (wasRunning) this.#boot(domain);
    this.#persist(spec.serverId);
  }

  async liveMigrate(fromHost: string, toHost: string, serverId: string): Promise<void> {
    this.#host(toHost);
    const moved = this.#domains.get(serverId);
    if (moved && moved.host === toHost) return;
    const domain = this.#domain(fromHost, serverId);
    checkPowerState('liveMigrate', serverId, domain.powerState);
    await this.#delay('live_migrate', fromHost);
    this.#failIfAsked('live_migrate', domain.spec.metadata, 'ActionFailed');
    const hold = Number(domain.spec.metadata['fake:hold_migration'] ?? 0);
    if (hold > 0 && (await this.#migrationHeld(serverId, hold * 1000)) === 'aborted') {
      throw new DriverError('MigrationAborted', `Live migration of instance ${serverId} was aborted`);
    }
    domain.host = toHost;
    domain.log.push(`live migrated from ${fromHost} to ${toHost}`);
    this.#persist(serverId);
  }

  async forceCompleteLiveMigration(fromHost: string, serverId: string): Promise<void> {
    if (this.#domains.get(serverId)?.host === fromHost) this.#migrations.get(serverId)?.('completed');
  }

  async abortLiveMigration(fromHost: string, serverId: string): Promise<void> {
    if (this.#domains.get(serverId)?.host === fromHost) this.#migrations.get(serverId)?.('aborted');
  }

  /** A live migration copying memory for `ms` (metadata `fake:hold_migration`), unless forced to complete or aborted first. */
  #migrationHeld(serverId: string, ms: number): Promise<'completed' | 'aborted'> {
    return new Promise((resolve) => {
      const end = (outcome: 'completed' | 'aborted') => {
        clearTimeout(timer);
        this.#migrations.delete(serverId);
        resolve(outcome);
      };
      const timer = setTimeout(() => end('completed'), ms);
      this.#migrations.set(serverId, end);
    });
  }

  async confirmResize(_fromHost: string, _toHost: string, serverId: string): Promise<void> {
    const domain = this.#domains.get(serverId);
    if (!domain) throw domainNotFound(serverId);
    domain.resizeSource = null;
    this.#persist(serverId);
  }

  async revertResize(_fromHost: string, _toHost: string, serverId: string): Promise<void> {
    const domain = this.#domains.get(serverId);
    if (!domain) throw domainNotFound(serverId);
    if (!domain.resizeSource) return;
    domain.spec = domain.resizeSource.spec;
    domain.host = domain.resizeSource.host;
    domain.resizeSource = null;
    this.#boot(domain);
    this.#persist(serverId);
  }

  async snapshot(host: string, serverId: string): Promise<Uint8Array> {
    const domain = this.#domain(host, serverId);
    await this.#delay('snapshot', host);
    this.#failIfAsked('snapshot', domain.spec.metadata, 'ActionFailed');
    // The fake guest writes nothing to its disk: its snapshot is an empty disk of the flavor's size.
    return emptyQcow2(Math.max(1, domain.spec.rootGb) * 1024 ** 3);
  }

  async rescue(host: string, serverId: string, rescueImage: string): Promise<void> {
    await this.#transition(host, serverId, 'rescue', 'rescue', (d) => {
      d.rescued = true;
      d.log.push(`rescue: booting from image ${rescueImage}`);
      this.#boot(d);
    });
  }

  async unrescue(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'unrescue', 'unrescue', (d) => {
      if (!d.rescued) throw invalidDomainState(serverId, 'unrescue', 'not rescued');
      d.rescued = false;
      this.#boot(d);
    });
  }

  async attachVolume(host: string, serverId: string, volume: GuestVolume): Promise<void> {
    const domain = this.#domain(host, serverId);
    if (!domain.volumes.includes(volume.volumeId)) domain.volumes.push(volume.volumeId);
    domain.log.push(`virtio_blk: attached ${volume.device}`);
    this.#persist(serverId);
  }

  async detachVolume(host: string, serverId: string, volumeId: string): Promise<void> {
    const domain = this.#domain(host, serverId);
    domain.volumes = domain.volumes.filter((v) => v !== volumeId);
    this.#persist(serverId);
  }

  async attachInterface(host: string, serverId: string, port: { portId: string; mac: string }): Promise<void> {
    const domain = this.#domain(host, serverId);
    if (!domain.spec.interfaces.some((i) => i.portId === port.portId)) domain.spec.interfaces.push(port);
    this.#persist(serverId);
  }

  async detachInterface(host: string, serverId: string, portId: string): Promise<void> {
    const domain = this.#domain(host, serverId);
    domain.spec.interfaces = domain.spec.interfaces.filter((i) => i.portId !== portId);
    this.#persist(serverId);
  }

  async triggerCrashDump(host: string, serverId: string): Promise<void> {
    await this.#transition(host, serverId, 'trigger_crash_dump', 'triggerCrashDump', (d) => {
      d.log.push('Kernel panic - not syncing: NMI received');
      d.powerState = POWER_STATE.CRASHED;
    });
  }

  async setAdminPassword(host: string, serverId: string, _password: string): Promise<void> {
    checkPowerState('setAdminPassword', serverId, this.#domain(host, serverId).powerState);
  }

  async consoleLog(host: string, serverId: string): Promise<string> {
    return this.#domain(host, serverId).log.join('\n') + '\n';
  }

  async openConsole(host: string, serverId: string, kind: ConsoleKind): Promise<Duplex> {
    const domain = this.#domain(host, serverId);
    if (domain.powerState !== POWER_STATE.RUNNING) throw invalidDomainState(serverId, 'open a console of', powerStateName(domain.powerState));
    return openFakeConsole(kind, domain.spec.name);
  }

  /** Up since the driver started; the load is the CPU its running guests simulate (`fake:cpu_load` × vCPUs), the same over every period. */
  hostLoad(host: string): HostLoad {
    this.#host(host);
    let load = 0;
    for (const domain of this.#domains.values()) {
      if (domain.host === host && domain.powerState === POWER_STATE.RUNNING) load += (domain.cpuLoad ?? IDLE_CPU_LOAD) * Math.max(1, domain.spec.vcpus);
    }
    return { uptimeSeconds: Math.floor((Date.now() - this.#bootedAt) / 1000), loadAverage: [load, load, load] };
  }

  async info(host: string, serverId: string): Promise<DomainInfo> {
    const domain = this.#domain(host, serverId);
    return {
      powerState: domain.powerState,
      vcpus: domain.spec.vcpus,
      memoryMb: domain.spec.memoryMb,
      uptimeSeconds: domain.powerState === POWER_STATE.RUNNING ? Math.floor((Date.now() - domain.startedAt) / 1000) : 0,
      rescued: domain.rescued,
    };
  }

  async stats(host: string, serverId: string): Promise<GuestStats> {
    const domain = this.#domain(host, serverId);
    if (domain.powerState === POWER_STATE.SHUTDOWN) throw invalidDomainState(serverId, 'read the statistics of', powerStateName(domain.powerState));
    const cpuTimeNs = this.#accrueCpu(domain);
    const busySeconds = cpuTimeNs / 1e9;
    const io = (perSecond: number) => Math.floor(busySeconds * perSecond);
    const load = domain.cpuLoad ?? IDLE_CPU_LOAD;
    const volumeDevices = domain.volumes.map((_, i) => `vd${String.fromCharCode(98 + i)}`);
    return {
      cpuTimeNs,
      vcpus: domain.spec.vcpus,
      memoryMb: domain.spec.memoryMb,
      // A guest's page cache fills with its work: a quarter of its memory idle, up to three quarters at full load.
      memoryUsageMb: Math.round(domain.spec.memoryMb * (0.25 + 0.5 * Math.min(1, load))),
      disks: ['vda', ...volumeDevices].map((device) => ({
        device,
        readBytes: io(IO_PER_CPU_SECOND.readBytes),
        readRequests: io(IO_PER_CPU_SECOND.readRequests),
        writeBytes: io(IO_PER_CPU_SECOND.writeBytes),
        writeRequests: io(IO_PER_CPU_SECOND.writeRequests),
      })),
      interfaces: domain.spec.interfaces.map((i) => ({
        portId: i.portId,
        mac: i.mac,
        tapName: portDeviceName(i.portId),
        rxBytes: io(IO_PER_CPU_SECOND.netBytes),
        rxPackets: io(IO_PER_CPU_SECOND.netPackets),
        txBytes: io(IO_PER_CPU_SECOND.netBytes),
        txPackets: io(IO_PER_CPU_SECOND.netPackets),
      })),
    };
  }

  async changeMetadata(host: string, serverId: string, metadata: Record<string, string>): Promise<void> {
    const domain = this.#domain(host, serverId);
    // CPU time up to now was spent at the old load; the new one counts from here.
    this.#accrueCpu(domain);
    domain.spec = { ...domain.spec, metadata: { ...metadata } };
    domain.cpuLoad = cpuLoadOf(metadata);
    this.#persist(serverId);
  }

  /** Adds the CPU time used since the last count (only a RUNNING guest uses any) and returns the total. */
  #accrueCpu(domain: Domain): number {
    const now = Date.now();
    const elapsedMs = now - (domain.cpuCountedAt ?? now);
    if (domain.powerState === POWER_STATE.RUNNING && elapsedMs > 0) {
      domain.cpuTimeNs = (domain.cpuTimeNs ?? 0) + Math.round(elapsedMs * 1e6 * (domain.cpuLoad ?? IDLE_CPU_LOAD) * Math.max(1, domain.spec.vcpus));
    }
    domain.cpuCountedAt = now;
    return domain.cpuTimeNs ?? 0;
  }

  #host(host: string): HostResources {
    const found = this.#hosts.find((h) => h.host === host);
    if (!found) throw hostNotFound(host);
    return found;
  }

  #domain(host: string, serverId: string): Domain {
    this.#host(host);
    const domain = this.#domains.get(serverId);
    if (!domain || domain.host !== host) throw domainNotFound(serverId);
    return domain;
  }

  /** `op` names the fake's delay and failure injection (`fake:fail_<op>`); `operation` the contract's accepted states. */
  async #transition(
    host: string,
    serverId: string,
    op: FakeOperation | 'trigger_crash_dump',
    operation: DriverOperation,
    apply: (d: Domain) => void,
  ): Promise<void> {
    const domain = this.#domain(host, serverId);
    await this.#delay(op as FakeOperation, host);
    this.#failIfAsked(op, domain.spec.metadata, 'ActionFailed');
    checkPowerState(operation, serverId, domain.powerState);
    this.#accrueCpu(domain);
    apply(domain);
    this.#persist(serverId);
  }

  #boot(domain: Domain): void {
    domain.powerState = POWER_STATE.RUNNING;
    domain.startedAt = Date.now();
    domain.log.push(...bootLog(domain.spec, domain.host));
  }

  /** The configured delay of `op`, then an injected slow hypervisor's latency on `host`. */
  async #delay(op: FakeOperation, host: string): Promise<void> {
    const ms = this.options.delays[op] ?? 0;
    if (ms > 0) await sleep(ms);
    await passFaultPoint(this.#faults, { point: 'slow_hypervisor', host }, (message) => new DriverError('ActionFailed', message));
  }

  #failIfAsked(op: string, metadata: Record<string, string>, code: 'SpawnFailed' | 'ActionFailed'): void {
    const message = metadata[`fake:fail_${op}`] ?? this.options.fail[op as FakeOperation];
    if (message !== undefined) throw new DriverError(code, message || `fake driver: ${op} failed as configured`);
  }

  /** Replays the state file: the last line of each server wins; null means destroyed. */
  #load(file: string): void {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { id: string; domain: Domain | null };
      if (entry.domain) this.#domains.set(entry.id, entry.domain);
      else this.#domains.delete(entry.id);
      this.#journalLines++;
    }
  }

  #persist(serverId: string): void {
    const file = this.options.stateFile;
    if (!file) return;
    if (this.#journalLines > 2 * this.#domains.size + 100) {
      const lines = [...this.#domains].map(([id, domain]) => JSON.stringify({ id, domain }) + '\n');
      writeFileSync(`${file}.tmp`, lines.join(''));
      renameSync(`${file}.tmp`, file);
      this.#journalLines = lines.length;
      return;
    }
    appendFileSync(file, JSON.stringify({ id: serverId, domain: this.#domains.get(serverId) ?? null }) + '\n');
    this.#journalLines++;
  }
}

function bootLog(spec: GuestSpec, host: string): string[] {
  return [
    `[    0.000000] Linux version 6.1.0 (nimbus fake hypervisor on ${host})`,
    `[    0.000000] Memory: ${spec.memoryMb * 1024}K available, ${spec.vcpus} CPUs`,
    ...spec.interfaces.map((i, n) => `[    1.200000] virtio_net virtio${n}: eth${n}: MAC ${i.mac}`),
    ...spec.injectedFiles.map((f) => `[    1.900000] cloud-init: injected file ${f.path} (${Buffer.from(f.contents, 'base64').length} bytes)`),
    `[    2.000000] cloud-init: instance ${spec.serverId} (${spec.name}) up`,
    `${spec.name} login:`,
  ];
}

function cpuLoadOf(metadata: Record<string, string>): number {
  const load = Number(metadata['fake:cpu_load'] ?? IDLE_CPU_LOAD);
  return Number.isFinite(load) ? Math.max(0, Math.min(1, load)) : IDLE_CPU_LOAD;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
