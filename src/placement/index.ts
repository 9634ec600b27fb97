/**
 * The placement service (Placement API 1.x) as a Nimbus service module:
 * migrations, default policy, catalog entry and routes under /placement. Its
 * operations (`PlacementOperations`, implemented by PlacementService) are what
 * other services reach as `deps.services.placement`.
 */
import { requestAuthenticator } from '../core/http/authenticate.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { placementAuthorizer } from './api/common.js';
import { placementRoutes, type PlacementApi } from './api/index.js';
import { placementMigrations } from './migrations/index.js';
import { placementPolicyDefaults } from './policies.js';
import { PlacementService } from './service/placement.js';
import { placementDb } from './store/index.js';
import type { PlacementConfig } from './config.js';
import type { Database } from '../core/db/database.js';

/** The config sections the placement service reads besides core's. */
type PlacementSections = { placement: PlacementConfig };

export const PLACEMENT_PREFIX = '/placement';

export const placementModule: ServiceModule<PlacementSections> = {
  name: 'placement',
  prefix: PLACEMENT_PREFIX,
  migrations: placementMigrations,
  policyDefaults: placementPolicyDefaults,
  catalog: [{ type: 'placement', name: 'placement', path: PLACEMENT_PREFIX }],
  init: initPlacement,
};

async function initPlacement(deps: ServiceDeps<PlacementSections>): Promise<ServiceInstance> {
  const service = placementOperations(deps.db, deps.config.placement);
  const api: PlacementApi = {
    service,
    authz: placementAuthorizer(deps.policy),
    authenticate: requestAuthenticator(deps),
    root: () => deps.publicUrl() + PLACEMENT_PREFIX,
  };
  return {
    operations: service,
    async routes(scope) {
      placementRoutes(scope, api);
    },
  };
}

/** Placement's operations on `db` without its API: what a compute agent reports its host through. */
export function placementOperations(db: Database, config: PlacementConfig): PlacementService {
  return new PlacementService(placementDb(db), db.dialect, { randomizeAllocationCandidates: config.randomize_allocation_candidates });
}

export type { PlacementOperations } from './operations.js';
export { PlacementService } from './service/placement.js';
