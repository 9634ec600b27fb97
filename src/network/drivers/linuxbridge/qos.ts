/**
 * A port's QoS as Neutron's Linux-bridge agent applies it on the port's tap.
 * Directions are the VM's: what the VM sends (`egress`) enters the host on
 * the tap, so it is policed by a filter on the tap's ingress qdisc (packets
 * over the rate are dropped); what the VM receives (`ingress`) leaves the
 * host through the tap, so it is shaped by a token-bucket (tbf) root qdisc.
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

/** The tc commands (argument lists) that put `limit` on `tap`. */
export function bandwidthCommands(tap: string, limit: DriverBandwidthLimit): string[][] {
  const rate = `${limit.maxKbps}kbit`;
  if (limit.direction === 'egress') {
    return [
      ['qdisc', 'add', 'dev', tap, 'ingress'],
      [
        'filter',
        'add',
        'dev',
        tap,
        'parent',
        'ffff:',
        'protocol',
        'all',
        'prio',
        POLICE_PRIORITY,
        'basic',
        'police',
        'rate',
        rate,
        'burst',
        `${burstKbit(limit)}kbit`,
        'mtu',
        '64kb',
        'drop',
      ],
    ];
  }
  // A token bucket must hold at least what one timer tick lets through.
  const burst = Math.max(burstKbit(limit), Math.ceil(limit.maxKbps / KERNEL_HZ));
  return [['qdisc', 'replace', 'dev', tap, 'root', 'tbf', 'rate', rate, 'burst', `${burst}kbit`, 'latency', `${TBF_LATENCY_MS}ms`]];
}

/** Replaces the port's limits and marking with `qos` (NO_QOS removes them). */
export async function applyPortQos(portId: string, qos: DriverQos): Promise<void> {
  const tap = names.tap(portId);
  await removeBandwidthLimits(tap);
  for (const limit of qos.bandwidthLimits) for (const args of bandwidthCommands(tap, limit)) await run('tc', args);
  await setDscpMark(portId, qos.dscpMark);
}

async function removeBandwidthLimits(tap: string): Promise<void> {
  // Absent qdiscs (or an absent tap) make tc fail; either way nothing of ours is left.
  await tryRun('tc', ['qdisc', 'del', 'dev', tap, 'ingress']);
  await tryRun('tc', ['qdisc', 'del', 'dev', tap, 'root']);
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

/** Removes the port's marking chains (its tc state goes with its tap). */
export function removePortQos(portId: string): Promise<void> {
  return setDscpMark(portId, null);
}
