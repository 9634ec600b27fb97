/**
 * The quota engine: per project and per resource, atomic check-and-reserve.
 *
 * Each service registers its resources with default limits and gets a
 * `ServiceQuota` bound to its name, so `instances` of compute and `volumes`
 * of block storage never collide. A limit is the first of: the project's own
 * limit, the operator's default (Nova's "default" quota class), the
 * registered default. -1 means unlimited.
 *
 * Usage is a counter per project and resource, changed in the caller's
 * transaction together with the resource row, so a crash leaves both or
 * neither. (Nova since Pike counts the resources instead and re-checks after
 * creating them, which lets concurrent requests overshoot briefly; a counter
 * changed by one conditional UPDATE never does.) A counter that drifted, e.g.
 * after a manual database edit, is rebuilt from the resources with `sync`.
 *
 * Lowering a limit below the current usage is allowed, as Cinder does by
 * default and Nova and Neutron do with `force` / without `check_limit`:
 * existing resources stay, new reservations fail until usage drops under the
 * limit, and releases always succeed. A service whose API refuses such
 * updates (Nova without `force`) passes `{ checkUsage: true }`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { BadRequest, QuotaExceeded } from '../errors.js';
import * as store from './store.js';

/** Limits or usage by resource name. */
export type QuotaValues<R extends string> = Record<R, number>;

/** One resource's limit and use, as the services' quota-detail answers give them (-1 limit: unlimited). */
export interface QuotaUse {
  limit: number;
  inUse: number;
  reserved: number;
}

export class QuotaEngine {
  readonly #services = new Set<string>();

  constructor(private readonly db: Database) {}

  /** Declares a service's resources and their default limits (-1: unlimited). */
  register<R extends string>(service: string, defaults: QuotaValues<R>): ServiceQuota<R> {
    if (this.#services.has(service)) throw new Error(`Quotas of ${service} are already registered`);
    for (const [resource, limit] of Object.entries<number>(defaults)) checkLimit(resource, limit);
    this.#services.add(service);
    return new ServiceQuota(store.quotaTables(this.db.kysely), service, defaults);
  }
}

export class ServiceQuota<R extends string> {
  readonly resources: readonly R[];

  constructor(
    private readonly db: store.QuotaDb,
    readonly service: string,
    private readonly registered: QuotaValues<R>,
  ) {
    this.resources = Object.keys(registered) as R[];
  }

  /** The defaults every project without its own limit gets: registered, or as the operator set them. */
  async getDefaults(): Promise<QuotaValues<R>> {
    const overrides = await store.defaultLimits(this.db, this.service);
    return this.#values((r) => overrides.get(r) ?? this.registered[r]);
  }

  async setDefault(resource: R, limit: number): Promise<void> {
    this.#checkResource(resource);
    checkLimit(resource, limit);
    await store.setDefaultLimit(this.db, this.service, resource, limit);
  }

  /** The limits in force for the project. */
  async getLimits(projectId: string): Promise<QuotaValues<R>> {
    return this.#limits(this.db, projectId);
  }

  /**
   * Sets the project's own limit. With `checkUsage` a limit below the current
   * usage is refused (400, as Nova without `force`); otherwise it is stored.
   */
  async setLimit(projectId: string, resource: R, limit: number, options: { checkUsage?: boolean } = {}): Promise<void> {
    this.#checkResource(resource);
    checkLimit(resource, limit);
    const key = { projectId, service: this.service, resource };
    if (options.checkUsage && limit !== -1) {
      const inUse = await store.usageOf(this.db, key);
      if (limit < inUse) {
        throw new BadRequest(`Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${inUse}.`);
      }
    }
    await store.setProjectLimit(this.db, key, limit);
  }

  /** Projects that have a limit of their own (Neutron's `GET /v2.0/quotas` lists them). */
  async projectsWithOwnLimits(): Promise<string[]> {
    return store.projectsWithLimits(this.db, this.service);
  }

  /** Drops the project's own limit for `resource` (all resources when omitted): the defaults apply again. */
  async resetLimit(projectId: string, resource?: R): Promise<void> {
    if (resource !== undefined) this.#checkResource(resource);
    await store.deleteProjectLimits(this.db, projectId, this.service, resource === undefined ? [...this.resources] : [resource]);
  }

  /** Usage per resource, 0 for resources never used. */
  async getUsage(projectId: string): Promise<QuotaValues<R>> {
    const inUse = await store.usage(this.db, projectId, this.service);
    return this.#values((r) => inUse.get(r) ?? 0);
  }

  /**
   * Adds `deltas` to the project's usage inside the caller's transaction, or
   * throws `QuotaExceeded` for the first resource (by name) that would go over
   * its limit, leaving the usage as it was. Resources are taken in name order
   * so that concurrent transactions lock usage rows in the same order.
   *
   * `limitsOf` names another project whose limits apply to this counter: a
   * resource counted per user but limited per project (Nova's key_pairs)
   * keeps its counter under a user key and takes the project's limit.
   *
   * `unchecked` counts without refusing: what a service makes on its own for
   * a project (Neutron's DHCP and router interface ports, a project's default
   * security group) is in its usage, yet no limit stops the service making it.
   */
  async reserve<DB>(
    trx: Kysely<DB> | Transaction<DB>,
    projectId: string,
    deltas: Partial<QuotaValues<R>>,
    options: { limitsOf?: string; unchecked?: boolean } = {},
  ): Promise<void> {
    const changes = this.#changes(deltas);
    if (changes.length === 0) return;
    const db = store.quotaTables(trx);
    const limits = await this.#limits(db, options.limitsOf ?? projectId);
    const done: Array<[R, number]> = [];
    for (const [resource, delta] of changes) {
      const key = { projectId, service: this.service, resource };
      const limit = limits[resource];
      if (!(await store.increment(db, key, delta, limit === -1 || options.unchecked ? null : limit))) {
        const inUse = await store.usageOf(db, key);
        // Undo here too, so a caller that catches the error and commits leaks nothing.
        for (const [r, d] of done) await store.decrement(db, { projectId, service: this.service, resource: r }, d);
        throw new QuotaExceeded(resource, limit, inUse, delta);
      }
      done.push([resource, delta]);
    }
  }

  /** Gives usage back inside the caller's transaction; a counter never goes below 0. */
  async release<DB>(trx: Kysely<DB> | Transaction<DB>, projectId: string, deltas: Partial<QuotaValues<R>>): Promise<void> {
    const db = store.quotaTables(trx);
    for (const [resource, delta] of this.#changes(deltas)) {
      await store.decrement(db, { projectId, service: this.service, resource }, delta);
    }
  }

  /**
   * Sets the usage to `actualCount`, counted from the resources themselves
   * (after a crash, or from `nimbus manage`). Count and call in one
   * transaction, with no creation running for the project, or the count
   * may miss a concurrent change.
   */
  async sync<DB>(trx: Kysely<DB> | Transaction<DB>, projectId: string, resource: R, actualCount: number): Promise<void> {
    this.#checkResource(resource);
    if (!Number.isInteger(actualCount) || actualCount < 0) throw new RangeError(`Usage of ${resource} must be a non-negative integer`);
    await store.setUsage(store.quotaTables(trx), { projectId, service: this.service, resource }, actualCount);
  }

  async #limits(db: store.QuotaDb, projectId: string): Promise<QuotaValues<R>> {
    const [defaults, own] = await Promise.all([store.defaultLimits(db, this.service), store.projectLimits(db, projectId, this.service)]);
    return this.#values((r) => own.get(r) ?? defaults.get(r) ?? this.registered[r]);
  }

  /** The non-zero deltas in name order; a negative or fractional delta is a bug of the caller. */
  #changes(deltas: Partial<QuotaValues<R>>): Array<[R, number]> {
    for (const resource of Object.keys(deltas)) this.#checkResource(resource);
    const changes: Array<[R, number]> = [];
    for (const resource of [...this.resources].sort()) {
      const delta = deltas[resource];
      if (delta === undefined || delta === 0) continue;
      if (!Number.isInteger(delta) || delta < 0) throw new RangeError(`Quota delta for ${resource} must be a non-negative integer, got ${delta}`);
      changes.push([resource, delta]);
    }
    return changes;
  }

  /** API input reaches here as plain strings, so an unknown name is the client's error. */
  #checkResource(resource: string): asserts resource is R {
    if (!(this.resources as readonly string[]).includes(resource)) {
      throw new BadRequest(`Unknown quota resource "${resource}" for ${this.service}; known: ${this.resources.join(', ')}.`);
    }
  }

  #values(value: (resource: R) => number): QuotaValues<R> {
    return Object.fromEntries(this.resources.map((r) => [r, value(r)])) as QuotaValues<R>;
  }
}

function checkLimit(resource: string, limit: number): void {
  if (!Number.isInteger(limit) || limit < -1) {
    throw new BadRequest(`Quota limit for ${resource} must be an integer of -1 (unlimited) or more, got ${limit}.`);
  }
}
