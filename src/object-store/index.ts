/**
 * The object storage service (Swift v1) as a Nimbus service module: catalog
 * entry `object-store`/`swift` at `/object-store/v1/AUTH_$(project_id)s`,
 * routes under /object-store, the ring and its device dirs, the account and
 * container databases, and the background replicator/auditor.
 */
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { swiftInfoRoute, swiftRoutes } from './api/routes.js';
import type { SwiftApi } from './api/context.js';
import { installSwiftErrorHandlers } from './errors.js';
import { objectStoreOperations } from './operations.js';
import { ObjectOps } from './proxy/object-ops.js';
import { ReplicatedObjects } from './proxy/replicated-objects.js';
import type { ObjectServer } from './storage/contract.js';
import { manageRing, type RingCommand } from './ring/manage.js';
import { deviceDir, objectStoreRoot, openRing, ringFile } from './storage/layout.js';
import { LocalAccountServer, LocalContainerServer } from './storage/local-db-servers.js';
import { LocalObjectServer } from './storage/local-object-server.js';
import { Replicator } from './storage/replicator.js';
import { SyncRealms } from './middleware/container-sync.js';
import { ContainerSyncer } from './proxy/container-syncer.js';
import type { ObjectStoreConfig } from './config.js';

/** The config sections the object-store service reads besides core's. */
type ObjectStoreSections = { object_store: ObjectStoreConfig };

export const OBJECT_STORE_PREFIX = '/object-store';

/**
 * Every temporary on a device at start is an upload a crash cut short: this
 * process is the only writer of its devices and serves no request yet.
 */
const SWEEP_EVERY_TEMPORARY = 0;

export const objectStoreModule: ServiceModule<ObjectStoreSections> = {
  name: 'object-store',
  prefix: OBJECT_STORE_PREFIX,
  migrations: {},
  policyDefaults: {},
  catalog: [{ type: 'object-store', name: 'swift', path: `${OBJECT_STORE_PREFIX}/v1/AUTH_$(project_id)s` }],
  init: initObjectStore,
};

async function initObjectStore(deps: ServiceDeps<ObjectStoreSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ component: 'object-store' });
  const options = deps.config.object_store;
  const ring = openRing(deps.dataDir, options);
  const servers = new Map<number, ObjectServer>(ring.data.devices.map((d) => [d.id, new LocalObjectServer(d.name, deviceDir(deps.dataDir, d.name))]));
  for (const server of servers.values()) {
    const swept = await server.sweep(SWEEP_EVERY_TEMPORARY);
    if (swept > 0) log.info({ device: server.device, swept }, 'removed upload temporaries left by a crash');
  }
  const root = objectStoreRoot(deps.dataDir);
  const hash = (account: string, container?: string) => ring.hashPath(account, container);
  const accounts = new LocalAccountServer(root, hash);
  const containers = new LocalContainerServer(root, hash, accounts);
  const objects = new ReplicatedObjects(ring, servers, log);
  const ops = new ObjectOps(objects, containers, accounts);
  const syncRealms = new SyncRealms(options.container_sync_realms, options.container_sync_cluster);
  const syncer = new ContainerSyncer(ops, syncRealms, log);
  const api: SwiftApi = {
    objects,
    containers,
    accounts,
    authenticator: () => deps.authenticator,
    operatorRoles: options.operator_roles,
    resellerAdminRole: options.reseller_admin_role,
    projectReaderRoles: options.project_reader_roles,
    systemReaderRoles: options.system_reader_roles,
    prefix: OBJECT_STORE_PREFIX,
    syncRealms,
    log,
  };
  const replicator = new Replicator(
    ring,
    servers,
    {
      listed: async (metadata) => {
        const [account, container, object] = splitObjectPath(metadata.path);
        await containers.putObject(account, container, {
          name: object,
          createdAt: metadata.timestamp,
          size: Number(metadata.system['x-object-sysmeta-slo-size'] ?? metadata.size),
          contentType: metadata.contentType,
          etag: metadata.system['x-object-sysmeta-slo-etag'] ?? metadata.etag,
        });
      },
      unlisted: async (path, timestamp) => {
        const [account, container, object] = splitObjectPath(path);
        await containers.deleteObject(account, container, object, timestamp);
      },
      expired: async (path) => {
        const [account, container, object] = splitObjectPath(path);
        // Overwritten since (a live object answers open): leave it.
        const live = await ops.open({ account, container, object });
        if (live) return live.close();
        await ops.remove({ account, container, object });
      },
    },
    log,
  );

  return {
    operations: objectStoreOperations(ops, api),
    async routes(scope) {
      installSwiftErrorHandlers(scope);
      swiftRoutes(scope, api, ops);
    },
    async rootRoutes(scope) {
      swiftInfoRoute(scope, syncRealms);
    },
    async ready() {
      replicator.start(options.replicator_interval);
      syncer.start(options.container_sync_interval);
    },
    // Objects are written under a temporary name and renamed; account and container databases change in place.
    stateFiles: [
      { path: 'object-store/devices', writeOnce: true },
      { path: 'object-store/accounts', writeOnce: false },
      { path: 'object-store/containers', writeOnce: false },
    ],
    async closeStateFiles() {
      await containers.close();
      await accounts.close();
    },
    async stop() {
      await syncer.stop();
      await replicator.stop();
      await containers.close();
      await accounts.close();
    },
  };
}

/** `/account/container/object` (object names may hold slashes). */
function splitObjectPath(path: string): [string, string, string] {
  const [, account = '', container = '', ...rest] = path.split('/');
  return [account, container, rest.join('/')];
}

/**
 * `nimbus manage ring ...`: the ring of the object store under `dataDir`
 * (the cli's door to ring management; it needs no running service).
 */
export function manageObjectStoreRing(dataDir: string, command: RingCommand): string {
  return manageRing(ringFile(dataDir), command);
}

export type { RingCommand } from './ring/manage.js';
export type { ObjectStoreOperations } from './operations.js';
