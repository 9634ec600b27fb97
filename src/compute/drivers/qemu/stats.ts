/**
 * A QEMU guest's usage counters, read as libvirt would for Nova's
 * diagnostics and Ceilometer's compute pollsters: CPU time from the QEMU
 * process (/proc/PID/stat, user + system: TCG and KVM vCPU threads are
 * threads of that process), disk I/O from QMP `query-blockstats`, network
 * counters from the taps (/sys/class/net/<tap>/statistics, swapped: what the
 * tap transmits is what the guest receives). The guests run without a
 * balloon device, so memory usage is unknown (null), as libvirt reports it
 * without one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { portDeviceName, type GuestDiskStats, type GuestInterfaceStats, type GuestStats } from '../driver.js';
import { attachedVolumes, volumeNode, type DomainState } from './instance.js';
import type { QmpClient } from './qmp.js';

/** Linux's USER_HZ: /proc reports CPU times in these ticks on every architecture Nimbus runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

interface BlockStatsEntry {
  device?: string;
  'node-name'?: string;
  qdev?: string;
  stats: { rd_bytes: number; wr_bytes: number; rd_operations: number; wr_operations: number };
}

export async function readGuestStats(pid: number, state: DomainState, qmp: QmpClient, netDir = '/sys/class/net'): Promise<GuestStats> {
  const blockStats = await qmp.execute<BlockStatsEntry[]>('query-blockstats');
  return {
    cpuTimeNs: processCpuTimeNs(pid),
    vcpus: state.spec.vcpus,
    memoryMb: state.spec.memoryMb,
    memoryUsageMb: null,
    disks: guestDisks(state, blockStats),
    interfaces: state.spec.interfaces.map((nic) => interfaceStats(nic, netDir)),
  };
}

/** utime + stime of the process (/proc/PID/stat fields 14 and 15), in nanoseconds. */
export function processCpuTimeNs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses; field 3 (state) comes first.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Math.round((ticks * 1e9) / CLOCK_TICKS_PER_SECOND);
}

/** The guest's disks by their device names; the config drive is not a disk Ceilometer meters. */
function guestDisks(state: DomainState, entries: BlockStatsEntry[]): GuestDiskStats[] {
  const names = new Map<string, string>();
  if (state.rescueImage) names.set('rescue', 'vda');
  if ('image' in state.spec.boot) names.set('root', state.rescueImage ? 'vdb' : 'vda');
  for (const volume of attachedVolumes(state)) names.set(volumeNode(volume.volumeId).node, basename(volume.device));
  const disks: GuestDiskStats[] = [];
  for (const entry of entries) {
    const device = names.get(entry['node-name'] ?? '');
    if (device === undefined) continue;
    disks.push({
      device,
      readBytes: entry.stats.rd_bytes,
      readRequests: entry.stats.rd_operations,
      writeBytes: entry.stats.wr_bytes,
      writeRequests: entry.stats.wr_operations,
    });
  }
  return disks.sort((a, b) => a.device.localeCompare(b.device));
}

function interfaceStats(nic: { portId: string; mac: string }, netDir: string): GuestInterfaceStats {
  const tapName = portDeviceName(nic.portId);
  const counter = (name: string) => {
    const file = `${netDir}/${tapName}/statistics/${name}`;
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
  };
  return {
    portId: nic.portId,
    mac: nic.mac,
    tapName,
    rxBytes: counter('tx_bytes'),
    rxPackets: counter('tx_packets'),
    txBytes: counter('rx_bytes'),
    txPackets: counter('rx_packets'),
  };
}
