/**
 * A port's QoS as Neutron's Linux-bridge agent applies it on the port's tap.
 * Directions are the VM's: what the VM sends (`egress`) enters the host on
 * the tap, so it is policed by a filter on the tap's ingress qdisc (packets
 * over the rate are dropped); what the VM receives (`ingress`) leaves the
 * host through the tap, so it is shaped by a token-bucket (tbf) root qdisc.
 * (Neutron's agent polices with the `basic` classifier in older releases
 * and a u32 match-all in newer ones; u32 is built into more kernels.)
 * DSCP marking sets the DS field of what the VM sends in the mangle table's
 * POSTROUTING, through one chain per port (IPv4 and IPv6).
 *
 * Every apply removes what was there and puts the wanted state, so it is
 * idempotent; removing something absent succeeds.
 */
import type { DriverBandwidthLimit, DriverQos } from '../qos.js';
import { run, tryRun } from './host.js';
import { names } from './names.js';

/** Neutron's defaults: tbf latency (`[QOS] tbf_latency`), kernel HZ (`kernel_hz`), burst as a share of the rate. */
const TBF_LATENCY_MS = 50;
const KERNEL_HZ = 250;
const DEFAULT_BURST_SHARE = 0.8;
/** The priority Neutron gives its policing filter. */
const POLICE_PRIORITY = '49';

const dscpChain = (portId: string) => `nb-q-${portId.slice(0, 11)}`;

/** Burst in kbit: the rule's, or 80 % of the rate when it gives none, as Neutron's agent. */
export function burstKbit(limit: DriverBandwidthLimit): number {
  return limit.maxBurstKbps > 0 ? limit.maxBurstKbps : Math.max(1, Math.round(limit.maxKbps * DEFAULT_BURST_SHARE));
}

/** The u32 match-all filter on the tap's ingress qdisc that Neutron's agent hangs its policer on. */
const matchAll = (tap: string) => ['filter', 'add', 'dev', tap, 'parent', 'ffff:', 'protocol', 'all', 'prio', POLICE_PRIORITY, 'u32', 'match', 'u32', '0', '0'];

/** tc's arguments: police what the VM sends (arriving on `tap`) at the limit, dropping the excess. */
export function policeArgs(tap: string, limit: DriverBandwidthLimit): string[] {
  return [...matchAll(tap), 'police', 'rate', `${limit.maxKbps}kbit`, 'burst', `${burstKbit(limit)}kbit`, 'mtu', '64kb', 'drop'];
}

/** tc's arguments: a token bucket on `device`'s root, holding at least what one timer tick lets through. */
export function shapeArgs(device: string, limit: DriverBandwidthLimit): string[] {
  const burst = Math.max(burstKbit(limit), Math.ceil(limit.maxKbps / KERNEL_HZ));
  return ['qdisc', 'replace', 'dev', device, 'root', 'tbf', 'rate', `${limit.maxKbps}kbit`, 'burst', `${burst}kbit`, 'latency', `${TBF_LATENCY_MS}ms`];
}

/** Replaces the port's limits and marking with `qos` (NO_QOS removes them). */
export async function applyPortQos(portId: string, qos: DriverQos): Promise<void> {
  const tap = names.tap(portId);
  await removeBandwidthLimits(portId);
  for (const limit of qos.bandwidthLimits) {
    if (limit.direction === 'ingress') await run('tc', shapeArgs(tap, limit));
    else await limitWhatTheVmSends(portId, limit);
  }
  await setDscpMark(portId, qos.dscpMark);
}

/**
 * Neutron's policer on the tap's ingress. A kernel built without the police
 * action (CONFIG_NET_ACT_POLICE unset, as some VM kernels are) refuses it;
 * there the tap's incoming traffic is redirected to an ifb device and shaped
 * at the same rate on it, so the limit holds all the same.
 */
async function limitWhatTheVmSends(portId: string, limit: DriverBandwidthLimit): Promise<void> {
  const tap = names.tap(portId);
  await run('tc', ['qdisc', 'add', 'dev', tap, 'ingress']);
  if ((await tryRun('tc', policeArgs(tap, limit))).ok) return;
  const ifb = names.ifb(portId);
  await run('ip', ['link', 'add', ifb, 'type', 'ifb']);
  await run('ip', ['link', 'set', ifb, 'up']);
  await run('tc', shapeArgs(ifb, limit));
  await run('tc', [...matchAll(tap), 'action', 'mirred', 'egress', 'redirect', 'dev', ifb]);
}

async function removeBandwidthLimits(portId: string): Promise<void> {
  const tap = names.tap(portId);
  // Absent qdiscs or devices make these fail; either way nothing of ours is left.
  await tryRun('tc', ['qdisc', 'del', 'dev', tap, 'ingress']);
  await tryRun('tc', ['qdisc', 'del', 'dev', tap, 'root']);
  await tryRun('ip', ['link', 'del', names.ifb(portId)]);
}

/** Marks what the VM sends with `mark`, or removes the marking when null. */
async function setDscpMark(portId: string, mark: number | null): Promise<void> {
  const chain = dscpChain(portId);
  const jump = ['POSTROUTING', '-m', 'physdev', '--physdev-in', names.tap(portId), '--physdev-is-bridged', '-j', chain];
  for (const tool of ['iptables', 'ip6tables']) {
    // No chain, no jump to it (iptables keeps neither without the other): one call when there is nothing to remove.
    if ((await tryRun(tool, ['-w', '-t', 'mangle', '-F', chain])).ok) {
      while ((await tryRun(tool, ['-w', '-t', 'mangle', '-D', ...jump])).ok);
      await run(tool, ['-w', '-t', 'mangle', '-X', chain]);
    }
    if (mark === null) continue;
    await run(tool, ['-w', '-t', 'mangle', '-N', chain]);
    await run(tool, ['-w', '-t', 'mangle', '-A', chain, '-j', 'DSCP', '--set-dscp', String(mark)]);
    await run(tool, ['-w', '-t', 'mangle', '-A', ...jump]);
  }
}

/** Removes everything QoS made for the port: its limits (the ifb device too) and its marking chains. */
export async function removePortQos(portId: string): Promise<void> {
  await removeBandwidthLimits(portId);
  await setDscpMark(portId, null);
}
