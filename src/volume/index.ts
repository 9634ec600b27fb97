/**
 * The block storage service (Cinder v3) as a Nimbus service module:
 * migrations, default policy, catalog entries (`volumev3` and
 * `block-storage`), quotas, the enabled backends and their drivers, the
 * durable volume tasks and the routes under /volume.
 */
import type { DriverFaults } from '../core/faults.js';
import { withInjectedFaults } from './drivers/faults.js';
import { join } from 'node:path';
import type { VolumeBackendConfig, VolumeConfig } from './config.js';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { volumeRoutesAll, type VolumeApi } from './api/index.js';
import { FakeVolumeDriver, FileBackupStore, FileVolumeDriver, SwiftBackupStore, type BackupObjectStore, type VolumeDriver } from './drivers/index.js';
import { cinderSchemaError, renderCinderError } from './errors.js';
import { volumeMigrations } from './migrations/index.js';
import { volumeOperations } from './operations.js';
import { volumePolicyDefaults } from './policies.js';
import { DEFAULT_QUOTAS, defineVolumeTasks, volumeAuthorizer, volumeServiceOps, type Backend, type VolumeDeps } from './service/index.js';
import { volumeDb } from './store/index.js';
import { OSLO_MAX_REQUEST_BODY_SIZE } from '../core/http/json-body.js';

/** The config sections the volume service reads besides core's. */
type VolumeSections = { volume: VolumeConfig };

export const VOLUME_PREFIX = '/volume';
const VOLUME_PATH = `${VOLUME_PREFIX}/v3/$(project_id)s`;

export const volumeModule: ServiceModule<VolumeSections> = {
  name: 'volume',
  prefix: VOLUME_PREFIX,
  // oslo.middleware's sizelimit sits in the real service's pipeline.
  jsonBodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
  migrations: volumeMigrations,
  policyDefaults: volumePolicyDefaults,
  catalog: [
    { type: 'volumev3', name: 'cinderv3', path: VOLUME_PATH },
    { type: 'block-storage', name: 'cinder', path: VOLUME_PATH },
  ],
  init: initVolume,
};

/** One driver per enabled backend section, as Cinder's enabled_backends. */
export function createBackends(config: VolumeConfig, dataDir: string, faults: DriverFaults): Backend[] {
  return config.enabled_backends.map((section) => {
    const backend: VolumeBackendConfig | undefined = config.backends[section];
    if (!backend) throw new Error(`volume.enabled_backends names ${section}, but volume.backends has no such section`);
    const backendName = backend.volume_backend_name || section;
    return {
      section,
      driver: withInjectedFaults(createDriver(section, backendName, backend, dataDir), faults),
      host: `${config.host}@${section}#${backendName}`,
    };
  });
}

function createDriver(section: string, backendName: string, config: VolumeBackendConfig, dataDir: string): VolumeDriver {
  switch (config.volume_driver) {
    case 'file':
      return new FileVolumeDriver({
        backendName,
        root: join(dataDir, 'volumes', section),
        format: config.volume_format,
        totalCapacityGb: config.total_capacity_gb,
      });
    case 'fake':
      return new FakeVolumeDriver({
        backendName,
        stateFile: join(dataDir, 'volumes', `${section}.fake.json`),
        totalCapacityGb: config.total_capacity_gb ?? 1000,
      });
    default:
      throw new Error(`Unknown volume_driver "${String(config.volume_driver)}" for backend ${section} (available: file, fake)`);
  }
}

/**
 * Backups go to Swift, in the project's account, when the object storage
 * service runs (looked up per call: it may start after this one), else to
 * files under <data-dir>/backups.
 */
function backupStores(deps: ServiceDeps): (projectId: string) => BackupObjectStore {
  const files = new FileBackupStore(join(deps.dataDir, 'backups'));
  return (projectId) => {
    // The object store's service-side variant: the backup's project's account, no caller (a task outlives its token).
    const swift = deps.services['object-store']?.service;
    return swift ? new SwiftBackupStore(swift, `AUTH_${projectId}`) : files;
  };
}

async function initVolume(deps: ServiceDeps<VolumeSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ service: 'volume' });
  const backends = createBackends(deps.config.volume, deps.dataDir, deps.faults);
  for (const backend of backends) {
    if (backend.driver instanceof FileVolumeDriver) {
      const swept = await backend.driver.sweep();
      if (swept > 0) log.info({ backend: backend.section, swept }, 'removed volume temporaries left by a crash');
    }
  }
  const volumeDeps: VolumeDeps = {
    db: volumeDb(deps.db),
    authz: volumeAuthorizer(deps.policy),
    quota: deps.quotas.register('volume', DEFAULT_QUOTAS),
    queue: deps.tasks,
    kinds: null,
    backends,
    backupStore: backupStores(deps),
    config: deps.config.volume,
    log,
    images: () => deps.services.image,
    events: deps.events,
  };
  const ops = volumeServiceOps(volumeDeps);
  volumeDeps.kinds = defineVolumeTasks(deps.tasks, ops);
  const api: VolumeApi = {
    ops,
    authenticate: requestAuthenticator(deps),
    root: () => deps.publicUrl() + VOLUME_PREFIX,
  };
  return {
    operations: volumeOperations(ops),
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderCinderError, schemaError: cinderSchemaError });
      volumeRoutesAll(scope, api);
    },
    async ready() {
      await ops.types.ensureDefault();
    },
    // Volume files change in place (uploads, copies from images); backups are written once and renamed.
    stateFiles: [
      { path: 'volumes', writeOnce: false },
      { path: 'backups', writeOnce: true },
    ],
    async stateRestored() {
      for (const backend of backends) backend.driver.reloadState?.();
    },
  };
}

export type { VolumeOperations } from './operations.js';
