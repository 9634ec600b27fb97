/**
 * Configuration: embedded defaults, then a YAML file (`--config FILE`), then
 * environment variables, then command-line flags; later sources win.
 *
 * Sections mirror OpenStack's option names so an operator can carry settings
 * over: `identity.security_compliance.lockout_failure_attempts` is Keystone's
 * `[security_compliance] lockout_failure_attempts`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface SecurityComplianceConfig {
  /** Failed password attempts before the user is locked; 0 disables lockout. */
  lockout_failure_attempts: number;
  /** Seconds a locked user stays locked; 0 means until an admin unlocks. */
  lockout_duration: number;
  /** How many previous passwords a new one may not repeat; 0 or 1 disables. */
  unique_last_password_count: number;
  /** Days a password must be kept before the user may change it again. */
  minimum_password_age: number;
  /** Days until a password expires; 0 means never. */
  password_expires_days: number;
  password_regex: string | null;
  password_regex_description: string | null;
  change_password_upon_first_use: boolean;
  disable_user_account_days_inactive: number;
}

export interface IdentityConfig {
  /** cache_time: seconds a validated token is remembered (0 disables; see identity/service/token-cache.ts). */
  token: { expiration: number; allow_rescope_scoped_token: boolean; cache_time: number };
  identity: { password_hash_rounds: number; list_limit: number | null };
  fernet_tokens: { max_active_keys: number };
  security_compliance: SecurityComplianceConfig;
}

/** Neutron's options (ml2, ml2_type_*, DEFAULT base_mac ...), flattened under `network:`. */
export interface NetworkConfig {
  /** Driver name: only `noop` exists so far. */
  driver: string;
  /** Host that router and DHCP ports bind to when the request names none. */
  default_host: string;
  /** First three octets of generated MAC addresses (Neutron's base_mac). */
  base_mac: string;
  /** Tenant network type for networks created without provider attributes. */
  tenant_network_type: 'vxlan' | 'vlan' | 'flat' | 'local';
  /** VXLAN VNI ranges, `min:max`. */
  vni_ranges: string[];
  /** VLAN ranges, `physnet:min:max`. */
  network_vlan_ranges: string[];
  /** Physical networks on which flat networks may be made (`*` for any). */
  flat_networks: string[];
  /** MTU of the underlying network (Neutron's global_physnet_mtu). */
  global_physnet_mtu: number;
  /** Create the `public` and demo `private` networks and `router1` on first start. */
  devstack_defaults: boolean;
  public_cidr: string;
  private_cidr: string;
}

/** Swift's proxy and storage options, flattened under `object_store:`. */
export interface ObjectStoreConfig {
  /** Ring made on first start when none exists: 2^part_power partitions over `devices` device dirs. */
  part_power: number;
  replicas: number;
  devices: number;
  /** keystoneauth's operator_roles: these roles on the project own its account. */
  operator_roles: string[];
  /** keystoneauth's reseller_admin_role: owns every account, may set account quotas. */
  reseller_admin_role: string;
  /** Seconds between replicator/auditor passes; 0 disables the background pass. */
  replicator_interval: number;
}

/** Placement's options (`[placement]` of placement.conf), under `placement:`. */
export interface PlacementConfig {
  /** Shuffle allocation candidates before the limit applies, as Placement's option does. */
  randomize_allocation_candidates: boolean;
}

/** One block storage backend: a section named in `volume.enabled_backends`. */
export interface VolumeBackendConfig {
  /** `file` (raw/qcow2 files made with qemu-img) or `fake` (no bytes). */
  volume_driver: 'file' | 'fake';
  /** What volume types select with the `volume_backend_name` extra spec. */
  volume_backend_name: string;
  /** Disk format of the file backend's volumes. */
  volume_format: 'raw' | 'qcow2';
  /** Capacity reported to the scheduler; null: the file system's (file) or 1000 (fake). */
  total_capacity_gb: number | null;
}

/** Cinder's options (DEFAULT and per-backend sections), under `volume:`. */
export interface VolumeConfig {
  /** Backend section names, as Cinder's enabled_backends. */
  enabled_backends: string[];
  backends: Record<string, VolumeBackendConfig>;
  /** The type of volumes created without one (Cinder's `__DEFAULT__`). */
  default_volume_type: string;
  storage_availability_zone: string;
  /** Host part of `os-vol-host-attr:host` (`host@backend#pool`). */
  host: string;
}

export interface ComputeConfig {
  /** Hypervisor driver: `fake` or `qemu` (Nova's compute_driver). */
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
   * server at once; any other value keeps it on its host until an admin's
   * shelveOffload (Nova's -1; the timed offload of positive values is not run).
   */
  shelved_offload_time: number;
  /** [DEFAULT] force_config_drive: every server gets a config drive. */
  force_config_drive: boolean;
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

export interface NimbusConfig {
  server: {
    host: string;
    port: number;
    data_dir: string;
    /** Base URL clients reach the server at; defaults to http://host:port. */
    public_url: string | null;
  };
  /** `connection`: unset for SQLite in the data dir, or a postgres:// URL. */
  database: { connection: string | null };
  log: { level: string };
  identity: IdentityConfig;
  network: NetworkConfig;
  object_store: ObjectStoreConfig;
  placement: PlacementConfig;
  volume: VolumeConfig;
  /** Nova's options (see compute/config.ts), e.g. `compute.fake.hosts`. */
  compute: ComputeConfig;
}

export function defaultConfig(): NimbusConfig {
  return {
    server: { host: '127.0.0.1', port: 5000, data_dir: './nimbus-data', public_url: null },
    database: { connection: null },
    log: { level: 'info' },
    identity: {
      token: { expiration: 3600, allow_rescope_scoped_token: true, cache_time: 300 },
      identity: { password_hash_rounds: 12, list_limit: null },
      fernet_tokens: { max_active_keys: 3 },
      security_compliance: {
        lockout_failure_attempts: 0,
        lockout_duration: 1800,
        unique_last_password_count: 0,
        minimum_password_age: 0,
        password_expires_days: 0,
        password_regex: null,
        password_regex_description: null,
        change_password_upon_first_use: false,
        disable_user_account_days_inactive: 0,
      },
    },
    network: {
      driver: 'noop',
      default_host: 'nimbus',
      base_mac: 'fa:16:3e',
      tenant_network_type: 'vxlan',
      vni_ranges: ['1:1000'],
      network_vlan_ranges: ['physnet1:100:199'],
      flat_networks: ['*'],
      global_physnet_mtu: 1500,
      devstack_defaults: true,
      public_cidr: '172.24.4.0/24',
      private_cidr: '10.0.0.0/26',
    },
    object_store: {
      part_power: 8,
      replicas: 3,
      devices: 3,
      operator_roles: ['admin', 'member'],
      reseller_admin_role: 'ResellerAdmin',
      replicator_interval: 30,
    },
    placement: { randomize_allocation_candidates: false },
    volume: {
      enabled_backends: ['file'],
      backends: {
        file: { volume_driver: 'file', volume_backend_name: 'file', volume_format: 'qcow2', total_capacity_gb: null },
      },
      default_volume_type: '__DEFAULT__',
      storage_availability_zone: 'nova',
      host: 'nimbus',
    },
    compute: {
      compute_driver: 'fake',
      default_availability_zone: 'nova',
      cpu_allocation_ratio: 16,
      ram_allocation_ratio: 1.5,
      disk_allocation_ratio: 1,
      ram_weight_multiplier: 1,
      cpu_weight_multiplier: 1,
      max_placement_results: 1000,
      devstack_defaults: true,
      shelved_offload_time: 0,
      force_config_drive: false,
      metadata_socket: null,
      qemu: { host: null, accel: 'auto', guest_image: null, shutdown_timeout: 60 },
      fake: {
        hosts: 1,
        host_prefix: 'nimbus-compute',
        vcpus: 64,
        memory_mb: 262144,
        disk_gb: 2048,
        spawn_delay_ms: 200,
        action_delay_ms: 50,
      },
    },
  };
}

/** A partial config, as read from a file or assembled from flags. */
export type ConfigOverrides = { [key: string]: unknown };

/**
 * Mappings whose keys the operator names (Cinder's per-backend sections):
 * a new key starts from the template's defaults, then the file's values.
 */
const OPEN_SECTIONS: Record<string, () => VolumeBackendConfig> = {
  'volume.backends.': () => ({ volume_driver: 'file', volume_backend_name: '', volume_format: 'qcow2', total_capacity_gb: null }),
};

/** Environment variables and the option each sets. */
const ENV_OPTIONS: Record<string, string> = {
  NIMBUS_HOST: 'server.host',
  NIMBUS_PORT: 'server.port',
  NIMBUS_DATA_DIR: 'server.data_dir',
  NIMBUS_PUBLIC_URL: 'server.public_url',
  NIMBUS_DATABASE_URL: 'database.connection',
  NIMBUS_LOG_LEVEL: 'log.level',
};

export interface LoadConfigOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Dotted option paths to values, e.g. `{ 'server.port': '5001' }`. */
  flags?: Record<string, string | undefined>;
}

export function loadConfig(options: LoadConfigOptions = {}): NimbusConfig {
  const config = defaultConfig() as unknown as ConfigOverrides;
  if (options.file) mergeInto(config, readConfigFile(options.file), '');
  const env = options.env ?? process.env;
  for (const [name, path] of Object.entries(ENV_OPTIONS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setOption(config, path, value);
  }
  for (const [path, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) setOption(config, path, value);
  }
  const result = config as unknown as NimbusConfig;
  result.server.data_dir = resolve(result.server.data_dir);
  return result;
}

function readConfigFile(file: string): ConfigOverrides {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObject(parsed)) throw new Error(`Config file ${file} must hold a mapping of sections`);
  return parsed;
}

/**
 * Merges `source` into `target`, refusing unknown options and values of the
 * wrong type so a typo in a config file fails at start instead of being ignored.
 */
function mergeInto(target: ConfigOverrides, source: ConfigOverrides, prefix: string): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix + key;
    const template = OPEN_SECTIONS[prefix];
    if (!(key in target) && template) target[key] = template() as unknown as ConfigOverrides;
    if (!(key in target)) throw new Error(`Unknown config option ${path}`);
    const current = target[key];
    if (isObject(current)) {
      if (!isObject(value)) throw new Error(`Config option ${path} must be a mapping`);
      mergeInto(current, value, `${path}.`);
    } else {
      target[key] = coerce(path, current, value);
    }
  }
}

function setOption(config: ConfigOverrides, path: string, raw: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: ConfigOverrides = config;
  for (const key of keys) {
    const next = node[key];
    if (!isObject(next)) throw new Error(`Unknown config option ${path}`);
    node = next;
  }
  if (!(last in node)) throw new Error(`Unknown config option ${path}`);
  node[last] = coerce(path, node[last], raw);
}

/** Converts a value to the type of the option's default (strings from env and flags). */
function coerce(path: string, current: unknown, value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(current)) {
    // Lists come as YAML sequences, or comma-separated from env and flags.
    const list = typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw new Error(`Config option ${path} must be a list of strings`);
    return list;
  }
  if (typeof current === 'number' || (current === null && typeof value === 'number')) {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`Config option ${path} must be a number`);
    return n;
  }
  if (typeof current === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new Error(`Config option ${path} must be true or false`);
  }
  if (typeof value !== 'string') throw new Error(`Config option ${path} must be a string`);
  return value;
}

function isObject(value: unknown): value is ConfigOverrides {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
