/**
 * Placement's REST API under /placement: microversion negotiation
 * (`OpenStack-API-Version: placement 1.x`, 1.0 to 1.39), the root version
 * document (no token needed, as in Placement), Placement's error body with the
 * request id, and every route file.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { installErrorHandlers } from '../../core/http/service-scope.js';
import { formatMicroversion, microversionHeaders, negotiateMicroversion } from '../../core/microversions.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import { CODES, placementSchemaError, renderPlacementError } from '../errors.js';
import type { PlacementService } from '../service/placement.js';
import { allocationRoutes } from './allocations.js';
import { candidateRoutes } from './candidates.js';
import { atLeast, PLACEMENT_VERSIONS } from './common.js';
import { inventoryRoutes } from './inventories.js';
import { providerRoutes } from './providers.js';
import { classAndTraitRoutes } from './classes-traits.js';
import { reshaperRoutes } from './reshaper.js';

export interface PlacementApi {
  service: PlacementService;
  /** Placement's policy checks (common.ts `placementAuthorizer`), built once. */
  authz: Authorizer;
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The placement API root, e.g. http://127.0.0.1:5000/placement. */
  root(): string;
}

export function placementRoutes(scope: FastifyInstance, api: PlacementApi): void {
  installErrorHandlers(scope, { renderError: (error, status) => renderPlacementError(error, status), schemaError: placementSchemaError });

  scope.addHook('onRequest', async (request, reply) => {
    // Negotiated first, so even a 406 or 401 leaves with the version header.
    reply.headers(microversionHeaders(PLACEMENT_VERSIONS.min, PLACEMENT_VERSIONS));
    const version = negotiateMicroversion(request.headers, PLACEMENT_VERSIONS);
    request.placementVersion = version;
    reply.headers(microversionHeaders(version, PLACEMENT_VERSIONS));
  });

  // Errors carry the request id, and `code` from 1.23 as Placement's do.
  scope.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.statusCode < 400 || !isErrorBody(payload)) return payload;
    const withCode = atLeast(request, '1.23');
    return {
      errors: payload.errors.map((entry) => {
        const { code, ...rest } = entry;
        return { ...rest, ...(withCode && { code: code ?? CODES.DEFAULT }), request_id: request.id };
      }),
    };
  });

  scope.get('/', async () => {
    return {
      versions: [
        {
          id: 'v1.0',
          max_version: formatMicroversion(PLACEMENT_VERSIONS.max),
          min_version: formatMicroversion(PLACEMENT_VERSIONS.min),
          status: 'CURRENT',
          links: [{ rel: 'self', href: `${api.root()}/` }],
        },
      ],
    };
  });

  providerRoutes(scope, api);
  inventoryRoutes(scope, api);
  classAndTraitRoutes(scope, api);
  allocationRoutes(scope, api);
  candidateRoutes(scope, api);
  reshaperRoutes(scope, api);
}

function isErrorBody(payload: unknown): payload is { errors: Array<Record<string, unknown>> } {
  return typeof payload === 'object' && payload !== null && Array.isArray((payload as { errors?: unknown }).errors);
}
