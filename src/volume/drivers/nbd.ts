/**
 * NBD exports of volume files through Debian's qemu-storage-daemon
 * (qemu-utils): one daemon per exported volume, serving it read-write as a
 * raw disk (qcow2 decoded on this side) on a unix socket, so nothing
 * listens on the network. `--daemonize` returns once the export is up; the
 * daemon outlives this process, so after a restart an export is adopted
 * from its pid file, or made anew when its daemon died.
 *
 * Sockets live under a short per-backend directory in the system temp dir
 * (a unix socket path must stay under 108 bytes).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BackendCommandFailed } from './errors.js';

export interface NbdExport {
  /** nbd+unix:///<name>?socket=<path>, as qemu and qemu-img open it. */
  uri: string;
  pid: number;
}

/** Where a backend (by its root directory) keeps its sockets and pid files. */
export function nbdRunDir(backendRoot: string): string {
  return join(tmpdir(), `nimbus-nbd-${createHash('sha256').update(backendRoot).digest('hex').slice(0, 12)}`);
}

function paths(runDir: string, name: string) {
  return { socket: join(runDir, `${name}.sock`), pidFile: join(runDir, `${name}.pid`) };
}

/** The daemon of `pidFile` if it still runs and serves `socket` (a reused pid is someone else's process). */
async function livePid(pidFile: string, socket: string): Promise<number | null> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('qemu-storage-daemon') && cmdline.includes(socket) ? pid : null;
}

function uriOf(name: string, socket: string): string {
  return `nbd+unix:///${name}?socket=${socket}`;
}

/** Serves `file` (of `format`) as the NBD export `name`; an export already running is adopted. */
export async function startNbdExport(runDir: string, name: string, file: string, format: 'raw' | 'qcow2'): Promise<NbdExport> {
  const { socket, pidFile } = paths(runDir, name);
  const running = await livePid(pidFile, socket);
  if (running !== null) return { uri: uriOf(name, socket), pid: running };
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  await rm(socket, { force: true });
  await rm(pidFile, { force: true });
  const args = [
    '--blockdev',
    `driver=file,node-name=file0,filename=${file}`,
    '--blockdev',
    `driver=${format},node-name=disk0,file=file0`,
    '--nbd-server',
    `addr.type=unix,addr.path=${socket}`,
    '--export',
    `type=nbd,id=export0,node-name=disk0,name=${name},writable=on`,
    '--daemonize',
    '--pidfile',
    pidFile,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile('qemu-storage-daemon', args, (error, _stdout, stderr) => {
      if (error) reject(new BackendCommandFailed('qemu-storage-daemon', stderr || error.message));
      else resolve();
    });
  });
  const pid = await livePid(pidFile, socket);
  if (pid === null) throw new BackendCommandFailed('qemu-storage-daemon', `the daemon for ${name} did not stay up`);
  return { uri: uriOf(name, socket), pid };
}

/** Stops the export `name` (TERM, then KILL after 5 s) and removes its files; none running is success. */
export async function stopNbdExport(runDir: string, name: string): Promise<void> {
  const { socket, pidFile } = paths(runDir, name);
  const pid = await livePid(pidFile, socket);
  if (pid !== null) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && (await livePid(pidFile, socket)) !== null; i++) await delay(100);
    if ((await livePid(pidFile, socket)) !== null) process.kill(pid, 'SIGKILL');
  }
  await rm(socket, { force: true });
  await rm(pidFile, { force: true });
  // The directory goes with the last export (another may be starting: then it stays).
  await rmdir(runDir).catch(() => undefined);
}
