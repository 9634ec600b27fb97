/** Nova's options, under `compute:`. */
import type { DriverProfile } from '../core/config.js';

export interface ComputeConfig {
  /** Hypervisor driver (Nova's compute_driver): `fake` (simulated hosts) or `qemu` (QEMU guests on this host). */
  compute_driver: string;
  /** [DEFAULT] default_availability_zone: the zone of hosts in no aggregate zone. */
  default_availability_zone: string;
  /** [DEFAULT] cpu/ram/disk_allocation_ratio reported to Placement. */
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  /** [filter_scheduler] weighers: positive multipliers spread load, negative pack it. */
  ram_weight_multiplier: number;
  cpu_weight_multiplier: number;
  /** [scheduler] max_placement_results. */
  max_placement_results: number;
  /** Create DevStack's flavors and a default image on first start. */
  devstack_defaults: boolean;
  /**
   * [DEFAULT] shelved_offload_time: 0 (Nova's default) offloads a shelved
   * server at once, N > 0 that many seconds after the shelve, -1 never (it
   * stays on its host until an admin's shelveOffload).
   */
  shelved_offload_time: number;
  fake: {
    /** Simulated hypervisors (`--fake-hosts N`). */
    hosts: number;
    host_prefix: string;
    vcpus: number;
    memory_mb: number;
    disk_gb: number;
    /** Milliseconds each simulated operation takes. */
    spawn_delay_ms: number;
    action_delay_ms: number;
  };
}

export function computeDefaults(profile: DriverProfile): ComputeConfig {
  const real = profile === 'real';
  return {
    compute_driver: real ? 'qemu' : 'fake',
    default_availability_zone: 'nova',
    cpu_allocation_ratio: 16,
    ram_allocation_ratio: 1.5,
    disk_allocation_ratio: 1,
    ram_weight_multiplier: 1,
    cpu_weight_multiplier: 1,
    max_placement_results: 1000,
    devstack_defaults: true,
    shelved_offload_time: 0,
    fake: {
      hosts: 1,
      host_prefix: 'nimbus-compute',
      vcpus: 64,
      memory_mb: 262144,
      disk_gb: 2048,
      spawn_delay_ms: 200,
      action_delay_ms: 50,
    },
  };
}
