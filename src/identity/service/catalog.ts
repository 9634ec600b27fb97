/**
 * The service catalog: regions (a tree), services and their endpoints, as
 * Keystone's catalog API manages them. Tokens read the catalog through
 * token-catalog.ts; this file is the administration side.
 */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Endpoint, IdentityDb, Region, Service } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { tokenCatalog, type CatalogService } from './token-catalog.js';
import { requireMatchingId } from './validation.js';
import { identityErrors } from '../errors.js';

const REGION_FIELDS = ['id', 'description', 'parent_region_id', 'links'] as const;
const SERVICE_FIELDS = ['id', 'type', 'name', 'description', 'enabled', 'links'] as const;
const ENDPOINT_FIELDS = ['id', 'interface', 'region_id', 'region', 'service_id', 'url', 'enabled', 'links', 'legacy_endpoint_id'] as const;
const INTERFACES = ['admin', 'internal', 'public'];
/** What Keystone may substitute into endpoint URLs (keystone.common.utils.WHITELISTED_PROPERTIES). */
const URL_SUBSTITUTIONS = ['tenant_id', 'project_id', 'user_id', 'compute_host', 'public_endpoint'];

export class CatalogOps {
  constructor(private readonly deps: IdentityDeps) {}

  /** The catalog a token scoped to `projectId` (null: unscoped) shows. */
  scopedCatalog(projectId: string | null): Promise<CatalogService[]> {
    return tokenCatalog(this.deps.db, projectId);
  }

  /** POST /v3/regions (id optional, generated when empty) and PUT /v3/regions/{id}. */
  async createRegion(auth: CallerContext, body: Attributes): Promise<Region> {
    this.deps.authz.authorize(auth, 'create_region');
    const id = typeof body.id === 'string' && body.id !== '' ? body.id : hexId();
    const parentId = (body.parent_region_id as string | null | undefined) ?? null;
    await this.deps.db.transaction().execute(async (trx) => {
      if (parentId !== null) await store.getRegionOrThrow(trx, parentId);
      await store.insertRegion(trx, {
        id,
        // Keystone's column is NOT NULL: a missing or null description is ''.
        description: (body.description as string | null | undefined) ?? '',
        parent_region_id: parentId,
        extra: extraOf(body, REGION_FIELDS),
      });
    });
    return store.getRegionOrThrow(this.deps.db, id);
  }

  async getRegion(auth: CallerContext, id: string): Promise<Region> {
    this.deps.authz.authorize(auth, 'get_region');
    return store.getRegionOrThrow(this.deps.db, id);
  }

  async listRegions(auth: CallerContext, filter: { parentRegionId?: string }): Promise<Region[]> {
    this.deps.authz.authorize(auth, 'list_regions');
    return store.listRegions(this.deps.db, filter);
  }

  /** A new parent must exist (404) and must not sit below the region itself (400). */
  async updateRegion(auth: CallerContext, id: string, patch: Attributes): Promise<Region> {
    this.deps.authz.authorize(auth, 'update_region');
    requireMatchingId(patch, id);
    await this.deps.db.transaction().execute(async (trx) => {
      const region = await store.getRegionOrThrow(trx, id);
      const parentId = patch.parent_region_id as string | null | undefined;
      if (parentId) await assertNoCycle(trx, id, parentId);
      await store.updateRegion(trx, id, {
        ...(patch.description !== undefined && { description: (patch.description as string | null) ?? '' }),
        ...(parentId !== undefined && { parent_region_id: parentId }),
        extra: mergeExtra(region.extra, patch, REGION_FIELDS),
      });
    });
    return store.getRegionOrThrow(this.deps.db, id);
  }

  /**
   * Deletes the region and every region below it, as Keystone does; refused
   * (403) while any of them still holds an endpoint. Registered limits and
   * limits naming them stay, as in Keystone (which dropped those foreign keys
   * in Queens and checks references only when a limit is written).
   */
  async deleteRegion(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_region');
    await this.deps.db.transaction().execute(async (trx) => {
      await store.getRegionOrThrow(trx, id);
      const subtree = await regionSubtree(trx, id);
      for (const regionId of subtree) {
        if ((await store.countEndpointsInRegion(trx, regionId)) > 0) {
          throw identityErrors.regionHasEndpoints(id);
        }
      }
      for (const regionId of subtree.reverse()) await store.deleteRegion(trx, regionId);
    });
  }

  async createService(auth: CallerContext, body: Attributes): Promise<Service> {
    this.deps.authz.authorize(auth, 'create_service');
    const id = hexId();
    await store.insertService(this.deps.db, {
      id,
      type: body.type as string,
      name: (body.name as string | undefined) ?? '',
      description: (body.description as string | null | undefined) ?? null,
      enabled: (body.enabled as boolean | undefined) ?? true,
      extra: extraOf(body, SERVICE_FIELDS),
    });
    return store.getServiceOrThrow(this.deps.db, id);
  }

  async getService(auth: CallerContext, id: string): Promise<Service> {
    this.deps.authz.authorize(auth, 'get_service');
    return store.getServiceOrThrow(this.deps.db, id);
  }

  async listServices(auth: CallerContext, filter: { type?: string; name?: string }): Promise<Service[]> {
    this.deps.authz.authorize(auth, 'list_services');
    return store.listServices(this.deps.db, filter);
  }

  async updateService(auth: CallerContext, id: string, patch: Attributes): Promise<Service> {
    this.deps.authz.authorize(auth, 'update_service');
    requireMatchingId(patch, id);
    await this.deps.db.transaction().execute(async (trx) => {
      const service = await store.getServiceOrThrow(trx, id);
      await store.updateService(trx, id, {
        ...(patch.type !== undefined && { type: patch.type as string }),
        ...(patch.name !== undefined && { name: patch.name as string }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled as boolean }),
        extra: mergeExtra(service.extra, patch, SERVICE_FIELDS),
      });
    });
    return store.getServiceOrThrow(this.deps.db, id);
  }

  /**
   * A service goes with its endpoints. Registered limits and limits naming
   * it stay, as in Keystone (see deleteRegion).
   */
  async deleteService(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_service');
    await this.deps.db.transaction().execute(async (trx) => {
      await store.getServiceOrThrow(trx, id);
      await store.deleteService(trx, id);
    });
  }

  /**
   * The service must exist and a region_id name an existing region (400
   * otherwise); the legacy `region` attribute instead creates its region when
   * missing, as Keystone keeps doing for v2-era clients (and Tempest).
   */
  async createEndpoint(auth: CallerContext, body: Attributes): Promise<Endpoint> {
    this.deps.authz.authorize(auth, 'create_endpoint');
    checkInterface(body.interface);
    checkEndpointUrl(body.url as string);
    const id = hexId();
    await this.deps.db.transaction().execute(async (trx) => {
      const regionId = await endpointRegion(trx, body);
      await assertServiceExists(trx, body.service_id as string);
      await store.insertEndpoint(trx, {
        id,
        service_id: body.service_id as string,
        interface: body.interface as string,
        url: body.url as string,
        region_id: regionId ?? null,
        enabled: (body.enabled as boolean | null | undefined) ?? true,
        extra: extraOf(body, ENDPOINT_FIELDS),
      });
    });
    return store.getEndpointOrThrow(this.deps.db, id);
  }

  async getEndpoint(auth: CallerContext, id: string): Promise<Endpoint> {
    this.deps.authz.authorize(auth, 'get_endpoint');
    return store.getEndpointOrThrow(this.deps.db, id);
  }

  async listEndpoints(auth: CallerContext, filter: { interface?: string; serviceId?: string; regionId?: string }): Promise<Endpoint[]> {
    this.deps.authz.authorize(auth, 'list_endpoints');
    return store.listEndpoints(this.deps.db, filter);
  }

  async updateEndpoint(auth: CallerContext, id: string, patch: Attributes): Promise<Endpoint> {
    this.deps.authz.authorize(auth, 'update_endpoint');
    requireMatchingId(patch, id);
    if (patch.interface !== undefined) checkInterface(patch.interface);
    if (patch.url !== undefined) checkEndpointUrl(patch.url as string);
    await this.deps.db.transaction().execute(async (trx) => {
      const endpoint = await store.getEndpointOrThrow(trx, id);
      const regionId = await endpointRegion(trx, patch);
      if (patch.service_id !== undefined) await assertServiceExists(trx, patch.service_id as string);
      await store.updateEndpoint(trx, id, {
        ...(patch.service_id !== undefined && { service_id: patch.service_id as string }),
        ...(patch.interface !== undefined && { interface: patch.interface as string }),
        ...(patch.url !== undefined && { url: patch.url as string }),
        ...(regionId !== undefined && { region_id: regionId }),
        ...(patch.enabled !== undefined && { enabled: (patch.enabled as boolean | null) ?? true }),
        extra: mergeExtra(endpoint.extra, patch, ENDPOINT_FIELDS),
      });
    });
    return store.getEndpointOrThrow(this.deps.db, id);
  }

  async deleteEndpoint(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_endpoint');
    await this.deps.db.transaction().execute(async (trx) => {
      await store.getEndpointOrThrow(trx, id);
      await store.deleteEndpoint(trx, id);
    });
  }
}

/** The service an endpoint names must exist; a missing one is the caller's error (400). */
async function assertServiceExists(db: IdentityDb, serviceId: string): Promise<void> {
  if (!(await store.getService(db, serviceId))) throw identityErrors.expectingToFind('endpoint service_id', 'service table');
}

/** Walks up from the would-be parent; meeting the region itself means a loop. */
async function assertNoCycle(db: IdentityDb, id: string, parentId: string): Promise<void> {
  const seen = new Set<string>();
  let cursor: string | null = parentId;
  while (cursor !== null && !seen.has(cursor)) {
    if (cursor === id) throw identityErrors.circularRegion(parentId);
    seen.add(cursor);
    cursor = (await store.getRegionOrThrow(db, cursor)).parent_region_id;
  }
}

/** The region and all regions below it, parents before children. */
async function regionSubtree(db: IdentityDb, rootId: string): Promise<string[]> {
  const ids = [rootId];
  for (let i = 0; i < ids.length; i += 1) {
    for (const child of await store.listRegions(db, { parentRegionId: ids[i] as string })) {
      if (!ids.includes(child.id)) ids.push(child.id);
    }
  }
  return ids;
}

/**
 * The region_id an endpoint body asks for: undefined when it names none
 * (create: no region; update: unchanged). A legacy `region` is used when
 * region_id is absent or null, and its region is created if missing.
 */
async function endpointRegion(db: IdentityDb, body: Attributes): Promise<string | null | undefined> {
  if ((body.region_id === undefined || body.region_id === null) && typeof body.region === 'string') {
    if (!(await store.getRegion(db, body.region))) {
      await store.insertRegion(db, { id: body.region, description: '', parent_region_id: null, extra: '{}' });
    }
    return body.region;
  }
  const regionId = body.region_id as string | null | undefined;
  if (typeof regionId === 'string' && !(await store.getRegion(db, regionId))) {
    throw identityErrors.expectingToFind('endpoint region_id', 'region table');
  }
  return regionId;
}

function checkInterface(value: unknown): void {
  if (typeof value !== 'string' || !INTERFACES.includes(value)) {
    throw identityErrors.invalidInterface(value);
  }
}

/**
 * Keystone formats endpoint URLs with Python's `%` operator after turning
 * `$(` into `%(`, so it refuses a URL on which that would fail: a
 * substitution it does not know, or a `%` that is not `%%` or `%(name)s`
 * (a percent-encoded URL must double its `%`).
 */
function checkEndpointUrl(url: string): void {
  const formatted = url.replaceAll('$(', '%(');
  const spec = /%(?:%|\(([^)]*)\)[#0 +-]*\d*(?:\.\d+)?[sra])/y;
  let at = formatted.indexOf('%');
  while (at >= 0) {
    spec.lastIndex = at;
    const match = spec.exec(formatted);
    if (!match || (match[1] !== undefined && !URL_SUBSTITUTIONS.includes(match[1]))) {
      throw identityErrors.invalidEndpointUrl(url);
    }
    at = formatted.indexOf('%', spec.lastIndex);
  }
}
