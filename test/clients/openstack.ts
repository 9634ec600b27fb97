/**
 * Runs Debian's `openstack` CLI (python3-openstackclient) against a test
 * server, the way a user would: clouds.yaml from the data dir, JSON output.
 */
import { execFile, execFileSync } from 'node:child_process';

export function openstackAvailable(): boolean {
  try {
    execFileSync('openstack', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `timeoutMs` bounds the command (a `stack create --wait` on real drivers takes minutes). */
export function openstack(cloudsYaml: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'openstack',
      args,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OS_CLIENT_CONFIG_FILE: cloudsYaml, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed and parses its `-f json` output. */
export async function openstackJson<T = unknown>(cloudsYaml: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const result = await openstack(cloudsYaml, [...args, '-f', 'json'], env);
  if (result.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * The CLI as one cloud of a test server's clouds.yaml (read when called, so it
 * can be made before the server starts): `json` parses `-f json` output, `run`
 * asserts that the command succeeded.
 */
export function cliAs(server: () => { cloudsYaml: string }, cloudName: string) {
  return {
    json: <T = Record<string, unknown>>(args: string[]) => openstackJson<T>(server().cloudsYaml, ['--os-cloud', cloudName, ...args]),
    async run(args: string[]): Promise<CliResult> {
      const result = await openstack(server().cloudsYaml, ['--os-cloud', cloudName, ...args]);
      if (result.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
      return result;
    },
  };
}

/**
 * Why a plugin's commands cannot run here, or false when they can: the CLI,
 * then the client library the plugin comes with (imported by Debian's own
 * python: another `python3` first on PATH may lack Debian's modules).
 */
export function pluginSkipReason(module: string, commands: string, aptPackage: string): string | false {
  if (!openstackAvailable()) return 'the openstack CLI is not installed (apt-get install python3-openstackclient)';
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return false;
  } catch {
    return `the CLI has no ${commands} commands (apt-get install ${aptPackage})`;
  }
}

/** Why the `openstack stack ...` commands cannot run here, or false when they can. */
export function stackCommandsSkipReason(): string | false {
  return pluginSkipReason('heatclient', 'stack', 'python3-heatclient');
}
