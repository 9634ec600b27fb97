/** Hypervisor drivers by name (Nova's compute_driver). */
import { join } from 'node:path';
import type { ComputeConfig } from '../config.js';
import type { DriverFaults } from '../../core/faults.js';
import type { DriverCapabilities, HypervisorDriver } from './driver.js';
import { FAKE_CAPABILITIES, FakeDriver } from './fake.js';
import { createQemuDriver, QEMU_CAPABILITIES, type ImageFetcher } from './qemu/index.js';

/** The fake driver's record of its guests, relative to the data directory. */
export const FAKE_DRIVER_STATE_FILE = 'fake-hypervisor.jsonl';

export async function createDriver(config: ComputeConfig, dataDir: string, fetchImage: ImageFetcher, faults: DriverFaults): Promise<HypervisorDriver> {
  if (config.compute_driver === 'qemu') return createQemuDriver(config, dataDir, fetchImage);
  if (config.compute_driver === 'fake') {
    const fake = config.fake;
    return new FakeDriver({
      hosts: fake.hosts,
      hostPrefix: fake.host_prefix,
      vcpus: fake.vcpus,
      memoryMb: fake.memory_mb,
      diskGb: fake.disk_gb,
      delays: { spawn: fake.spawn_delay_ms, ...Object.fromEntries(ACTIONS.map((a) => [a, fake.action_delay_ms])) },
      fail: {},
      stateFile: join(dataDir, FAKE_DRIVER_STATE_FILE),
      faults,
    });
  }
  throw new Error(`Unknown compute driver "${config.compute_driver}" (available: fake, qemu)`);
}

/** What a driver of this name can do, without starting one (an API process whose hosts are agents'). */
export function capabilitiesOf(type: string): DriverCapabilities {
  if (type === 'qemu') return { ...QEMU_CAPABILITIES, consoles: [...QEMU_CAPABILITIES.consoles] };
  if (type === 'fake') return { ...FAKE_CAPABILITIES, consoles: [...FAKE_CAPABILITIES.consoles] };
  throw new Error(`Unknown compute driver "${type}" (available: fake, qemu)`);
}

const ACTIONS = [
  'destroy',
  'power_on',
  'power_off',
  'reboot',
  'pause',
  'unpause',
  'suspend',
  'resume',
  'resize',
  'live_migrate',
  'snapshot',
  'rescue',
  'unrescue',
] as const;

export * from './driver.js';
export * from './errors.js';
export type { ImageFetcher } from './qemu/index.js';
