/**
 * Nimbus as a child process (`nimbus start` from the compiled CLI), for tests
 * that kill it with SIGKILL and start it again on the same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.js');

export interface NimbusProcess {
  url: string;
  process: ChildProcess;
  /** What the server wrote to stderr so far (its warnings and errors). */
  log(): string;
}

/**
 * Starts `nimbus start` on `dataDir` with cheap bcrypt, warn-level logs, the
 * extra YAML `config` and flags `args` (default `--port 0`); resolves once it listens.
 * `identity` is YAML added under the `identity:` section (which `config` cannot repeat).
 */
export function startNimbusProcess(dataDir: string, options: { config?: string; identity?: string; args?: string[] } = {}): Promise<NimbusProcess> {
  const file = join(dataDir, 'nimbus.yaml');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `identity:\n  identity:\n    password_hash_rounds: 4\n${options.identity ?? ''}log:\n  level: warn\n${options.config ?? ''}`);
  const args = ['start', '--data-dir', dataDir, '--config', file, ...(options.args ?? ['--port', '0'])];
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    proc.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
      const match = /Nimbus is running at (http:\/\/\S+)/.exec(stderr);
      if (match) resolve({ url: match[1] as string, process: proc, log: () => stderr });
    });
    proc.on('exit', (code) => reject(new Error(`nimbus exited (${code}): ${stderr}`)));
  });
}

/** Runs a `nimbus` command to its end; resolves with its output, rejects unless it exits 0. */
export function runNimbusCli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`nimbus ${args.join(' ')} exited ${code}: ${output}`)))),
  );
}

export interface NimbusAgent {
  host: string;
  process: ChildProcess;
  log(): string;
}

/** Starts `nimbus agent compute --host NAME` with the YAML `config` (warn-level logs); resolves once it runs. */
export function startComputeAgentProcess(dataDir: string, host: string, config: string): Promise<NimbusAgent> {
  const file = join(dataDir, 'agent.yaml');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `log:\n  level: warn\n${config}`);
  const proc = spawn(process.execPath, [CLI, 'agent', 'compute', '--host', host, '--data-dir', dataDir, '--config', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    proc.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (stderr.includes(`compute agent for host ${host} is running`)) resolve({ host, process: proc, log: () => stderr });
    });
    proc.on('exit', (code) => reject(new Error(`nimbus agent exited (${code}): ${stderr}`)));
  });
}
