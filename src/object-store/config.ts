/** Swift's options, under `object_store:`. */

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
  /** keystoneauth's project_reader_roles: these roles on the project may GET and HEAD its account, never write. */
  project_reader_roles: string[];
  /** keystoneauth's system_reader_roles: GET and HEAD on every account (an auditor); empty by default as in Swift. */
  system_reader_roles: string[];
  /** Seconds between replicator/auditor passes; 0 disables the background pass. */
  replicator_interval: number;
  /**
   * Swift's container-sync-realms.conf: realms this cluster syncs in, each with its key (and key2 while
   * rotating). Empty: container sync is off (and not in `/info`).
   */
  container_sync_realms: Record<string, SyncRealmConfig>;
  /** This cluster's name in its realms (`//realm/<cluster>/account/container`); Nimbus syncs within this cluster only. */
  container_sync_cluster: string;
  /** Seconds between container-sync passes (Swift's container-sync interval). */
  container_sync_interval: number;
}

export interface SyncRealmConfig {
  key: string;
  key2: string;
}

/** The template of a realm named in the config file. */
export function syncRealmDefaults(): SyncRealmConfig {
  return { key: '', key2: '' };
}

export function objectStoreDefaults(): ObjectStoreConfig {
  return {
    part_power: 8,
    replicas: 3,
    devices: 3,
    operator_roles: ['admin', 'member'],
    reseller_admin_role: 'ResellerAdmin',
    // The secure-RBAC reader persona, as DevStack configures keystoneauth.
    project_reader_roles: ['reader'],
    system_reader_roles: [],
    replicator_interval: 30,
    container_sync_realms: {},
    container_sync_cluster: 'nimbus',
    container_sync_interval: 30,
  };
}
