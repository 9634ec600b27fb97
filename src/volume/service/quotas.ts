/**
 * Cinder's quotas over the core quota engine: reservations that fail with
 * Cinder's 413 messages, and the `os-quota-sets` operations (show, with
 * usage, defaults, update, delete).
 *
 * Per-type quotas, as Cinder keeps them: `volumes_<type>`, `gigabytes_<type>`
 * and `snapshots_<type>` for every volume type (by name), unlimited (-1)
 * unless set. The engine knows a fixed set of resources, so these go
 * straight to its tables under the same service name, changed in the same
 * transaction as the totals: a volume takes its type's quota and the
 * project's, or neither.
 */
import type { Kysely, Transaction } from 'kysely';
import { QuotaExceeded } from '../../core/errors.js';
import * as quotaStore from '../../core/quota/store.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { VolumeContext } from './context.js';
import { QUOTA_RESOURCES, type QuotaResource, type VolumeDeps } from './deps.js';

type Trx<DB> = Kysely<DB> | Transaction<DB>;

export interface QuotaUsage {
  limit: number;
  in_use: number;
  reserved: number;
  allocated: number;
}

/** The resources Cinder also counts per volume type. */
const PER_TYPE = ['volumes', 'gigabytes', 'snapshots'] as const;
/** Per-type quotas are unlimited until set (Cinder's default for them). */
const PER_TYPE_DEFAULT = -1;

type Deltas = Partial<Record<QuotaResource, number>>;

/** Keys cinderclient sends in a quota set beside the limits (`tenant_id` always); Cinder skips them. */
const NON_QUOTA_KEYS = new Set(['tenant_id', 'id']);

export class QuotaOps {
  constructor(private readonly deps: VolumeDeps) {}

  get #service(): string {
    return this.deps.quota.service;
  }

  /**
   * Refuses a volume size above per_volume_gigabytes. Called before the
   * transaction: SQLite has one connection, so a read outside a transaction
   * that is open would wait for it forever.
   */
  async checkVolumeSize(projectId: string, size: number): Promise<void> {
    const limits = await this.deps.quota.getLimits(projectId);
    if (limits.per_volume_gigabytes >= 0 && size > limits.per_volume_gigabytes) throw errors.volumeSizeLimit(size, limits.per_volume_gigabytes);
  }

  /** Reserves one volume of `size` GiB of type `typeId`. */
  async reserveVolume<DB>(trx: Trx<DB>, projectId: string, size: number, typeId: string): Promise<void> {
    await this.#reserve(trx, projectId, { volumes: 1, gigabytes: size }, typeId);
  }

  async reserveSnapshot<DB>(trx: Trx<DB>, projectId: string, size: number, typeId: string): Promise<void> {
    await this.reserveSnapshots(trx, projectId, 1, size, typeId);
  }

  /** `count` snapshots of `size` GiB in all (a transfer moves a volume's snapshots with it). */
  async reserveSnapshots<DB>(trx: Trx<DB>, projectId: string, count: number, size: number, typeId: string): Promise<void> {
    await this.#reserve(trx, projectId, { snapshots: count, gigabytes: size }, typeId);
  }

  async reserveGroup<DB>(trx: Trx<DB>, projectId: string): Promise<void> {
    await this.#reserve(trx, projectId, { groups: 1 }, null);
  }

  async reserveBackup<DB>(trx: Trx<DB>, projectId: string, size: number): Promise<void> {
    await this.#reserve(trx, projectId, { backups: 1, backup_gigabytes: size }, null);
  }

  async reserveGigabytes<DB>(trx: Trx<DB>, projectId: string, size: number, typeId: string): Promise<void> {
    await this.#reserve(trx, projectId, { gigabytes: size }, typeId);
  }

  /** Gives back usage; with `typeId`, the type's share of volumes, gigabytes and snapshots too. */
  async release<DB>(trx: Trx<DB>, projectId: string, deltas: Deltas, typeId: string | null = null): Promise<void> {
    await this.deps.quota.release(trx, projectId, deltas);
    const db = quotaStore.quotaTables(trx);
    for (const [resource, delta] of await this.#typed(trx, deltas, typeId)) {
      await quotaStore.decrement(db, { projectId, service: this.#service, resource }, delta);
    }
  }

  /**
   * Moves a volume's volumes and gigabytes from its old type's quota to the
   * new one's (retype). The rows are changed in name order whichever way the
   * move goes, as every other reservation takes them: two opposite retypes at
   * once then wait for each other instead of deadlocking on PostgreSQL.
   */
  async moveType<DB>(trx: Trx<DB>, projectId: string, size: number, fromTypeId: string, toTypeId: string): Promise<void> {
    const deltas = { volumes: 1, gigabytes: size };
    const db = quotaStore.quotaTables(trx);
    const limitOf = await this.#typedLimits(db, projectId);
    const moves = [
      ...(await this.#typed(trx, deltas, toTypeId)).map(([resource, delta]) => ({ resource, delta, take: true })),
      ...(await this.#typed(trx, deltas, fromTypeId)).map(([resource, delta]) => ({ resource, delta, take: false })),
    ].sort((a, b) => a.resource.localeCompare(b.resource));
    for (const { resource, delta, take } of moves) {
      const key = { projectId, service: this.#service, resource };
      if (!take) {
        await quotaStore.decrement(db, key, delta);
        continue;
      }
      const limit = limitOf(resource);
      // Over the limit the error ends the caller's transaction, which undoes what this loop changed.
      if (!(await quotaStore.increment(db, key, delta, limit === -1 ? null : limit))) {
        asCinderError(new QuotaExceeded(resource, limit, await quotaStore.usageOf(db, key), delta));
      }
    }
  }

  async show(ctx: VolumeContext, projectId: string, usage: boolean): Promise<Record<string, number | QuotaUsage>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quotas:show', { project_id: projectId });
    const limits = await this.#limits(projectId);
    if (!usage) return limits;
    const used = await quotaStore.usage(quotaStore.quotaTables(this.deps.db), projectId, this.#service);
    return Object.fromEntries(Object.entries(limits).map(([r, limit]) => [r, { limit, in_use: used.get(r) ?? 0, reserved: 0, allocated: 0 }]));
  }

  async defaults(ctx: VolumeContext, projectId: string): Promise<Record<string, number>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quotas:show', { project_id: projectId });
    return this.#defaultLimits();
  }

  async #defaultLimits(): Promise<Record<string, number>> {
    const defaults = await this.deps.quota.getDefaults();
    const overrides = await quotaStore.defaultLimits(quotaStore.quotaTables(this.deps.db), this.#service);
    const typed = (await this.#typeResources()).map((r) => [r, overrides.get(r) ?? PER_TYPE_DEFAULT]);
    return { ...defaults, ...Object.fromEntries(typed) };
  }

  async update(ctx: VolumeContext, projectId: string, body: Record<string, unknown>): Promise<Record<string, number>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quotas:update', { project_id: projectId });
    const typed = new Set(await this.#typeResources());
    const changes = parseLimits(body, typed);
    const db = quotaStore.quotaTables(this.deps.db);
    for (const [resource, limit] of changes) {
      if (typed.has(resource)) await quotaStore.setProjectLimit(db, { projectId, service: this.#service, resource }, limit);
      else await this.deps.quota.setLimit(projectId, resource as QuotaResource, limit);
    }
    return this.#limits(projectId);
  }

  /**
   * A quota class's limits. The `default` class is the defaults every
   * project starts from; Nimbus keeps no other class (projects never use
   * one), so another name reads as the defaults too, as an unset class does in Cinder.
   */
  async classLimits(ctx: VolumeContext): Promise<Record<string, number>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quota_classes');
    return this.#defaultLimits();
  }

  /** Changes the `default` class: the defaults of every project without its own limits. */
  async updateDefaults(ctx: VolumeContext, body: Record<string, unknown>): Promise<Record<string, number>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quota_classes');
    const typed = new Set(await this.#typeResources());
    for (const [resource, limit] of parseLimits(body, typed)) {
      if (typed.has(resource)) await quotaStore.setDefaultLimit(quotaStore.quotaTables(this.deps.db), this.#service, resource, limit);
      else await this.deps.quota.setDefault(resource as QuotaResource, limit);
    }
    return this.#defaultLimits();
  }

  async reset(ctx: VolumeContext, projectId: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:quotas:delete', { project_id: projectId });
    await this.deps.quota.resetLimit(projectId);
    await quotaStore.deleteProjectLimits(quotaStore.quotaTables(this.deps.db), projectId, this.#service, await this.#typeResources());
  }

  /** The project's limits, per-type ones included. */
  async #limits(projectId: string): Promise<Record<string, number>> {
    const db = quotaStore.quotaTables(this.deps.db);
    const [limits, own, defaults] = await Promise.all([
      this.deps.quota.getLimits(projectId),
      quotaStore.projectLimits(db, projectId, this.#service),
      quotaStore.defaultLimits(db, this.#service),
    ]);
    const typed = (await this.#typeResources()).map((r) => [r, own.get(r) ?? defaults.get(r) ?? PER_TYPE_DEFAULT]);
    return { ...limits, ...Object.fromEntries(typed) };
  }

  /** `volumes_<type>`, `gigabytes_<type>`, `snapshots_<type>` of every type, in Cinder's order. */
  async #typeResources(): Promise<string[]> {
    const types = await store.listTypes(this.deps.db, null, null);
    return PER_TYPE.flatMap((r) => types.map((t) => `${r}_${t.name}`));
  }

  /** The per-type resources and deltas of `deltas` for the type `typeId`. */
  async #typed<DB>(trx: Trx<DB>, deltas: Deltas, typeId: string | null): Promise<Array<[string, number]>> {
    if (typeId === null) return [];
    const type = await store.getType(trx as unknown as store.VolumeDb, typeId);
    if (!type) return [];
    return PER_TYPE.filter((r) => (deltas[r] ?? 0) > 0).map((r) => [`${r}_${type.name}`, deltas[r] as number]);
  }

  async #reserve<DB>(trx: Trx<DB>, projectId: string, deltas: Deltas, typeId: string | null): Promise<void> {
    await this.deps.quota.reserve(trx, projectId, deltas).catch(asCinderError);
    await this.#reserveTyped(trx, projectId, await this.#typed(trx, deltas, typeId)).catch(async (error: unknown) => {
      // The totals were taken: give them back so a caller that commits anyway leaks nothing.
      await this.deps.quota.release(trx, projectId, deltas);
      asCinderError(error);
    });
  }

  /** The project's limit of each per-type resource: its own, else the operator default, else unlimited. */
  async #typedLimits(db: quotaStore.QuotaDb, projectId: string): Promise<(resource: string) => number> {
    const [own, defaults] = await Promise.all([quotaStore.projectLimits(db, projectId, this.#service), quotaStore.defaultLimits(db, this.#service)]);
    return (resource) => own.get(resource) ?? defaults.get(resource) ?? PER_TYPE_DEFAULT;
  }

  /** Takes per-type usage under each resource's limit, all or none (QuotaExceeded for the first over). */
  async #reserveTyped<DB>(trx: Trx<DB>, projectId: string, changes: Array<[string, number]>): Promise<void> {
    const db = quotaStore.quotaTables(trx);
    const limitOf = await this.#typedLimits(db, projectId);
    const done: Array<[string, number]> = [];
    for (const [resource, delta] of changes.sort(([a], [b]) => a.localeCompare(b))) {
      const key = { projectId, service: this.#service, resource };
      const limit = limitOf(resource);
      if (!(await quotaStore.increment(db, key, delta, limit === -1 ? null : limit))) {
        const inUse = await quotaStore.usageOf(db, key);
        for (const [r, d] of done) await quotaStore.decrement(db, { projectId, service: this.#service, resource: r }, d);
        throw new QuotaExceeded(resource, limit, inUse, delta);
      }
      done.push([resource, delta]);
    }
  }
}

/** A quota set's limits by resource, checked as Cinder does (known resources, integers of -1 or more). */
function parseLimits(body: Record<string, unknown>, typed: Set<string>): Array<[string, number]> {
  const changes: Array<[string, number]> = [];
  for (const [key, value] of Object.entries(body)) {
    if (NON_QUOTA_KEYS.has(key)) continue;
    if (!(QUOTA_RESOURCES as readonly string[]).includes(key) && !typed.has(key)) throw errors.invalidInput(`Bad key(s) in quota set: ${key}`);
    const limit = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1) {
      throw errors.invalidInput(`Quota limit ${String(value)} for ${key} must be an integer of -1 or greater.`);
    }
    changes.push([key, limit]);
  }
  return changes;
}

/** The engine's QuotaExceeded as Cinder's 413 (VolumeSizeExceedsAvailableQuota, VolumeLimitExceeded, ...). */
function asCinderError(error: unknown): never {
  if (!(error instanceof QuotaExceeded)) throw error;
  if (error.resource.includes('gigabytes')) throw errors.gigabytesQuota(error.resource, error.requested, error.limit, error.inUse);
  if (error.resource === 'groups') throw errors.groupQuota(error.limit);
  const what = error.resource.startsWith('snapshots') ? 'snapshots' : error.resource.startsWith('volumes') ? 'volumes' : 'backups';
  throw errors.countQuota(what, error.limit, error.resource);
}
