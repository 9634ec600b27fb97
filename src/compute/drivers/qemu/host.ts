/**
 * What the QEMU driver needs from the host: its tools, its resources and
 * which accelerator actually works. Every external command goes through
 * `run`, so a failure names the command and carries its stderr.
 */
import { execFile, spawn as spawnProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, uptime } from 'node:os';
import type { HostLoad } from '../driver.js';
import { delimiter, join } from 'node:path';

export const REQUIRED_TOOLS = ['qemu-system-x86_64', 'qemu-img', 'genisoimage'] as const;

/** The absolute path of an executable on PATH, or null. */
export function findTool(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function missingTools(): string[] {
  return REQUIRED_TOOLS.filter((tool) => findTool(tool) === null);
}

export class CommandFailed extends Error {
  override name = 'CommandFailed';
}

/** Runs a command to completion; rejects with its stderr on a non-zero exit. */
export function run(command: string, args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new CommandFailed(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface HostFacts {
  vcpus: number;
  memoryMb: number;
  /** Free space of the data directory's file system. */
  freeDiskGb: number;
}

export function hostFacts(dataDir: string): HostFacts {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const totalKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  const fs = statfsSync(dataDir);
  return {
    vcpus: cpus().length,
    memoryMb: Math.floor(totalKb / 1024),
    freeDiskGb: Math.floor((fs.bavail * fs.bsize) / 1024 ** 3),
  };
}

/** QEMU's version as Nova reports it (major * 1,000,000 + minor * 1,000 + micro). */
export async function qemuVersion(): Promise<number> {
  const { stdout } = await run('qemu-system-x86_64', ['--version']);
  const [major = 0, minor = 0, micro = 0] = (/version (\d+)\.(\d+)\.(\d+)/.exec(stdout)?.slice(1) ?? []).map(Number);
  return major * 1_000_000 + minor * 1_000 + micro;
}

/**
 * Whether KVM really runs guests here. /dev/kvm existing is not enough, nor
 * is firmware running: on some nested hosts SeaBIOS runs under KVM and the
 * Linux kernel then hangs. So the probe boots a real guest disk (the test
 * image; `-snapshot`, nothing is written) and waits for its first line on
 * the serial console — SeaBIOS and syslinux print nothing there, so any
 * output comes from the booted kernel.
 */
export async function kvmWorks(guestDisk: string, timeoutMs: number): Promise<boolean> {
  return existsSync('/dev/kvm') && guestBoots('kvm', guestDisk, timeoutMs);
}

export async function guestBoots(accel: 'kvm' | 'tcg', guestDisk: string, timeoutMs: number): Promise<boolean> {
  const log = join(tmpdir(), `nimbus-accel-probe-${process.pid}-${Date.now()}.log`);
  const child = spawnProcess(
    'qemu-system-x86_64',
    [
      '-machine',
      'pc',
      '-accel',
      accel,
      '-m',
      '128',
      '-snapshot',
      '-drive',
      `file=${guestDisk},if=virtio`,
      '-nic',
      'none',
      '-display',
      'none',
      '-monitor',
      'none',
      '-serial',
      `file:${log}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return false;
      if (existsSync(log) && readFileSync(log, 'utf8').trim().length > 0) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  } finally {
    child.kill('SIGKILL');
    rmSync(log, { force: true });
  }
}

/** This machine's uptime and load averages, as the kernel counts them. */
export function hostLoadNow(): HostLoad {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return { uptimeSeconds: Math.floor(uptime()), loadAverage: [one, five, fifteen] };
}
