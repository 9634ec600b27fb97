/**
 * Unified limits with Keystone's flat enforcement model: a registered limit
 * gives a service's default for a resource (optionally per region); a limit
 * overrides it for one project or domain. Limits only exist under a
 * registered limit, and a registered limit with limits under it is frozen.
 *
 * The store keeps "none" as '' in region_id, project_id and domain_id (so
 * unique constraints hold); these operations take and give null.
 */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { IdentityDb, Limit, RegisteredLimit } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import type { Attributes } from './extras.js';
import { requireMatchingId } from './validation.js';
import { identityErrors } from '../errors.js';

const LIMIT_MODEL = {
  name: 'flat',
  description: 'Limit enforcement and validation does not take project hierarchy into consideration.',
} as const;

export class LimitOps {
  constructor(private readonly deps: IdentityDeps) {}

  getModel(auth: CallerContext): typeof LIMIT_MODEL {
    this.deps.authz.authorize(auth, 'get_limit_model');
    return LIMIT_MODEL;
  }

  /** All or nothing: one bad or duplicate entry (also within the list) creates none. */
  async createRegisteredLimits(auth: CallerContext, bodies: Attributes[]): Promise<RegisteredLimit[]> {
    this.deps.authz.authorize(auth, 'create_registered_limits');
    const ids = bodies.map(() => hexId());
    await this.deps.db.transaction().execute(async (trx) => {
      for (const [i, body] of bodies.entries()) {
        await assertReferencesExist(trx, body, 'registered_limit');
        await store.insertRegisteredLimit(trx, {
          id: ids[i] as string,
          service_id: body.service_id as string,
          region_id: noneAsEmpty(body.region_id),
          resource_name: body.resource_name as string,
          default_limit: body.default_limit as number,
          description: (body.description as string | null | undefined) ?? null,
        });
      }
    });
    return Promise.all(ids.map((id) => store.getRegisteredLimitOrThrow(this.deps.db, id)));
  }

  async getRegisteredLimit(auth: CallerContext, id: string): Promise<RegisteredLimit> {
    this.deps.authz.authorize(auth, 'get_registered_limit');
    return store.getRegisteredLimitOrThrow(this.deps.db, id);
  }

  async listRegisteredLimits(auth: CallerContext, filter: store.LimitFilter): Promise<RegisteredLimit[]> {
    this.deps.authz.authorize(auth, 'list_registered_limits');
    return store.listRegisteredLimits(this.deps.db, filter);
  }

  /** Refused (403) while limits refer to it, whatever the change, as in Keystone. */
  async updateRegisteredLimit(auth: CallerContext, id: string, patch: Attributes): Promise<RegisteredLimit> {
    this.deps.authz.authorize(auth, 'update_registered_limit');
    requireMatchingId(patch, id);
    await this.deps.db.transaction().execute(async (trx) => {
      await assertReferencesExist(trx, patch, 'registered_limit');
      await assertUnreferenced(trx, await store.getRegisteredLimitOrThrow(trx, id));
      await store.updateRegisteredLimit(trx, id, {
        ...(patch.service_id !== undefined && { service_id: patch.service_id as string }),
        ...(patch.region_id !== undefined && { region_id: noneAsEmpty(patch.region_id) }),
        ...(patch.resource_name !== undefined && { resource_name: patch.resource_name as string }),
        ...(patch.default_limit !== undefined && { default_limit: patch.default_limit as number }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
      });
    });
    return store.getRegisteredLimitOrThrow(this.deps.db, id);
  }

  async deleteRegisteredLimit(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_registered_limit');
    await this.deps.db.transaction().execute(async (trx) => {
      await assertUnreferenced(trx, await store.getRegisteredLimitOrThrow(trx, id));
      await store.deleteRegisteredLimit(trx, id);
    });
  }

  /**
   * All or nothing. Each names exactly one of project_id and domain_id, which
   * must exist (400), and needs a registered limit for its service, region
   * and resource (403, Keystone's NoLimitReference).
   */
  async createLimits(auth: CallerContext, bodies: Attributes[]): Promise<Limit[]> {
    this.deps.authz.authorize(auth, 'create_limits');
    const ids = bodies.map(() => hexId());
    await this.deps.db.transaction().execute(async (trx) => {
      for (const [i, body] of bodies.entries()) {
        const hasProject = typeof body.project_id === 'string';
        if (hasProject === (typeof body.domain_id === 'string')) {
          throw identityErrors.limitTarget();
        }
        await assertReferencesExist(trx, body, 'limit');
        const key = { service_id: body.service_id as string, region_id: noneAsEmpty(body.region_id), resource_name: body.resource_name as string };
        if (!(await registeredLimitFor(trx, key))) {
          throw identityErrors.limitWithoutRegistered();
        }
        await store.insertLimit(trx, {
          id: ids[i] as string,
          ...key,
          project_id: hasProject ? (body.project_id as string) : '',
          domain_id: hasProject ? '' : (body.domain_id as string),
          resource_limit: body.resource_limit as number,
          description: (body.description as string | null | undefined) ?? null,
        });
      }
    });
    return Promise.all(ids.map((id) => store.getLimitOrThrow(this.deps.db, id)));
  }

  /** Policy sees the limit's project or domain; a caller who may not read it cannot probe ids. */
  async getLimit(auth: CallerContext, id: string): Promise<Limit> {
    const limit = await store.getLimit(this.deps.db, id);
    const owner = limit ? { project_id: emptyAsNone(limit.project_id), domain_id: emptyAsNone(limit.domain_id) } : {};
    this.deps.authz.authorize(auth, 'get_limit', { limit: owner });
    // Missing: the store's lookup throws Keystone's 404.
    return limit ?? store.getLimitOrThrow(this.deps.db, id);
  }

  /**
   * Everything for admins, services and system scope; a domain-scoped caller
   * sees the domain's limit and its projects' limits; a project-scoped one
   * only the project's; anyone else nothing (Keystone's list_limits).
   */
  async listLimits(auth: CallerContext, filter: store.LimitFilter): Promise<Limit[]> {
    this.deps.authz.authorize(auth, 'list_limits');
    if (auth.system || auth.roles.includes('admin') || auth.roles.includes('service')) {
      return store.listLimits(this.deps.db, filter);
    }
    if (auth.domain) {
      const domainId = auth.domain.id;
      const projectIds = new Set((await store.projectsInDomain(this.deps.db, domainId)).map((p) => p.id));
      const limits = await store.listLimits(this.deps.db, filter);
      return limits.filter((l) => projectIds.has(l.project_id) || l.domain_id === domainId);
    }
    if (auth.project && (filter.projectId === undefined || filter.projectId === auth.project.id)) {
      return store.listLimits(this.deps.db, { ...filter, projectId: auth.project.id });
    }
    return [];
  }

  /** Only resource_limit and description change; the rest is the registered limit's. */
  async updateLimit(auth: CallerContext, id: string, patch: Attributes): Promise<Limit> {
    this.deps.authz.authorize(auth, 'update_limit');
    requireMatchingId(patch, id);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.getLimitOrThrow(trx, id);
      await store.updateLimit(trx, id, {
        ...(patch.resource_limit !== undefined && { resource_limit: patch.resource_limit as number }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
      });
    });
    return store.getLimitOrThrow(this.deps.db, id);
  }

  async deleteLimit(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_limit');
    await this.deps.db.transaction().execute(async (trx) => {
      await store.getLimitOrThrow(trx, id);
      await store.deleteLimit(trx, id);
    });
  }
}

/** The store's '' for "none" as the API's null. */
export function emptyAsNone(value: string): string | null {
  return value === '' ? null : value;
}

function noneAsEmpty(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Every service, region, project and domain the body names must exist (400 naming the field). */
async function assertReferencesExist(db: IdentityDb, body: Attributes, target: 'registered_limit' | 'limit'): Promise<void> {
  const lookups: Array<[string, (id: string) => Promise<unknown>]> = [
    ['service_id', (id) => store.getService(db, id)],
    ['region_id', (id) => store.getRegion(db, id)],
    ['project_id', (id) => store.getProject(db, id)],
    ['domain_id', (id) => store.getDomain(db, id)],
  ];
  for (const [field, lookup] of lookups) {
    const id = body[field];
    if (typeof id === 'string' && !(await lookup(id))) throw identityErrors.expectingToFind(field, target);
  }
}

async function registeredLimitFor(db: IdentityDb, key: { service_id: string; region_id: string; resource_name: string }): Promise<RegisteredLimit | undefined> {
  const [match] = await store.listRegisteredLimits(db, { serviceId: key.service_id, regionId: key.region_id, resourceName: key.resource_name });
  return match;
}

async function assertUnreferenced(db: IdentityDb, registered: RegisteredLimit): Promise<void> {
  const limits = await store.listLimits(db, {
    serviceId: registered.service_id,
    regionId: registered.region_id,
    resourceName: registered.resource_name,
  });
  if (limits.length > 0) {
    throw identityErrors.registeredLimitInUse(registered.id);
  }
}
