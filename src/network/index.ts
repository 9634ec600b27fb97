/**
 * The network service (Neutron v2.0) as a Nimbus service module: migrations,
 * default policy, catalog entry, quotas, the network driver, routes under
 * /network and the DevStack-like default content.
 */
import { join } from 'node:path';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { networkRoutes, type NetworkApi } from './api/index.js';
import { bootstrapNetworks } from './bootstrap.js';
import type { NetworkConfig } from './config.js';
import type { NetworkDriver } from './drivers/driver.js';
import { LinuxBridgeNetworkDriver } from './drivers/linuxbridge/index.js';
import { NoopNetworkDriver } from './drivers/noop.js';
import { renderNeutronError } from './errors.js';
import { networkMigrations } from './migrations/index.js';
import { networkPolicyDefaults } from './policies.js';
import { networkAuthorizer } from './service/access.js';
import { REPORT_INTERVAL_MS, reportState } from './service/agent-registry.js';
import { adoptDhcpPorts } from './service/dhcp-bindings.js';
import { routeSchemaError } from './service/body-schemas.js';
import { DEFAULT_QUOTAS, type NetworkDeps } from './service/deps.js';
import { networkService, type NetworkService } from './service/index.js';
import { publicOperations } from './service/public-operations.js';
import { networkDb } from './store/index.js';

/** The config sections the network service reads besides core's. */
type NetworkSections = { network: NetworkConfig };

export const NETWORK_PREFIX = '/network';

export const networkModule: ServiceModule<NetworkSections> = {
  name: 'network',
  prefix: NETWORK_PREFIX,
  migrations: networkMigrations,
  policyDefaults: networkPolicyDefaults,
  catalog: [{ type: 'network', name: 'neutron', path: NETWORK_PREFIX }],
  init: initNetwork,
};

function createDriver(config: NetworkConfig, dataDir: string): NetworkDriver {
  if (config.driver === 'noop') return new NoopNetworkDriver();
  if (config.driver === 'linuxbridge')
    return new LinuxBridgeNetworkDriver({ dataDir, metadataSocket: config.metadata_socket ?? join(dataDir, 'metadata.sock') });
  throw new Error(`Unknown network driver "${config.driver}" (available: noop, linuxbridge)`);
}

async function initNetwork(deps: ServiceDeps<NetworkSections>): Promise<ServiceInstance> {
  const config = deps.config.network;
  const networkDeps: NetworkDeps = {
    db: networkDb(deps.db),
    access: networkAuthorizer(deps.policy),
    quota: deps.quotas.register('network', DEFAULT_QUOTAS),
    driver: createDriver(config, deps.dataDir),
    config,
    log: deps.log.child({ service: 'network' }),
    faults: deps.faults,
  };
  const ops: NetworkService = networkService(networkDeps);
  let reports: NodeJS.Timeout | undefined;
  const root = () => deps.publicUrl() + NETWORK_PREFIX;
  const api: NetworkApi = {
    ops,
    authenticate: requestAuthenticator(deps),
    get root() {
      return root();
    },
  };
  return {
    operations: publicOperations(ops),
    // White-box tests read what the noop driver recorded (e.g. the QoS it would put on a tap).
    internals: { driver: networkDeps.driver },
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderNeutronError, schemaError: routeSchemaError });
      networkRoutes(scope, api);
    },
    async ready() {
      // A driver that is down shows as dead agents in the agents list; the reason goes to the log and binds fail with it.
      const down = await networkDeps.driver.healthCheck();
      if (down) networkDeps.log.error({ driver: networkDeps.driver.name, reason: down }, 'network driver is down');
      await reportState(networkDeps);
      await adoptDhcpPorts(networkDeps);
      reports = setInterval(() => {
        reportState(networkDeps).catch((error: unknown) => networkDeps.log.warn({ err: error }, 'could not report the network agents'));
      }, REPORT_INTERVAL_MS);
      reports.unref();
      await ops.realisation.resync();
      await bootstrapNetworks(ops, deps.services.identity, config, networkDeps.log);
    },
    async stop() {
      clearInterval(reports);
    },
  };
}
