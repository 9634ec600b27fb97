/**
 * A host's uptime as Nova shows it: the line the `uptime` command prints on
 * the compute host (`LANG=C`), e.g. ` 10:15:02 up 3 days,  4:05,  0 users,
 * load average: 0.10, 0.20, 0.30`. Built from the kernel's figures rather
 * than by running the command.
 */
import { loadavg, uptime } from 'node:os';

function since(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = hours === 0 ? `${minutes} min` : `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}`;
  return days === 0 ? clock : `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

export function uptimeLine(now: Date, uptimeSeconds: number, load: number[]): string {
  const time = now.toISOString().slice(11, 19);
  return ` ${time} up ${since(uptimeSeconds)},  0 users,  load average: ${load.map((l) => l.toFixed(2)).join(', ')}`;
}

/** This machine's line. */
export function localUptimeLine(): string {
  return uptimeLine(new Date(), Math.floor(uptime()), loadavg());
}
