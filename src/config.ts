/**
 * Nimbus's configuration: core's sections (`server`, `database`, `log`) and
 * each service's own (its `config.ts`), loaded by core's loader: embedded
 * defaults for the driver profile, then the YAML file, environment, flags.
 */
import { coreDefaults, loadConfigWith, type CoreConfig, type DriverProfile, type LoadConfigOptions } from './core/config.js';
import { alarmingDefaults, type AlarmingConfig } from './alarming/config.js';
import { computeDefaults, type ComputeConfig } from './compute/config.js';
import { exporterDefaults, type ExporterConfig } from './exporter/config.js';
import { identityDefaults, type IdentityConfig } from './identity/config.js';
import { meteringDefaults, type MeteringConfig } from './metering/config.js';
import { metricDefaults, type MetricConfig } from './metric/config.js';
import { imageDefaults, type ImageConfig } from './image/config.js';
import { networkDefaults, type NetworkConfig } from './network/config.js';
import { objectStoreDefaults, syncRealmDefaults, type ObjectStoreConfig } from './object-store/config.js';
import { orchestrationDefaults, type OrchestrationConfig } from './orchestration/config.js';
import { placementDefaults, type PlacementConfig } from './placement/config.js';
import { volumeBackendDefaults, volumeDefaults, type VolumeConfig } from './volume/config.js';

export interface NimbusConfig extends CoreConfig {
  identity: IdentityConfig;
  image: ImageConfig;
  network: NetworkConfig;
  object_store: ObjectStoreConfig;
  placement: PlacementConfig;
  volume: VolumeConfig;
  compute: ComputeConfig;
  orchestration: OrchestrationConfig;
  metering: MeteringConfig;
  metric: MetricConfig;
  alarming: AlarmingConfig;
  exporter: ExporterConfig;
}

export function defaultConfig(drivers: DriverProfile = 'fake'): NimbusConfig {
  return {
    ...coreDefaults(drivers),
    identity: identityDefaults(),
    image: imageDefaults(),
    network: networkDefaults(drivers),
    object_store: objectStoreDefaults(),
    placement: placementDefaults(),
    volume: volumeDefaults(),
    compute: computeDefaults(drivers),
    orchestration: orchestrationDefaults(),
    metering: meteringDefaults(),
    metric: metricDefaults(),
    alarming: alarmingDefaults(),
    exporter: exporterDefaults(),
  };
}

export function loadConfig(options: LoadConfigOptions = {}): NimbusConfig {
  return loadConfigWith(defaultConfig, { 'volume.backends.': volumeBackendDefaults, 'object_store.container_sync_realms.': syncRealmDefaults }, options);
}
