/**
 * Starting, re-adopting and stopping the per-namespace helpers: dnsmasq
 * (daemonises itself and writes its pid file) and the metadata proxy
 * (started detached through `ip netns exec`, writes its pid file once it
 * listens). A helper already running with the wanted command line is
 * adopted, not duplicated; one with another command line is restarted.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NetworkDriverError } from '../driver.js';
import { run } from './host.js';
import { commandLine, ourProcess, signal, stopProcess, waitFor } from './processes.js';

/** Runs dnsmasq in `netns` with `args` (which name `pidFile`) unless it already runs so; true when (re)started. */
export async function ensureDnsmasq(netns: string, args: string[], pidFile: string): Promise<boolean> {
  const pid = await ourProcess(pidFile, pidFile);
  if (pid !== null) {
    const running = await commandLine(pid);
    if (JSON.stringify(running.slice(1)) === JSON.stringify(args)) return false;
    await stopProcess(pidFile, pidFile);
  }
  await run('dnsmasq', args, { netns });
  if (!(await waitFor(async () => (await ourProcess(pidFile, pidFile)) !== null, 5000))) {
    throw new NetworkDriverError('backend-failure', `dnsmasq in ${netns} did not start (no live process in ${pidFile}).`);
  }
  return true;
}

/** Tells our dnsmasq to re-read its hosts and options files. */
export async function reloadDnsmasq(pidFile: string): Promise<void> {
  const pid = await ourProcess(pidFile, pidFile);
  if (pid !== null) signal(pid, 'SIGHUP');
}

/**
 * The proxy script: next to this module in the tsc output, next to
 * dist/nimbus.mjs in the bundle (scripts/bundle.mjs builds it there).
 */
export function proxyScript(): string {
  const path = fileURLToPath(new URL('./metadata-proxy.js', import.meta.url));
  if (!existsSync(path)) throw new NetworkDriverError('backend-failure', `The metadata proxy script ${path} is missing (run npm run build).`);
  return path;
}

export interface ProxySpec {
  netns: string;
  socket: string;
  pidFile: string;
  logFile: string;
  /** `--router-id X` or `--network-id X`. */
  identity: ['--router-id' | '--network-id', string];
}

/** Starts the metadata proxy in its namespace unless ours already runs there. */
export async function ensureProxy(spec: ProxySpec): Promise<void> {
  if ((await ourProcess(spec.pidFile, spec.pidFile)) !== null) return;
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(
      'ip',
      ['netns', 'exec', spec.netns, process.execPath, proxyScript(), '--socket', spec.socket, '--pid-file', spec.pidFile, ...spec.identity],
      {
        detached: true,
        stdio: ['ignore', log, log],
      },
    );
    child.on('error', () => undefined);
    child.unref();
  } finally {
    closeSync(log);
  }
  if (!(await waitFor(async () => (await ourProcess(spec.pidFile, spec.pidFile)) !== null, 10_000))) {
    const tail = (await readFile(spec.logFile, 'utf8').catch(() => '')).split('\n').slice(-5).join(' ');
    throw new NetworkDriverError('backend-failure', `The metadata proxy in ${spec.netns} did not start: ${tail}`);
  }
}

export const stopProxy = (pidFile: string) => stopProcess(pidFile, pidFile);
export const stopDnsmasq = (pidFile: string) => stopProcess(pidFile, pidFile);
