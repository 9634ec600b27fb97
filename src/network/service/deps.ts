/** What every network operation needs; built once in network/index.ts. */
import type { DriverFaults } from '../../core/faults.js';
import type { CallerContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { ServiceQuota } from '../../core/quota/index.js';
import type { NetworkConfig } from '../config.js';
import type { NetworkDriver } from '../drivers/driver.js';
import type { NetworkDb } from '../store/index.js';

export const QUOTA_RESOURCES = [
  'network',
  'subnet',
  'port',
  'router',
  'floatingip',
  'security_group',
  'security_group_rule',
  'rbac_policy',
  'subnetpool',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** Neutron's default quotas (neutron/conf/quota.py). */
export const DEFAULT_QUOTAS: Record<QuotaResource, number> = {
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  rbac_policy: 10,
  // Neutron tracks subnet pools without a quota_subnetpool option: unlimited.
  subnetpool: -1,
};

export interface NetworkDeps {
  db: NetworkDb;
  /** Neutron's admin rule, `network:<action>` checks and 403 (access.ts's networkAuthorizer). */
  access: Authorizer;
  quota: ServiceQuota<QuotaResource>;
  driver: NetworkDriver;
  config: NetworkConfig;
  log: Logger;
  /** Injected faults (`/_nimbus/faults`): a port binding that fails. */
  faults: DriverFaults;
}

/** The caller, or the service itself (bootstrap) acting as admin. */
export type Caller = CallerContext;
