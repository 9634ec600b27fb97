/**
 * "Guests" for the linuxbridge tests: a network namespace per port whose eth0
 * is a veth whose bridge end takes the port's tap name (the tap the driver
 * made is replaced), so the driver's physdev security-group chains match it
 * as they match a VM's tap. Everything made here is tracked and removed by
 * `cleanup`, including on failure; processes are killed by their pid only.
 */
import { execFile, spawn } from 'node:child_process';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Output {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function sh(file: string, args: string[], timeoutMs = 15_000): Promise<Output> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => resolve({ ok: !error, stdout, stderr }));
  });
}

/** Runs in a namespace. */
export const inNs = (netns: string, file: string, args: string[], timeoutMs?: number) => sh('ip', ['netns', 'exec', netns, file, ...args], timeoutMs);

const UDHCPC_SCRIPT = `#!/bin/sh
# busybox udhcpc hook: address and RFC 3442 routes (option 121 wins over option 3)
case "$1" in
  deconfig) ip addr flush dev $interface; ip link set $interface up ;;
  bound|renew)
    ip addr flush dev $interface
    ip addr add $ip/$mask dev $interface
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do ip route add $1 via $2 dev $interface; shift 2; done
    elif [ -n "$router" ]; then
      for r in $router; do ip route add default via $r dev $interface; break; done
    fi
    echo "mtu=$mtu dns=$dns" ;;
esac
exit 0
`;

export class Guests {
  readonly #namespaces: string[] = [];
  readonly #links: string[] = [];
  readonly #pids: number[] = [];
  readonly script: string;

  constructor(readonly dir: string) {
    this.script = join(dir, 'udhcpc.sh');
    writeFileSync(this.script, UDHCPC_SCRIPT);
    chmodSync(this.script, 0o755);
  }

  /** A namespace `netns` plugged into `bridge` as tap `tap`, eth0 with `mac`. */
  async plug(netns: string, tap: string, bridge: string, mac: string): Promise<void> {
    this.#namespaces.push(netns);
    this.#links.push(tap);
    await must(sh('ip', ['netns', 'add', netns]));
    await sh('ip', ['link', 'del', tap]);
    await must(sh('ip', ['link', 'add', tap, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]));
    await must(sh('sysctl', ['-qw', `net.ipv6.conf.${tap}.disable_ipv6=1`]));
    await must(sh('ip', ['link', 'set', tap, 'master', bridge, 'up']));
    await must(inNs(netns, 'ip', ['link', 'set', 'lo', 'up']));
    await must(inNs(netns, 'ip', ['link', 'set', 'eth0', 'address', mac, 'up']));
  }

  /** A namespace this test made for itself (not plugged). */
  track(netns: string): void {
    this.#namespaces.push(netns);
  }

  /** busybox udhcpc in the guest; its output. */
  async dhcp(netns: string): Promise<Output> {
    return inNs(
      netns,
      'busybox',
      ['udhcpc', '-i', 'eth0', '-s', this.script, '-O', 'staticroutes', '-O', 'mtu', '-n', '-q', '-f', '-t', '8', '-T', '1', '-A', '1'],
      20_000,
    );
  }

  /** A TCP server in `netns` on `port` answering each connection with the peer's address (socat). */
  async echoPeer(netns: string, port: number): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', netns, 'socat', `TCP-LISTEN:${port},reuseaddr,fork`, 'SYSTEM:echo $SOCAT_PEERADDR'], {
      stdio: 'ignore',
      detached: true,
    });
    if (child.pid) this.#pids.push(child.pid);
    child.unref();
    // Up once the port is bound.
    for (let i = 0; i < 50; i++) {
      if ((await inNs(netns, 'sh', ['-c', `grep -qi ":$(printf '%04X' ${port}) " /proc/net/tcp`])).ok) return;
      await sleep(100);
    }
    throw new Error(`socat on ${netns}:${port} did not listen`);
  }

  /** Connects from `netns` to `address:port` and returns what the server said ('' when it could not connect). */
  async connect(netns: string, address: string, port: number, source?: string): Promise<string> {
    const target = `TCP:${address}:${port},connect-timeout=2${source ? `,bind=${source}` : ''}`;
    const result = await inNs(netns, 'socat', ['-T', '3', '-', target], 8000);
    return result.stdout.trim();
  }

  async ping(netns: string, address: string): Promise<boolean> {
    return (await inNs(netns, 'busybox', ['ping', '-c', '1', '-W', '2', address], 6000)).ok;
  }

  async cleanup(): Promise<void> {
    for (const pid of this.#pids) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
    for (const link of this.#links) await sh('ip', ['link', 'del', link]);
    for (const netns of this.#namespaces) await sh('ip', ['netns', 'del', netns]);
  }
}

async function must(pending: Promise<Output>): Promise<Output> {
  const result = await pending;
  if (!result.ok) throw new Error(result.stderr);
  return result;
}
