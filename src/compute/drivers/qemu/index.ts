/** Builds the QEMU driver for this machine: checks the tools, picks the accelerator, names the host. */
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import type { ComputeConfig } from '../../config.js';
import { kvmWorks, missingTools, qemuVersion } from './host.js';
import type { ImageFetcher } from './images.js';
import { QemuDriver } from './driver.js';

/** A KVM guest that prints nothing in this time is taken as hanging (TCG is used); a KVM boot prints within ~3 s. */
const KVM_PROBE_TIMEOUT_MS = 15_000;

export async function createQemuDriver(config: ComputeConfig, dataDir: string, fetchImage: ImageFetcher): Promise<QemuDriver> {
  const missing = missingTools();
  const unavailable = missing.length > 0 ? `Missing host tools for the QEMU driver: ${missing.join(', ')}` : null;
  const { accel } = config.qemu;
  const usable = unavailable === null;
  // `auto` needs a guest to prove KVM with (compute.qemu.guest_image); without one it stays on TCG.
  const probeDisk = config.qemu.guest_image;
  const version = usable ? await qemuVersion() : 0;
  const kvm =
    usable &&
    (accel === 'kvm' || (accel === 'auto' && probeDisk !== null && (await probedOnce(dataDir, version, () => kvmWorks(probeDisk, KVM_PROBE_TIMEOUT_MS)))));
  return new QemuDriver({
    dataDir,
    host: config.qemu.host ?? hostname(),
    accel: kvm ? 'kvm' : 'tcg',
    hypervisorVersion: version,
    fetchImage,
    shutdownTimeoutMs: config.qemu.shutdown_timeout * 1000,
    unavailable,
  });
}

/**
 * The KVM probe's answer, kept in the data dir for this QEMU version and
 * kernel: a probe that fails costs its whole timeout, and the answer only
 * changes with the host's software.
 */
async function probedOnce(dataDir: string, qemuVersion: number, probe: () => Promise<boolean>): Promise<boolean> {
  const file = join(dataDir, 'kvm-probe.json');
  const key = `${qemuVersion} ${release()}`;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; kvm?: boolean };
    if (saved.key === key && typeof saved.kvm === 'boolean') return saved.kvm;
  } catch {
    // No answer kept yet.
  }
  const kvm = await probe();
  writeFileSync(file, JSON.stringify({ key, kvm }));
  return kvm;
}

export { QEMU_CAPABILITIES, QemuDriver, type QemuDriverOptions } from './driver.js';
export type { ImageFetcher } from './images.js';
