/**
 * One server's files under `<dataDir>/instances/<serverId>/` and the QEMU
 * command line that runs it. The directory holds everything the driver must
 * know after a restart: `domain.json` (the spec and driver-side state),
 * `qemu.pid`, the QMP, serial console and VNC sockets, `console.log`, the root overlay
 * `disk.qcow2`, and while they exist `config.iso`, `rescue.qcow2` and the
 * copy kept by a resize (`resize-source.qcow2`).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portDeviceName, type GuestSpec, type GuestVolume } from '../driver.js';

export interface DomainState {
  spec: GuestSpec;
  /** The rescue image's id while rescued. */
  rescueImage: string | null;
  /** Suspend is a pause the driver remembers (see README: memory stays in the QEMU process). */
  suspended: boolean;
  /** The spec before a resize, until it is confirmed or reverted. */
  resizeSource: GuestSpec | null;
  /** Volumes hot-plugged since spawn, in the order they were attached. */
  volumes: GuestVolume[];
}

export class InstanceFiles {
  constructor(readonly dir: string) {}

  get state(): string {
    return join(this.dir, 'domain.json');
  }
  get pidFile(): string {
    return join(this.dir, 'qemu.pid');
  }
  get qmp(): string {
    return join(this.dir, 'qmp.sock');
  }
  get consoleSocket(): string {
    return join(this.dir, 'console.sock');
  }
  /** QEMU's VNC server for the guest's display (the noVNC proxy's other end). */
  get vncSocket(): string {
    return join(this.dir, 'vnc.sock');
  }
  get consoleLog(): string {
    return join(this.dir, 'console.log');
  }
  get disk(): string {
    return join(this.dir, 'disk.qcow2');
  }
  get configIso(): string {
    return join(this.dir, 'config.iso');
  }
  get rescueDisk(): string {
    return join(this.dir, 'rescue.qcow2');
  }
  get resizeSourceDisk(): string {
    return join(this.dir, 'resize-source.qcow2');
  }

  read(): DomainState | null {
    if (!existsSync(this.state)) return null;
    return JSON.parse(readFileSync(this.state, 'utf8')) as DomainState;
  }

  write(state: DomainState): void {
    writeFileSync(`${this.state}.tmp`, JSON.stringify(state));
    renameSync(`${this.state}.tmp`, this.state);
  }

  /**
   * The pid of this instance's QEMU, when that process is alive and really
   * is ours (its command line names this directory's pid file); else null.
   */
  livePid(): number | null {
    if (!existsSync(this.pidFile)) return null;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return this.runs(pid) ? pid : null;
  }

  /**
   * Whether process `pid` is still this instance's QEMU. A QEMU that is quitting
   * unlinks its pid file first and only then closes its tap and frees its memory,
   * so waiting for an exit means watching the process, not the pid file.
   */
  runs(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(this.pidFile);
    } catch {
      return false;
    }
  }
}

/** QMP names for a volume's block node and device (node names: a letter first, at most 31 chars). */
export function volumeNode(volumeId: string): { node: string; device: string } {
  const short = volumeId.replace(/-/g, '').slice(0, 24);
  return { node: `vol${short}`, device: `dev${short}` };
}

/** The `blockdev-add` arguments that open a volume from its Cinder connection. */
export function volumeBlockdev(volume: GuestVolume): Record<string, unknown> {
  const { node } = volumeNode(volume.volumeId);
  const { driverVolumeType, data } = volume.connection;
  if (driverVolumeType === 'local') {
    const format = typeof data.format === 'string' ? data.format : 'raw';
    return { driver: format, 'node-name': node, file: { driver: 'file', filename: String(data.device_path) } };
  }
  const uri = new URL(String(data.uri));
  return {
    driver: 'raw',
    'node-name': node,
    file: { driver: 'nbd', server: { type: 'inet', host: uri.hostname, port: uri.port || '10809' }, export: decodeURIComponent(uri.pathname.slice(1)) },
  };
}

export function volumeDevice(volume: GuestVolume): Record<string, unknown> {
  const { node, device } = volumeNode(volume.volumeId);
  return { driver: 'virtio-blk-pci', drive: node, id: device, serial: volume.volumeId.slice(0, 20) };
}

/** Volumes the guest has: those of the spec (plugged at spawn), then the hot-plugged ones. */
export function attachedVolumes(state: DomainState): GuestVolume[] {
  return [...state.spec.volumes, ...state.volumes];
}

export function nicIds(portId: string): { netdev: string; device: string } {
  const short = portId.slice(0, 11);
  return { netdev: `net-${short}`, device: `nic-${short}` };
}

/** The full QEMU command line of a domain, daemonized with its pid file and sockets in the instance dir. */
export function qemuArgs(files: InstanceFiles, state: DomainState, accel: 'kvm' | 'tcg'): string[] {
  const { spec } = state;
  const args = [
    '-name',
    `guest=${spec.name.replace(/,/g, ',,')},debug-threads=off`,
    '-uuid',
    spec.serverId,
    '-machine',
    'pc',
    '-accel',
    accel === 'tcg' ? 'tcg,tb-size=32' : 'kvm',
    '-m',
    String(spec.memoryMb),
    '-smp',
    String(Math.max(1, spec.vcpus)),
    '-nodefaults',
    // No window on the host; the display is served on a unix socket only (noVNC's proxy), so no VNC port is open.
    '-display',
    'none',
    '-vga',
    'std',
    '-vnc',
    `unix:${files.vncSocket}`,
    '-qmp',
    `unix:${files.qmp},server=on,wait=off`,
    '-chardev',
    `socket,id=serial0,path=${files.consoleSocket},server=on,wait=off,logfile=${files.consoleLog},logappend=on`,
    '-serial',
    'chardev:serial0',
    '-daemonize',
    '-pidfile',
    files.pidFile,
  ];
  // Boot order: the rescue disk when rescued, then the root disk (an image
  // overlay, or the boot volume which is the first volume), then volumes.
  const local = state.rescueImage ? [{ node: 'rescue', file: files.rescueDisk }] : [];
  if ('image' in spec.boot) local.push({ node: 'root', file: files.disk });
  const devices: Array<Record<string, unknown>> = [];
  for (const d of local) {
    args.push('-blockdev', JSON.stringify({ driver: 'qcow2', 'node-name': d.node, file: { driver: 'file', filename: d.file } }));
    devices.push({ driver: 'virtio-blk-pci', drive: d.node, id: `${d.node}-dev`, serial: d.node });
  }
  for (const volume of attachedVolumes(state)) {
    args.push('-blockdev', JSON.stringify(volumeBlockdev(volume)));
    devices.push(volumeDevice(volume));
  }
  devices.forEach((device, i) => args.push('-device', JSON.stringify(i === 0 ? { ...device, bootindex: 0 } : device)));
  if (spec.configDrive) {
    args.push('-blockdev', `driver=file,node-name=config-file,filename=${files.configIso},read-only=on`);
    args.push('-blockdev', 'driver=raw,node-name=config,file=config-file,read-only=on');
    args.push('-device', 'virtio-blk-pci,drive=config,id=config-dev,serial=config-2');
  }
  for (const nic of spec.interfaces) {
    const ids = nicIds(nic.portId);
    args.push('-netdev', `tap,id=${ids.netdev},ifname=${portDeviceName(nic.portId)},script=no,downscript=no`);
    args.push('-device', JSON.stringify({ driver: 'virtio-net-pci', netdev: ids.netdev, id: ids.device, mac: nic.mac }));
  }
  return args;
}
