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
  /**
   * [DEFAULT] reclaim_instance_interval: 0 (Nova's default) deletes a server
   * at once; N > 0 soft deletes it (powered off, SOFT_DELETED, `restore`able)
   * and reclaims it N seconds later.
   */
  reclaim_instance_interval: number;
  /** [DEFAULT] force_config_drive: every server gets a config drive. */
  force_config_drive: boolean;
  /** [neutron] default_floating_pool: the external network os-floating-ips allocates from when no pool is given (DevStack's `public`). */
  default_floating_pool: string;
  /** [DEFAULT] report_interval (seconds): how often a compute agent writes its service's heartbeat. */
  report_interval: number;
  /**
   * [DEFAULT] service_down_time (seconds): a compute service whose last
   * heartbeat is older reads `down` in os-services and takes no new servers.
   * Hosts run by the process itself (role all) are up while it runs.
   */
  service_down_time: number;
  /** Unix socket of the metadata API (nova-api-metadata); null: `<data_dir>/metadata.sock`. */
  metadata_socket: string | null;
  qemu: {
    /** [DEFAULT] host: the compute host name (and ports' binding:host_id); null: the machine's hostname. */
    host: string | null;
    /** `auto` uses KVM only when `guest_image` really boots under it, else TCG. */
    accel: 'auto' | 'kvm' | 'tcg';
    /**
     * The guest image built by scripts/build-guest-image: registered as the
     * public image `nimbus-guest` (min_ram 128) at first start, and the
     * guest the KVM probe boots. Null: neither.
     */
    guest_image: string | null;
    /** [DEFAULT] shutdown_timeout (seconds): how long a guest may take to power off cleanly. */
    shutdown_timeout: number;
  };
  consoles: {
    /** [consoleauth] token_ttl: seconds a console URL's token stays valid. */
    token_ttl: number;
    /** [serial_console] enabled: the `serial` console type. */
    serial_enabled: boolean;
    /** [vnc] enabled: the `novnc` console type, when noVNC's web client is in `novnc_web` too. */
    vnc_enabled: boolean;
    /** The noVNC web client the proxy serves (Debian's `novnc` package), as nova-novncproxy's --web. */
    novnc_web: string;
  };
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
    reclaim_instance_interval: 0,
    force_config_drive: false,
    default_floating_pool: 'public',
    report_interval: 10,
    service_down_time: 60,
    metadata_socket: null,
    qemu: { host: null, accel: 'auto', guest_image: null, shutdown_timeout: 60 },
    consoles: { token_ttl: 600, serial_enabled: true, vnc_enabled: true, novnc_web: '/usr/share/novnc' },
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
