/**
 * Cinder's quotas over the core quota engine: reservations that fail with
 * Cinder's 413 messages, and the `os-quota-sets` operations (show, with
 * usage, defaults, update, delete).
 */
import type { Kysely, Transaction } from 'kysely';
import { QuotaExceeded } from '../../core/errors.js';
import { errors } from '../errors.js';
import { enforce, type VolumeContext } from './context.js';
import { QUOTA_RESOURCES, type QuotaResource, type VolumeDeps } from './deps.js';

type Trx<DB> = Kysely<DB> | Transaction<DB>;

export interface QuotaUsage {
  limit: number;
  in_use: number;
  reserved: number;
  allocated: number;
}

export class QuotaOps {
  constructor(private readonly deps: VolumeDeps) {}

  /**
   * Refuses a volume size above per_volume_gigabytes. Called before the
   * transaction: SQLite has one connection, so a read outside a transaction
   * that is open would wait for it forever.
   */
  async checkVolumeSize(projectId: string, size: number): Promise<void> {
    const limits = await this.deps.quota.getLimits(projectId);
    if (limits.per_volume_gigabytes >= 0 && size > limits.per_volume_gigabytes) throw errors.volumeSizeLimit(size, limits.per_volume_gigabytes);
  }

  /** Reserves one volume of `size` GiB. */
  async reserveVolume<DB>(trx: Trx<DB>, projectId: string, size: number): Promise<void> {
    await this.#reserve(trx, projectId, { volumes: 1, gigabytes: size });
  }

  async reserveSnapshot<DB>(trx: Trx<DB>, projectId: string, size: number): Promise<void> {
    await this.#reserve(trx, projectId, { snapshots: 1, gigabytes: size });
  }

  async reserveBackup<DB>(trx: Trx<DB>, projectId: string, size: number): Promise<void> {
    await this.#reserve(trx, projectId, { backups: 1, backup_gigabytes: size });
  }

  async reserveGigabytes<DB>(trx: Trx<DB>, projectId: string, size: number): Promise<void> {
    await this.#reserve(trx, projectId, { gigabytes: size });
  }

  async release<DB>(trx: Trx<DB>, projectId: string, deltas: Partial<Record<QuotaResource, number>>): Promise<void> {
    await this.deps.quota.release(trx, projectId, deltas);
  }

  async show(ctx: VolumeContext, projectId: string, usage: boolean): Promise<Record<string, number | QuotaUsage>> {
    enforce(this.deps, ctx, 'volume_extension:quotas:show', projectId);
    const limits = await this.deps.quota.getLimits(projectId);
    if (!usage) return { ...limits };
    const used = await this.deps.quota.getUsage(projectId);
    return Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, { limit: limits[r], in_use: used[r], reserved: 0, allocated: 0 }]));
  }

  async defaults(ctx: VolumeContext, projectId: string): Promise<Record<QuotaResource, number>> {
    enforce(this.deps, ctx, 'volume_extension:quotas:show', projectId);
    return this.deps.quota.getDefaults();
  }

  async update(ctx: VolumeContext, projectId: string, body: Record<string, unknown>): Promise<Record<QuotaResource, number>> {
    enforce(this.deps, ctx, 'volume_extension:quotas:update', projectId);
    const changes: Array<[QuotaResource, number]> = [];
    for (const [key, value] of Object.entries(body)) {
      if (!(QUOTA_RESOURCES as readonly string[]).includes(key)) throw errors.invalidInput(`Bad key(s) in quota set: ${key}`);
      const limit = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1) {
        throw errors.invalidInput(`Quota limit ${String(value)} for ${key} must be an integer of -1 or greater.`);
      }
      changes.push([key as QuotaResource, limit]);
    }
    for (const [resource, limit] of changes) await this.deps.quota.setLimit(projectId, resource, limit);
    return this.deps.quota.getLimits(projectId);
  }

  async reset(ctx: VolumeContext, projectId: string): Promise<void> {
    enforce(this.deps, ctx, 'volume_extension:quotas:delete', projectId);
    await this.deps.quota.resetLimit(projectId);
  }

  async #reserve<DB>(trx: Trx<DB>, projectId: string, deltas: Partial<Record<QuotaResource, number>>): Promise<void> {
    try {
      await this.deps.quota.reserve(trx, projectId, deltas);
    } catch (error) {
      if (!(error instanceof QuotaExceeded)) throw error;
      if (error.resource === 'gigabytes' || error.resource === 'backup_gigabytes') {
        throw errors.gigabytesQuota(error.resource, error.requested, error.limit, error.inUse);
      }
      const what = error.resource as 'volumes' | 'snapshots' | 'backups';
      throw errors.countQuota(what, error.limit, error.resource);
    }
  }
}
