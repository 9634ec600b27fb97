/** What every compute operation needs; built once in compute/index.ts. */
import type { VolumeOperations } from '../../volume/operations.js';
import type { ComputeConfig } from '../config.js';
import type { EventBus } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import type { ServiceQuota } from '../../core/quota/index.js';
import type { TaskQueue } from '../../core/tasks/index.js';
import type { ImageOperations } from '../../image/operations.js';
import type { NetworkOperations } from '../../network/operations.js';
import type { PlacementOperations } from '../../placement/operations.js';
import type { HypervisorDriver } from '../drivers/driver.js';
import type { VendorDataProviders } from '../metadata/vendor-data.js';
import type { ComputeDb } from '../store/index.js';
import type { WriteGeneration } from '../../core/db/write-generation.js';

export const QUOTA_RESOURCES = [
  'instances',
  'cores',
  'ram',
  'metadata_items',
  'key_pairs',
  'server_groups',
  'server_group_members',
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
  // Proxied network quotas Nova still shows before 2.36.
  'floating_ips',
  'fixed_ips',
  'security_groups',
  'security_group_rules',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** Nova's defaults (nova/conf/quota.py). */
export const DEFAULT_QUOTAS: Record<QuotaResource, number> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  metadata_items: 128,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  floating_ips: 10,
  fixed_ips: -1,
  security_groups: 10,
  security_group_rules: 20,
};

/** The services compute calls, resolved when first needed (they initialise in any order). */
export interface ComputePeers {
  placement(): PlacementOperations;
  /** Null while no placement service runs (hosts are then not reported and nothing can be scheduled). */
  placementIfPresent(): PlacementOperations | null;
  network(): NetworkOperations;
  image(): ImageOperations;
  /** Null while no volume service runs (os-volume_attachments then answer 503). */
  volume(): VolumeOperations | null;
}

export interface ComputeDeps {
  /** Counts its writes to the tables the scheduler's host view copies into `hostWrites`. */
  db: ComputeDb;
  /** Writes to compute's services and aggregates made through `db` (this cloud's), after they ran. */
  hostWrites: WriteGeneration;
  policy: PolicyEnforcer;
  /** Nova's policy checks on a caller (service/access.ts), built once from `policy`. */
  authz: Authorizer;
  quota: ServiceQuota<QuotaResource>;
  driver: HypervisorDriver;
  config: ComputeConfig;
  log: Logger;
  tasks: TaskQueue;
  /** Nova's notifications (create/delete/power on/off end) for whoever listens (Aodh's event alarms). */
  events: EventBus;
  peers: ComputePeers;
  /** Base URL of the compute API (for links), e.g. http://127.0.0.1:5000/compute. */
  root(): string;
  /** Other services' vendor data (vendor_data2.json), registered through operations.ts. */
  vendorData: VendorDataProviders;
}
