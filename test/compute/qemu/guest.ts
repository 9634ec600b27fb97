/**
 * Test support for the QEMU driver: a driver over a fresh data dir with the
 * test guest (test/support/guest-image.ts), and waiting for console lines.
 */
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { guestImage } from '../../support/guest-image.js';
import type { GuestSpec } from '../../../src/compute/drivers/driver.js';
import { missingTools } from '../../../src/compute/drivers/qemu/host.js';
import { QemuDriver } from '../../../src/compute/drivers/qemu/index.js';

export const HOST = 'qemu-test-host';
export const IMAGE_ID = 'nimbus-guest';
/** A boot under TCG takes 6 s on an idle host and 20+ s on a loaded one. */
export const BOOT_TIMEOUT_MS = 120_000;

/** Why these tests cannot run here, or undefined. */
export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (taps)';
  const missing = missingTools();
  return missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
}

export function newDriver(dataDir: string): QemuDriver {
  const image = guestImage();
  return new QemuDriver({
    dataDir,
    host: HOST,
    accel: 'tcg',
    hypervisorVersion: 7_002_000,
    fetchImage: async (id) => {
      if (id !== IMAGE_ID) throw new Error(`no image ${id}`);
      return createReadStream(image);
    },
    shutdownTimeoutMs: 30_000,
    unavailable: null,
  });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'nimbus-qemu-test-'));
}

export function spec(overrides: Partial<GuestSpec> = {}): GuestSpec {
  const serverId = randomUUID();
  return {
    serverId,
    name: `qt-${serverId.slice(0, 8)}`,
    vcpus: 1,
    memoryMb: 128,
    rootGb: 1,
    boot: { image: IMAGE_ID },
    // Random port ids: the taps (created by QEMU here) never collide with other runs.
    interfaces: [{ portId: randomUUID(), mac: 'fa:16:3e:12:34:56' }],
    volumes: [],
    injectedFiles: [],
    userData: null,
    configDrive: null,
    metadata: {},
    ...overrides,
  };
}

/** Waits until the console holds `count` lines matching `pattern`; returns the last. */
export async function waitConsole(driver: QemuDriver, serverId: string, pattern: RegExp, count = 1, timeoutMs = BOOT_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let log = '';
  while (Date.now() < deadline) {
    log = await driver.consoleLog(HOST, serverId);
    const lines = log.split(/\r?\n/).filter((l) => pattern.test(l));
    if (lines.length >= count) return lines[count - 1]!;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`console never showed ${count}× ${pattern} within ${timeoutMs} ms; console:\n${log.slice(-3000)}`);
}

/** A live process (a zombie, reaped by nobody in a container, is not). */
export function processAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

export function linkExists(name: string): boolean {
  try {
    readFileSync(`/sys/class/net/${name}/ifindex`);
    return true;
  } catch {
    return false;
  }
}

export { guestImage };
