/**
 * Security groups as Neutron's IptablesFirewallDriver applies them on a Linux
 * bridge: br_netfilter hands bridged IPv4 frames to iptables, where physdev
 * matches pick the port's chains. Per port: an ingress chain (frames leaving
 * the bridge to the tap), an egress chain (frames from the tap) and a spoof
 * chain (source MAC/IP must be the port's or an allowed address pair's).
 * Stateful (conntrack): replies to allowed traffic pass, the rest is dropped
 * unless a rule allows it, in both directions, as Neutron.
 *
 * All jumps hang off one chain per Nimbus data dir (`nimbus-sg-<hash>`),
 * jumped to from the top of FORWARD; nothing else of the host's filter table
 * is touched. A change builds the other generation of the port's chains and
 * swaps the jumps in one iptables-restore transaction, then deletes the old
 * generation, so a port is never unfiltered in between.
 */
import { createHash } from 'node:crypto';
import type { DriverPort, DriverRule } from '../driver.js';
import { run, tryRun } from './host.js';
import { names } from './names.js';

const GENERATIONS = ['a', 'b'] as const;
const spoofChain = (portId: string, generation: string) => `nb-s-${portId.slice(0, 11)}-${generation}`;

/** The port's filter, ready to apply. */
export interface PortFilter {
  port: DriverPort;
  rules: DriverRule[];
}

export class Firewall {
  readonly topChain: string;

  constructor(dataDir: string) {
    this.topChain = `nimbus-sg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`;
  }

  /** Replaces the port's chains with `filter`'s (or removes them when null: no filtering). */
  async apply(portId: string, filter: PortFilter | null): Promise<void> {
    if (filter === null) {
      await this.remove(portId);
      return;
    }
    await this.#ensureTop();
    const tap = names.tap(portId);
    const current = await this.#generationOf(portId);
    const next = current === 'a' ? 'b' : 'a';
    const [ingress, egress, spoof] = [names.ingressChain(portId, next), names.egressChain(portId, next), spoofChain(portId, next)];
    const lines = ['*filter', `:${ingress} - [0:0]`, `:${egress} - [0:0]`, `:${spoof} - [0:0]`];
    lines.push(...renderChains(filter, { ingress, egress, spoof }));
    lines.push(`-I ${this.topChain} 1 ${jumpMatch(tap, 'out')} -j ${ingress}`, `-I ${this.topChain} 1 ${jumpMatch(tap, 'in')} -j ${egress}`);
    if (current) lines.push(...this.#deleteJumps(portId, current));
    lines.push('COMMIT', '');
    await run('iptables-restore', ['-w', '--noflush'], { input: lines.join('\n') });
    if (current) await deleteChains(portId, current);
  }

  /** Removes the port's jumps and chains (both generations); succeeds when there are none. */
  async remove(portId: string): Promise<void> {
    const current = await this.#generationOf(portId);
    if (current) await run('iptables-restore', ['-w', '--noflush'], { input: ['*filter', ...this.#deleteJumps(portId, current), 'COMMIT', ''].join('\n') });
    for (const generation of GENERATIONS) await deleteChains(portId, generation);
  }

  /** Ports (11-character id prefixes) that have chains under this data dir's top chain. */
  async filteredPorts(): Promise<string[]> {
    const listing = await tryRun('iptables', ['-w', '-S', this.topChain]);
    if (!listing.ok) return [];
    return [...new Set([...listing.stdout.matchAll(/-j nb-i-(\S{11})-[ab]/g)].map((m) => m[1] as string))];
  }

  /** Removes the top chain and its FORWARD jump when no port is filtered any more. */
  async removeTopIfEmpty(): Promise<void> {
    if ((await this.filteredPorts()).length > 0) return;
    while ((await tryRun('iptables', ['-w', '-D', 'FORWARD', '-j', this.topChain])).ok);
    await tryRun('iptables', ['-w', '-F', this.topChain]);
    await tryRun('iptables', ['-w', '-X', this.topChain]);
  }

  async #ensureTop(): Promise<void> {
    if (!(await tryRun('iptables', ['-w', '-S', this.topChain])).ok) {
      const made = await tryRun('iptables', ['-w', '-N', this.topChain]);
      if (!made.ok && !(await tryRun('iptables', ['-w', '-S', this.topChain])).ok) await run('iptables', ['-w', '-N', this.topChain]);
    }
    if (!(await tryRun('iptables', ['-w', '-C', 'FORWARD', '-j', this.topChain])).ok) await run('iptables', ['-w', '-I', 'FORWARD', '1', '-j', this.topChain]);
  }

  async #generationOf(portId: string): Promise<'a' | 'b' | null> {
    const listing = await tryRun('iptables', ['-w', '-S', this.topChain]);
    if (!listing.ok) return null;
    const match = new RegExp(`-j nb-i-${portId.slice(0, 11)}-([ab])\\b`).exec(listing.stdout);
    return (match?.[1] as 'a' | 'b' | undefined) ?? null;
  }

  #deleteJumps(portId: string, generation: string): string[] {
    const tap = names.tap(portId);
    return [
      `-D ${this.topChain} ${jumpMatch(tap, 'out')} -j ${names.ingressChain(portId, generation)}`,
      `-D ${this.topChain} ${jumpMatch(tap, 'in')} -j ${names.egressChain(portId, generation)}`,
    ];
  }
}

function jumpMatch(tap: string, direction: 'in' | 'out'): string {
  return `-m physdev --physdev-${direction} ${tap} --physdev-is-bridged`;
}

async function deleteChains(portId: string, generation: string): Promise<void> {
  for (const chain of [names.ingressChain(portId, generation), names.egressChain(portId, generation), spoofChain(portId, generation)]) {
    if ((await tryRun('iptables', ['-w', '-F', chain])).ok) await tryRun('iptables', ['-w', '-X', chain]);
  }
}

/** The rules of the three chains (iptables-restore lines), as Neutron's IptablesFirewallDriver orders them. */
export function renderChains(filter: PortFilter, chains: { ingress: string; egress: string; spoof: string }): string[] {
  const { port, rules } = filter;
  const { ingress, egress, spoof } = chains;
  const v4 = rules.filter((r) => r.ethertype === 'IPv4');
  const lines = [
    `-A ${ingress} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
    `-A ${ingress} -m conntrack --ctstate INVALID -j DROP`,
    // DHCP answers reach the port whatever its groups say (Neutron's DHCP rule).
    `-A ${ingress} -p udp -m udp --sport 67 --dport 68 -j RETURN`,
    ...v4.filter((r) => r.direction === 'ingress').flatMap((r) => ruleLines(ingress, r, '-s')),
    `-A ${ingress} -j DROP`,
    // DHCP discover comes from 0.0.0.0, before the port has its address.
    `-A ${egress} -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -j RETURN`,
    `-A ${egress} -j ${spoof}`,
    `-A ${egress} -p udp -m udp --sport 68 --dport 67 -j RETURN`,
    // A port may not answer DHCP (a rogue server).
    `-A ${egress} -p udp -m udp --sport 67 --dport 68 -j DROP`,
    `-A ${egress} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
    `-A ${egress} -m conntrack --ctstate INVALID -j DROP`,
    ...v4.filter((r) => r.direction === 'egress').flatMap((r) => ruleLines(egress, r, '-d')),
    `-A ${egress} -j DROP`,
  ];
  const sources = [
    ...port.fixedIps.filter((f) => !f.ipAddress.includes(':')).map((f) => ({ ip: `${f.ipAddress}/32`, mac: port.macAddress })),
    ...port.allowedAddressPairs
      .filter((p) => !p.ipAddress.includes(':'))
      .map((p) => ({ ip: p.ipAddress.includes('/') ? p.ipAddress : `${p.ipAddress}/32`, mac: p.macAddress || port.macAddress })),
  ];
  for (const source of sources) lines.push(`-A ${spoof} -s ${source.ip} -m mac --mac-source ${source.mac} -j RETURN`);
  lines.push(`-A ${spoof} -j DROP`);
  return lines;
}

const PROTOCOL_NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '132': 'sctp' };

/** One rule as `-A` lines: one per remote prefix (none when a remote group has no members). */
function ruleLines(chain: string, rule: DriverRule, remoteFlag: '-s' | '-d'): string[] {
  const match: string[] = [];
  const protocol = rule.protocol === null || rule.protocol === 'any' ? null : (PROTOCOL_NAMES[rule.protocol] ?? rule.protocol);
  if (protocol !== null) match.push('-p', protocol);
  if ((protocol === 'tcp' || protocol === 'udp' || protocol === 'sctp') && rule.portRangeMin !== null) {
    const max = rule.portRangeMax ?? rule.portRangeMin;
    match.push('-m', protocol, '--dport', max === rule.portRangeMin ? String(max) : `${rule.portRangeMin}:${max}`);
  } else if (protocol === 'icmp' && rule.portRangeMin !== null) {
    match.push('-m', 'icmp', '--icmp-type', rule.portRangeMax === null ? String(rule.portRangeMin) : `${rule.portRangeMin}/${rule.portRangeMax}`);
  }
  const prefixes = rule.remoteIpPrefixes ?? [null];
  return prefixes.map((prefix) => [`-A ${chain}`, ...(prefix === null || prefix === '0.0.0.0/0' ? [] : [remoteFlag, prefix]), ...match, '-j RETURN'].join(' '));
}
