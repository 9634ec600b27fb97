/** Placement's REST API under /placement: every route file, mounted on the service's scope. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthContext } from '../../core/context.js';
import { installErrorHandlers } from '../../core/http/service-scope.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import { renderPlacementError } from '../errors.js';
import type { PlacementService } from '../service/placement.js';

export interface PlacementApi {
  service: PlacementService;
  policy: PolicyEnforcer;
  authenticate(request: FastifyRequest): Promise<AuthContext>;
  /** The placement API root, e.g. http://127.0.0.1:5000/placement. */
  root(): string;
}

export function placementRoutes(scope: FastifyInstance, _api: PlacementApi): void {
  installErrorHandlers(scope, { renderError: (error, status) => renderPlacementError(error, status) });
}
