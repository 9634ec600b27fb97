/**
 * Bridges, taps, veths, namespaces and addresses through iproute2. Every
 * function converges: it creates what is missing, fixes what differs and
 * succeeds when the end state is already there; removals succeed when the
 * object is absent.
 */
import { writeFile } from 'node:fs/promises';
import { run, tryRun } from './host.js';

/** IPv6 off on a root-namespace interface, as Neutron's bridges and taps (no link-local chatter). */
async function disableIpv6(device: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv6/conf/${device}/disable_ipv6`, '1').catch(() => undefined);
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  return (await tryRun('ip', ['link', 'show', 'dev', name], netns ? { netns } : {})).ok;
}

export async function deleteLink(name: string, netns?: string): Promise<void> {
  if (await linkExists(name, netns)) await tryRun('ip', ['link', 'del', 'dev', name], netns ? { netns } : {});
}

/** A bridge with no IP and no uplink (single host), IPv6 off. */
export async function ensureBridge(name: string, mtu: number, up: boolean): Promise<void> {
  if (!(await linkExists(name))) {
    const made = await tryRun('ip', ['link', 'add', name, 'type', 'bridge']);
    if (!made.ok && !(await linkExists(name))) await run('ip', ['link', 'add', name, 'type', 'bridge']);
  }
  await disableIpv6(name);
  await run('ip', ['link', 'set', 'dev', name, 'mtu', String(mtu), up ? 'up' : 'down']);
}

/** A persistent tap enslaved to `bridge` (QEMU opens it by name). */
export async function ensureTap(name: string, bridge: string, mtu: number): Promise<void> {
  if (!(await linkExists(name))) {
    const made = await tryRun('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
    if (!made.ok && !(await linkExists(name))) await run('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
  }
  await enslave(name, bridge, mtu);
}

async function enslave(device: string, bridge: string, mtu: number): Promise<void> {
  await disableIpv6(device);
  await run('ip', ['link', 'set', 'dev', device, 'master', bridge, 'mtu', String(mtu), 'up']);
}

/** The devices enslaved to `bridge`. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const result = await tryRun('ip', ['-o', 'link', 'show', 'master', bridge]);
  if (!result.ok) return [];
  return result.stdout
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined);
}

/** Devices whose names start with `prefix` (in `netns` when given). */
export async function linksNamed(prefix: string, netns?: string): Promise<string[]> {
  const result = await tryRun('ip', ['-o', 'link', 'show'], netns ? { netns } : {});
  if (!result.ok) return [];
  return result.stdout
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((n): n is string => n?.startsWith(prefix) === true);
}

export async function namespaces(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((n) => n !== '');
}

/** A namespace with lo up, IPv6 off and, for routers, IPv4 forwarding on (inside it only). */
export async function ensureNamespace(name: string, options: { forwarding: boolean }): Promise<void> {
  if (!(await namespaces()).includes(name)) {
    const made = await tryRun('ip', ['netns', 'add', name]);
    if (!made.ok && !(await namespaces()).includes(name)) await run('ip', ['netns', 'add', name]);
  }
  await run(
    'sysctl',
    ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1', `net.ipv4.ip_forward=${options.forwarding ? 1 : 0}`],
    { netns: name },
  );
  await run('ip', ['link', 'set', 'dev', 'lo', 'up'], { netns: name });
}

export async function deleteNamespace(name: string): Promise<void> {
  if ((await namespaces()).includes(name)) await tryRun('ip', ['netns', 'del', name]);
}

/**
 * A veth from `bridge` (end `hostEnd`) into namespace `netns` (end `nsEnd`,
 * with `mac`). A half-made pair is remade.
 */
export async function ensureVeth(spec: { hostEnd: string; nsEnd: string; netns: string; bridge: string; mac: string; mtu: number }): Promise<void> {
  const { hostEnd, nsEnd, netns, bridge, mac, mtu } = spec;
  const hostThere = await linkExists(hostEnd);
  if (!hostThere || !(await linkExists(nsEnd, netns))) {
    if (hostThere) await deleteLink(hostEnd);
    await deleteLink(nsEnd, netns);
    await run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd, 'netns', netns]);
  }
  await enslave(hostEnd, bridge, mtu);
  await run('ip', ['link', 'set', 'dev', nsEnd, 'address', mac, 'mtu', String(mtu), 'up'], { netns });
}

/** Makes `device`'s IPv4 addresses exactly `cidrs` (address/prefix); returns those it added. */
export async function setAddresses(device: string, cidrs: string[], netns: string): Promise<string[]> {
  const out = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', device], { netns });
  const current = out
    .split('\n')
    .map((line) => /\binet (\S+)/.exec(line)?.[1])
    .filter((a): a is string => a !== undefined);
  for (const cidr of current) if (!cidrs.includes(cidr)) await run('ip', ['addr', 'del', cidr, 'dev', device], { netns });
  const added = cidrs.filter((cidr) => !current.includes(cidr));
  for (const cidr of added) await run('ip', ['addr', 'add', cidr, 'dev', device], { netns });
  return added;
}
