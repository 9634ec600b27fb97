/**
 * The host tools the Linux-bridge driver runs (iproute2's `ip`, `iptables`,
 * `iptables-restore`, `sysctl`, `dnsmasq`), with arguments as arrays (no
 * shell). A missing tool or a failed command throws
 * `NetworkDriverError('backend-failure')` naming the tool and its message.
 */
import { execFile } from 'node:child_process';
import { NetworkDriverError } from '../driver.js';

/** Debian packages that provide each tool (for the error a missing one gives). */
export const TOOL_PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  iptables: 'iptables',
  'iptables-restore': 'iptables',
  ip6tables: 'iptables',
  tc: 'iproute2',
  sysctl: 'procps',
  dnsmasq: 'dnsmasq-base',
};

export interface RunOptions {
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** Written to the command's standard input. */
  input?: string;
}

export interface RunResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs the command; never throws for a non-zero exit (see `run`), only for a missing tool. */
export function tryRun(tool: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = options.netns ? ['ip', ['netns', 'exec', options.netns, tool, ...args]] : [tool, args];
  return new Promise((resolve, reject) => {
    const child = execFile(file, argv, { maxBuffer: 16 * 1024 * 1024, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(missingTool(file));
        return;
      }
      // `ip netns exec` reports a missing tool itself.
      if (options.netns && /exec of "[^"]+" failed: No such file/.test(stderr)) {
        reject(missingTool(tool));
        return;
      }
      resolve({ ok: !error, stdout, stderr: stderr || (error ? error.message : '') });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs the command and returns its output; a non-zero exit throws `backend-failure`. */
export async function run(tool: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await tryRun(tool, args, options);
  if (!result.ok) {
    const where = options.netns ? ` (in ${options.netns})` : '';
    throw new NetworkDriverError('backend-failure', `${tool} ${args.join(' ')}${where} failed: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

export function missingTool(tool: string): NetworkDriverError {
  const pkg = TOOL_PACKAGES[tool];
  return new NetworkDriverError(
    'backend-failure',
    `The linuxbridge network driver needs "${tool}", which is not installed${pkg ? ` (Debian package ${pkg}; see scripts/install-host)` : ''}.`,
  );
}

/** The first of `tools` not on this host, or null when all are there. */
export async function firstMissingTool(tools: string[]): Promise<string | null> {
  for (const tool of tools) {
    const found = await new Promise<boolean>((resolve) => {
      execFile('sh', ['-c', 'command -v "$1"', 'sh', tool], (error) => resolve(!error));
    });
    if (!found) return tool;
  }
  return null;
}
