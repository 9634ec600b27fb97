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
