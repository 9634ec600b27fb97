/** Neutron's quota API over the core quota engine: limits, defaults, usage details. */
import type { CallerContext } from '../../core/context.js';
import { errors } from '../errors.js';
import { QUOTA_RESOURCES, type NetworkDeps, type QuotaResource } from './deps.js';

/** Neutron's bound on a quota limit (neutron-lib's DB_INTEGER_MAX_VALUE). */
const DB_INTEGER_MAX = 2 ** 31 - 1;

export class QuotaOps {
  constructor(private readonly deps: NetworkDeps) {}

  async get(auth: CallerContext, projectId: string): Promise<Record<QuotaResource, number>> {
    this.#checkReader(auth, projectId);
    return this.deps.quota.getLimits(projectId);
  }

  async defaults(auth: CallerContext, projectId: string): Promise<Record<QuotaResource, number>> {
    this.#checkReader(auth, projectId);
    return this.deps.quota.getDefaults();
  }

  async details(auth: CallerContext, projectId: string): Promise<Record<QuotaResource, { limit: number; used: number; reserved: number }>> {
    this.#checkReader(auth, projectId);
    const [limits, usage] = await Promise.all([this.deps.quota.getLimits(projectId), this.deps.quota.getUsage(projectId)]);
    return Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, { limit: limits[r], used: usage[r], reserved: 0 }])) as Record<
      QuotaResource,
      { limit: number; used: number; reserved: number }
    >;
  }

  /** Projects with their own limits (admin only), as `GET /v2.0/quotas` lists them, whether or not they own anything yet. */
  async list(auth: CallerContext): Promise<Array<Record<string, unknown>>> {
    this.deps.access.authorize(auth, 'get_quota', {});
    const listed: Array<Record<string, unknown>> = [];
    for (const id of await this.deps.quota.projectsWithOwnLimits()) listed.push({ project_id: id, tenant_id: id, ...(await this.deps.quota.getLimits(id)) });
    return listed;
  }

  async update(auth: CallerContext, projectId: string, body: Record<string, unknown>): Promise<Record<QuotaResource, number>> {
    this.deps.access.authorize(auth, 'update_quota', { project_id: projectId, tenant_id: projectId });
    for (const [resource, value] of Object.entries(body)) {
      if (resource === 'force' || resource === 'check_limit') continue;
      if (!(QUOTA_RESOURCES as readonly string[]).includes(resource)) throw errors.unrecognizedAttributes(resource);
      const limit = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1 || limit > DB_INTEGER_MAX) {
        throw errors.invalidAttribute(resource, `'${String(value)}' is not a valid quota limit (an integer from -1, unlimited, to ${DB_INTEGER_MAX})`);
      }
      await this.deps.quota.setLimit(projectId, resource as QuotaResource, limit);
    }
    return this.deps.quota.getLimits(projectId);
  }

  async reset(auth: CallerContext, projectId: string): Promise<void> {
    this.deps.access.authorize(auth, 'delete_quota', { project_id: projectId, tenant_id: projectId });
    await this.deps.quota.resetLimit(projectId);
  }

  #checkReader(auth: CallerContext, projectId: string): void {
    this.deps.access.authorize(auth, 'get_quota', { project_id: projectId, tenant_id: projectId });
  }
}
