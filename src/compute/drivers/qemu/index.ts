/** Builds the QEMU driver for this machine: checks the tools, picks the accelerator, names the host. */
import { hostname } from 'node:os';
import type { ComputeConfig } from '../../../core/config.js';
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
  const kvm = usable && (accel === 'kvm' || (accel === 'auto' && probeDisk !== null && (await kvmWorks(probeDisk, KVM_PROBE_TIMEOUT_MS))));
  return new QemuDriver({
    dataDir,
    host: config.qemu.host ?? hostname(),
    accel: kvm ? 'kvm' : 'tcg',
    hypervisorVersion: usable ? await qemuVersion() : 0,
    fetchImage,
    shutdownTimeoutMs: config.qemu.shutdown_timeout * 1000,
    unavailable,
  });
}

export { QemuDriver, type QemuDriverOptions } from './driver.js';
export type { ImageFetcher } from './images.js';
