/**
 * Long-running helpers (dnsmasq, metadata proxies) tracked by pid files
 * under the data dir. They outlive Nimbus and are re-adopted after a restart;
 * a pid file's process counts as ours only when its command line still holds
 * our marker (the pid file path), so a recycled pid is never signalled.
 */
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The pid in `pidFile` when that process is alive and its command line contains `marker`. */
export async function ourProcess(pidFile: string, marker: string): Promise<number | null> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.split('\0').some((arg) => arg.includes(marker)) ? pid : null;
}

/** The command line of a process as its arguments. */
export async function commandLine(pid: number): Promise<string[]> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.replace(/\0$/, '').split('\0');
}

/** Stops our process (TERM, then KILL after 3 s) and removes the pid file; nothing when it is not ours. */
export async function stopProcess(pidFile: string, marker: string): Promise<void> {
  const pid = await ourProcess(pidFile, marker);
  if (pid !== null) {
    signal(pid, 'SIGTERM');
    for (let i = 0; i < 30 && (await ourProcess(pidFile, marker)) !== null; i++) await sleep(100);
    if ((await ourProcess(pidFile, marker)) !== null) signal(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Waits until `check` holds, up to `ms`; false on time-out. */
export async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}
