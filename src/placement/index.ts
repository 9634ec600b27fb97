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
  const service = new PlacementService(placementDb(deps.db), deps.db.dialect, {
    randomizeAllocationCandidates: deps.config.placement.randomize_allocation_candidates,
  });
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

export type { PlacementOperations } from './operations.js';
export { PlacementService } from './service/placement.js';
