/**
 * os-quota-sets, os-quota-class-sets and limits: Nova's quota API over the
 * core QuotaEngine. Usage of instances, cores and ram comes from the
 * engine's counters (changed atomically with the servers); key_pairs counts
 * per user; server_groups from the groups.
 */
import type { CallerContext } from '../../core/context.js';
import { requestErrors } from '../errors.js';
import { authorize, callerProject } from './access.js';
import type { ComputeDeps, QuotaResource } from './deps.js';

export type QuotaValues = Record<QuotaResource, number>;

const MAX_QUOTA = 0x7fffffff;

/** Resources Nova stopped showing at 2.36 (network proxies) and 2.57 (personality files). */
export const NETWORK_QUOTAS: QuotaResource[] = ['floating_ips', 'fixed_ips', 'security_groups', 'security_group_rules'];
export const FILE_QUOTAS: QuotaResource[] = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

export class QuotaOps {
  constructor(private readonly deps: ComputeDeps) {}

  async show(auth: CallerContext, projectId: string, rule: 'show' | 'detail' = 'show'): Promise<{ limits: QuotaValues; usage: QuotaValues }> {
    authorize(this.deps, auth, `os_compute_api:os-quota-sets:${rule}`, { project_id: projectId });
    const [limits, usage] = await Promise.all([this.deps.quota.getLimits(projectId), this.deps.quota.getUsage(projectId)]);
    return { limits, usage };
  }

  async defaults(auth: CallerContext): Promise<QuotaValues> {
    authorize(this.deps, auth, 'os_compute_api:os-quota-sets:defaults');
    return this.deps.quota.getDefaults();
  }

  /** Sets the project's limits; without `force` a limit below usage is 400, as Nova. */
  async update(auth: CallerContext, projectId: string, limits: Partial<QuotaValues>, force: boolean): Promise<QuotaValues> {
    authorize(this.deps, auth, 'os_compute_api:os-quota-sets:update', { project_id: projectId });
    for (const [resource, limit] of Object.entries(limits) as Array<[QuotaResource, number]>) {
      await this.deps.quota.setLimit(projectId, resource, limit, { checkUsage: !force });
    }
    return this.deps.quota.getLimits(projectId);
  }

  async reset(auth: CallerContext, projectId: string): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-quota-sets:delete', { project_id: projectId });
    await this.deps.quota.resetLimit(projectId);
  }

  /** Quota classes: only `default` exists (Nova ignores others since Train), backed by the engine's defaults. */
  async classDefaults(auth: CallerContext, rule: 'show' | 'update'): Promise<QuotaValues> {
    authorize(this.deps, auth, `os_compute_api:os-quota-class-sets:${rule}`);
    return this.deps.quota.getDefaults();
  }

  async updateClass(auth: CallerContext, limits: Partial<QuotaValues>): Promise<QuotaValues> {
    authorize(this.deps, auth, 'os_compute_api:os-quota-class-sets:update');
    for (const [resource, limit] of Object.entries(limits) as Array<[QuotaResource, number]>) await this.deps.quota.setDefault(resource, limit);
    return this.deps.quota.getDefaults();
  }

  /** GET /limits: the caller's project (or another for admins with tenant_id). */
  async limits(auth: CallerContext, projectId?: string): Promise<{ limits: QuotaValues; usage: QuotaValues }> {
    authorize(this.deps, auth, 'os_compute_api:limits');
    const target = projectId ?? callerProject(auth);
    if (target !== auth.project?.id) authorize(this.deps, auth, 'os_compute_api:limits:other_project', { project_id: target });
    const [limits, usage] = await Promise.all([this.deps.quota.getLimits(target), this.deps.quota.getUsage(target)]);
    return { limits, usage };
  }

  /**
   * A quota update's limits as numbers. The route schema admits only the
   * version's resources, as integers from -1 to db.MAX_INT or strings of
   * digits, whose range Nova's validator checks too: here.
   */
  parse(limits: Partial<Record<QuotaResource, number | string>>): Partial<QuotaValues> {
    const out: Partial<QuotaValues> = {};
    for (const [key, value] of Object.entries(limits) as Array<[QuotaResource, number | string]>) {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < -1 || n > MAX_QUOTA) throw requestErrors.invalidValue(key, String(value));
      out[key] = n;
    }
    return out;
  }
}
