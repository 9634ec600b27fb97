/**
 * The compute service (Nova v2.1) as a Nimbus service module: migrations,
 * default policy, catalog entry (`compute`/`nova` at /compute/v2.1 as
 * DevStack), quotas, the hypervisor driver, routes under /compute and the
 * DevStack-like default content (flavors, a default image).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { guardedAuthenticator } from './api/nul-guard.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import { requiredPeer, type ServiceDeps, type ServiceInstance, type ServiceModule } from '../core/service-module.js';
import { computeRoutes, type ComputeApi } from './api/index.js';
import { novaSchemaError } from './api/schema.js';
import { bootstrapCompute } from './bootstrap.js';
import { createDriver, FAKE_DRIVER_STATE_FILE, type HypervisorDriver, type ImageFetcher } from './drivers/index.js';
import { AgentDriver } from './service/agent-driver.js';
import { defineHostCalls } from './service/host-calls.js';
import { HostLiveness } from './service/liveness.js';
import { renderNovaError } from './errors.js';
import { metadataSources } from './metadata/sources.js';
import { closeMetadata, serveMetadata } from './metadata/server.js';
import { VendorDataProviders } from './metadata/vendor-data.js';
import { computeMigrations } from './migrations/index.js';
import { computePolicyDefaults } from './policies.js';
import { computeAuthorizer } from './service/access.js';
import { DEFAULT_QUOTAS, type ComputeDeps } from './service/deps.js';
import { computeServices, type ComputeServices } from './service/index.js';
import { computeOperations } from './operations.js';
import { serviceCaller } from '../core/context.js';
import { computeDb, HOST_VIEW_TABLES } from './store/index.js';
import { WriteGeneration } from '../core/db/write-generation.js';
import type { ComputeConfig } from './config.js';
import { OSLO_MAX_REQUEST_BODY_SIZE } from '../core/http/json-body.js';

/** The config sections the compute service reads besides core's. */
type ComputeSections = { compute: ComputeConfig };

export const COMPUTE_PREFIX = '/compute';

export const computeModule: ServiceModule<ComputeSections> = {
  name: 'compute',
  prefix: COMPUTE_PREFIX,
  // oslo.middleware's sizelimit sits in the real service's pipeline.
  jsonBodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
  migrations: computeMigrations,
  policyDefaults: computePolicyDefaults,
  catalog: [{ type: 'compute', name: 'nova', path: `${COMPUTE_PREFIX}/v2.1` }],
  init: initCompute,
};

async function initCompute(deps: ServiceDeps<ComputeSections>): Promise<ServiceInstance> {
  const config = withBuiltGuestImage(deps.config.compute, deps.dataDir);
  // An API process of a cluster runs no hypervisor: compute agents (`nimbus agent compute`) run the hosts.
  const agentsRunHosts = deps.config.server.role === 'api';
  const root = () => deps.publicUrl() + COMPUTE_PREFIX;
  const image = requiredPeer(deps.services, 'image', 'compute');
  // Real drivers read images through Glance as the compute service (any visibility).
  const fetchImage: ImageFetcher = async (imageId) => {
    const download = await image().download(serviceCaller('nimbus-compute', null), imageId);
    if (!download.data) throw new Error(`Image ${imageId} has no data`);
    return download.data;
  };
  const hostWrites = new WriteGeneration(HOST_VIEW_TABLES);
  const computeDeps: ComputeDeps = {
    db: computeDb(deps.db, hostWrites),
    hostWrites,
    policy: deps.policy,
    authz: computeAuthorizer(deps.policy),
    quota: deps.quotas.register('compute', DEFAULT_QUOTAS),
    driver: agentsRunHosts ? agentDriver(deps, config) : await createDriver(config, deps.dataDir, fetchImage, deps.faults),
    config,
    log: deps.log.child({ service: 'compute' }),
    tasks: deps.tasks,
    events: deps.events,
    peers: {
      placement: requiredPeer(deps.services, 'placement', 'compute'),
      placementIfPresent: () => deps.services.placement ?? null,
      network: requiredPeer(deps.services, 'network', 'compute'),
      image,
      volume: () => deps.services.volume ?? null,
    },
    root,
    vendorData: new VendorDataProviders(deps.log.child({ service: 'compute', api: 'metadata' })),
  };
  const ops: ComputeServices = computeServices(computeDeps);
  const api: ComputeApi = {
    ops,
    authenticate: guardedAuthenticator(requestAuthenticator(deps)),
    get root() {
      return root();
    },
  };
  // The metadata API (unix socket) serves guests of real drivers; the fake's guests have no network.
  const metadataSocket = agentsRunHosts ? null : (config.metadata_socket ?? (config.compute_driver === 'fake' ? null : join(deps.dataDir, 'metadata.sock')));
  const metadata = metadataSocket ? await serveMetadata(metadataSocket, metadataSources(computeDeps), computeDeps.log.child({ api: 'metadata' })) : null;
  const driver = computeDeps.driver;
  return {
    operations: computeOperations(ops, computeDeps.vendorData),
    internals: ops,
    // The fake driver's guests, appended to as they change; the qemu driver's are real processes no snapshot holds.
    stateFiles: driver.type === 'fake' && !agentsRunHosts ? [{ path: FAKE_DRIVER_STATE_FILE, writeOnce: false }] : [],
    async stateRestored() {
      driver.reloadState?.();
      // The snapshot replaced the rows under the scheduler's host view.
      hostWrites.countExternalWrite();
    },
    async stop() {
      if (metadata && metadataSocket) await closeMetadata(metadata, metadataSocket);
    },
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderNovaError, schemaError: novaSchemaError });
      computeRoutes(scope, api);
    },
    async ready() {
      await bootstrapCompute(computeDeps, ops, deps.services.identity);
    },
  };
}

/** The driver of an API process: each host call goes to the host's agent through the task queue. */
function agentDriver(deps: ServiceDeps<ComputeSections>, config: ComputeConfig): HypervisorDriver {
  const db = computeDb(deps.db);
  const liveness = new HostLiveness({ db, config }, []);
  return new AgentDriver({
    type: config.compute_driver,
    db,
    tasks: deps.tasks,
    kind: defineHostCalls(deps.tasks, null),
    isHostUp: (host) => liveness.isHostUp(host),
  });
}

export type { ComputeOperations } from './operations.js';

/**
 * `qemu.guest_image` unset: the image scripts/build-guest-image makes by
 * default (`<data_dir>/guest-image/nimbus-guest.qcow2`), when it is there.
 */
function withBuiltGuestImage(config: ComputeConfig, dataDir: string): ComputeConfig {
  if (config.compute_driver === 'fake' || config.qemu.guest_image !== null) return config;
  const built = join(dataDir, 'guest-image', 'nimbus-guest.qcow2');
  return existsSync(built) ? { ...config, qemu: { ...config.qemu, guest_image: built } } : config;
}
export { startComputeAgent, type ComputeAgent, type ComputeAgentOptions } from './agent.js';
