/**
 * Support for the tests that run Nimbus with real drivers (`--drivers real`):
 * QEMU guests, Linux bridges, namespaces, iptables. They need root, /dev/net/tun,
 * QEMU and the guest image (`scripts/build-guest-image`); `realHostMissing()`
 * says what is missing so a test can skip with the reason (CI has them all).
 *
 * Nimbus runs as a child process (`node dist/src/cli/main.js start`), so a
 * test can kill it with SIGKILL and start it again on the same data dir and port.
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxBridgeNetworkDriver } from '../../src/network/drivers/linuxbridge/index.js';
import { openstack, openstackJson } from '../clients/openstack.js';
import { freePort } from '../support/free-port.js';
import { startNimbusProcess } from '../support/nimbus-process.js';

/** Why this host cannot run real drivers, or null when it can. */
export function realHostMissing(): string | null {
  if (process.getuid?.() !== 0) return 'real drivers need root';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  for (const tool of ['qemu-system-x86_64', 'qemu-img', 'dnsmasq', 'ip', 'iptables', 'genisoimage', 'busybox']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (scripts/install-host installs it)`;
  }
  return null;
}

export interface RealCloud {
  dataDir: string;
  port: number;
  cloudsYaml: string;
  process: ChildProcess;
  /** `openstack --os-cloud nimbus-demo ... -f json`, parsed. */
  demo<T = Record<string, unknown>>(args: string[]): Promise<T>;
  admin<T = Record<string, unknown>>(args: string[]): Promise<T>;
  /** `openstack --os-cloud nimbus-demo ...` that must succeed; its stdout. */
  demoRun(args: string[]): Promise<string>;
  /** Starts Nimbus again on the same data dir and port (after a kill). */
  restart(): Promise<void>;
  kill(): void;
}

/** Starts `nimbus start --drivers real` in a fresh data dir with the given extra YAML config. */
/**
 * One real cloud on the host at a time: a teardown prunes every Nimbus
 * bridge, namespace and chain on the host, which would pull another test's
 * cloud from under it. The lock is a directory holding its owner's pid; a
 * dead owner's lock is taken over.
 */
const HOST_LOCK = join(tmpdir(), 'nimbus-real-cloud.lock');

async function lockHost(): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(HOST_LOCK);
      writeFileSync(join(HOST_LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(existsSync(join(HOST_LOCK, 'pid')) ? readFileSync(join(HOST_LOCK, 'pid'), 'utf8') : 0);
    if (holder > 0 && !processAlive(holder)) rmSync(HOST_LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`another real-cloud test holds ${HOST_LOCK}`);
    else await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function unlockHost(): void {
  const pidFile = join(HOST_LOCK, 'pid');
  if (existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) === process.pid) rmSync(HOST_LOCK, { recursive: true, force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startRealCloud(extraConfig: string): Promise<RealCloud> {
  await lockHost();
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-real-'));
  const port = await freePort();
  const start = async (): Promise<ChildProcess> =>
    (await startNimbusProcess(dataDir, { config: extraConfig, args: ['--drivers', 'real', '--port', String(port)] })).process;
  const cloudsYaml = join(dataDir, 'clouds.yaml');
  const cli =
    (cloud: string) =>
    <T>(args: string[]) =>
      openstackJson<T>(cloudsYaml, ['--os-cloud', cloud, ...args]);
  const cloud: RealCloud = {
    dataDir,
    port,
    cloudsYaml,
    process: await start(),
    demo: cli('nimbus-demo'),
    admin: cli('nimbus'),
    async demoRun(args) {
      const result = await openstack(cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
      if (result.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
      return result.stdout;
    },
    async restart() {
      cloud.process = await start();
    },
    kill() {
      cloud.process.kill('SIGKILL');
    },
  };
  return cloud;
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Runs a command in a network namespace; true when it exits 0 (a bounded probe, never throws). */
export function inNamespace(namespace: string, command: string[], timeoutSeconds = 5): boolean {
  return spawnSync('ip', ['netns', 'exec', namespace, 'timeout', String(timeoutSeconds), ...command], { stdio: 'ignore' }).status === 0;
}

/** A TCP connect from a namespace (bash's /dev/tcp): true when the port answered. */
export function tcpReachable(namespace: string, address: string, port: number): boolean {
  return inNamespace(namespace, ['bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`], 4);
}

export function pingable(namespace: string, address: string): boolean {
  return inNamespace(namespace, ['busybox', 'ping', '-c', '1', '-W', '3', address], 6);
}

/** Host objects whose names carry one of `ids` (Neutron names use the first 11 characters of an id). */
export function hostObjectsOf(ids: string[]): string[] {
  const prefixes = ids.map((id) => id.slice(0, 11));
  const names = [
    ...execFileSync('ip', ['-o', 'link', 'show'])
      .toString()
      .split('\n')
      .map((line) => line.split(': ')[1]?.split('@')[0] ?? ''),
    ...execFileSync('ip', ['netns', 'list'])
      .toString()
      .split('\n')
      .map((line) => line.split(' ')[0] ?? ''),
    ...execFileSync('iptables-save')
      .toString()
      .split('\n')
      .filter((line) => line.startsWith(':'))
      .map((line) => line.slice(1).split(' ')[0] ?? ''),
  ];
  return names.filter((name) => name !== '' && prefixes.some((prefix) => name.includes(prefix)));
}

/** PIDs of running processes whose command line names `needle` (e.g. the test's data dir). */
export function processesNaming(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}

/**
 * Removes everything a real-driver test made, also after a failure: the
 * demo project's servers through the API (the drivers remove what they
 * made), then Nimbus and every process naming its data dir, whatever the
 * network driver left for that data dir, and the data dir.
 */
export async function tearDownRealCloud(cloud: RealCloud): Promise<void> {
  for (const server of await cloud.demo<Array<{ id: string }>>(['server', 'list']).catch(() => [])) {
    await cloud.demoRun(['server', 'delete', '--wait', server.id]).catch(() => undefined);
  }
  cloud.kill();
  for (const pid of processesNaming(cloud.dataDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // Bridges, namespaces, dnsmasq, proxies, chains.
  await new LinuxBridgeNetworkDriver({ dataDir: cloud.dataDir, metadataSocket: join(cloud.dataDir, 'metadata.sock') })
    .prune({ networkIds: [], routerIds: [], portIds: [] }, 'nimbus')
    .catch((error: unknown) => console.error('network cleanup failed:', error));
  rmSync(cloud.dataDir, { recursive: true, force: true });
  unlockHost();
}
