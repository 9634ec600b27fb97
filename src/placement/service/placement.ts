/**
 * The placement service: every operation the REST API and other services
 * (compute) call. Writes follow Placement's concurrency model: each change to
 * a provider ends with a compare-and-swap of its generation, taken under a row
 * lock (PostgreSQL `FOR UPDATE`, in uuid order; SQLite serialises write
 * transactions on its one connection), and a transaction that loses a race
 * (generation moved, deadlock, serialisation failure, busy database,
 * duplicate insert) is retried from the start with fresh reads.
 */
import { randomUUID } from 'node:crypto';
import type { Dialect } from '../../core/db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../core/db/constraint-errors.js';
import { BadRequest, Conflict, NotFound } from '../../core/errors.js';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from '../data/standard-names.js';
import { placementErrors } from '../errors.js';
import type {
  Candidate,
  CandidateRequest,
  ClaimRequest,
  Inventory,
  PlacementOperations,
  ResourceAmounts,
  ResourceProviderSpec,
} from '../operations.js';
import {
  aggregatesOf,
  allocationsOfConsumers,
  bumpGeneration,
  capacityOf,
  chunks,
  getProviderRow,
  inventoriesOf,
  lockConsumers,
  lockProviders,
  membersOf,
  num,
  replaceMembers,
  searchProviders,
  traitsOf,
  type ConsumerRow,
  type InventoryRecord,
  type MemberTable,
  type PlacementDb,
  type ProviderFilter,
  type ProviderRow,
} from '../store/index.js';

export interface PlacementServiceOptions {
  /** Placement's `[placement] randomize_allocation_candidates`. */
  randomizeAllocationCandidates?: boolean;
}

/** A lost compare-and-swap: the transaction is retried. */
class RetryTransaction extends Error {}

/** A reshape whose final state does not fit: thrown to roll the transaction back. */
class RefusedReshape extends Error {
  constructor(readonly outcome: WriteOutcome) {
    super('reshape refused');
  }
}

const MAX_ATTEMPTS = 30;

const STANDARD_CLASS_SET = new Set(STANDARD_RESOURCE_CLASSES);
const STANDARD_TRAIT_SET = new Set(STANDARD_TRAITS);

export const CUSTOM_NAME = /^CUSTOM_[A-Z0-9_]+$/;

/** One consumer's full set of allocations in a write (PUT /allocations/{c}, POST /allocations, claim). */
export interface AllocationWrite {
  consumerUuid: string;
  projectId?: string;
  userId?: string;
  consumerType?: string | null;
  allocations: Record<string, ResourceAmounts>;
  /**
   * Consumer generation the caller last saw (1.28): `null` = the consumer must
   * not exist yet; undefined = no check (claims from other services, older
   * microversions).
   */
  expectedGeneration?: number | null;
}

export type WriteOutcome =
  | { ok: true }
  | { ok: false; reason: 'capacity' | 'no_inventory' | 'constraints'; message: string };

export interface InventoryView {
  generation: number;
  inventories: Record<string, Required<Inventory>>;
}

export interface ProviderUsage {
  generation: number;
  usages: ResourceAmounts;
}

export interface ConsumerAllocations {
  allocations: Record<string, { generation: number; resources: ResourceAmounts }>;
  projectId: string | null;
  userId: string | null;
  consumerGeneration: number | null;
  consumerType: string | null;
}

export interface CandidateProvider {
  uuid: string;
  parentProviderUuid: string | null;
  rootProviderUuid: string;
  generation: number;
}

export class PlacementService implements PlacementOperations {
  constructor(
    readonly db: PlacementDb,
    readonly dialect: Dialect,
    readonly options: PlacementServiceOptions = {},
  ) {}

  // --- transactions ---------------------------------------------------------

  /** Runs `body` in a transaction, again from scratch when it lost a race. */
  async write<T>(body: (trx: PlacementDb) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(body);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) {
          if (error instanceof RetryTransaction) throw placementErrors.generationConflict();
          throw error;
        }
        // Jittered back-off so the losers do not collide again in lock-step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
      }
    }
  }

  // --- providers ------------------------------------------------------------

  async getProvider(uuid: string): Promise<ProviderRow> {
    const row = await getProviderRow(this.db, uuid);
    if (!row) throw placementErrors.providerNotFound(uuid);
    return row;
  }

  async findProvider(uuid: string): Promise<ProviderRow | null> {
    return getProviderRow(this.db, uuid);
  }

  async listProviders(filter: ProviderFilter): Promise<ProviderRow[]> {
    return searchProviders(this.db, filter, { dialect: this.dialect });
  }

  /** POST /resource_providers: 409 on a duplicate name or uuid; 400 on an unknown parent. */
  async createProvider(spec: { uuid?: string; name: string; parentProviderUuid?: string | null }): Promise<ProviderRow> {
    const uuid = spec.uuid ?? randomUUID();
    return this.write(async (trx) => {
      if (await getProviderRow(trx, uuid)) throw placementErrors.duplicateProvider('uuid', uuid);
      const byName = await trx.selectFrom('placement_resource_provider').select('uuid').where('name', '=', spec.name).executeTakeFirst();
      if (byName) throw placementErrors.duplicateProvider('name', spec.name);
      let root = uuid;
      if (spec.parentProviderUuid) {
        const parent = (await lockProviders(trx, this.dialect, [spec.parentProviderUuid])).get(spec.parentProviderUuid);
        if (!parent) throw new BadRequest(`parent provider UUID ${spec.parentProviderUuid} does not exist.`);
        root = parent.rootProviderUuid;
      }
      const seq = await trx
        .selectFrom('placement_resource_provider')
        .select((eb) => eb.fn.max('seq').as('max'))
        .executeTakeFirst();
      const now = new Date().toISOString();
      try {
        await trx
          .insertInto('placement_resource_provider')
          .values({
            uuid,
            seq: num(seq?.max as number | string | null) + 1,
            name: spec.name,
            generation: 0,
            parent_provider_uuid: spec.parentProviderUuid ?? null,
            root_provider_uuid: root,
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (error) {
        // A concurrent create with the same uuid or name: tell it apart on retry.
        if (isUniqueViolation(error)) throw new RetryTransaction();
        throw error;
      }
      return { uuid, name: spec.name, generation: 0, parentProviderUuid: spec.parentProviderUuid ?? null, rootProviderUuid: root, seq: 0 };
    });
  }

  /**
   * PUT /resource_providers/{uuid}: a new name and (1.14+) parent. A parent may
   * be set where there was none; from 1.37 it may change or be removed, as
   * long as the provider does not end up under its own descendant.
   */
  async updateProvider(
    uuid: string,
    update: { name: string; parentProviderUuid?: string | null; allowReparent?: boolean },
  ): Promise<ProviderRow> {
    return this.write(async (trx) => {
      const current = (await lockProviders(trx, this.dialect, [uuid])).get(uuid);
      if (!current) throw placementErrors.providerNotFound(uuid);
      if (update.name !== current.name) {
        const byName = await trx.selectFrom('placement_resource_provider').select('uuid').where('name', '=', update.name).executeTakeFirst();
        if (byName) throw placementErrors.duplicateProvider('name', update.name);
      }
      let parent = current.parentProviderUuid;
      let root = current.rootProviderUuid;
      if (update.parentProviderUuid !== undefined && update.parentProviderUuid !== current.parentProviderUuid) {
        if (current.parentProviderUuid !== null && !update.allowReparent) {
          throw new BadRequest('Object action update failed because: re-parenting a provider is not currently allowed.');
        }
        if (update.parentProviderUuid === null) {
          if (!update.allowReparent) throw new BadRequest('Object action update failed because: un-parenting a provider is not currently allowed.');
          parent = null;
          root = uuid;
        } else {
          const target = await getProviderRow(trx, update.parentProviderUuid);
          if (!target) throw new BadRequest(`parent provider UUID ${update.parentProviderUuid} does not exist.`);
          if (await this.isInSubtree(trx, update.parentProviderUuid, uuid)) {
            throw new BadRequest('Object action update failed because: creating loop in the provider tree is not allowed.');
          }
          parent = target.uuid;
          root = target.rootProviderUuid;
        }
      }
      try {
        await trx
          .updateTable('placement_resource_provider')
          .set({ name: update.name, parent_provider_uuid: parent, root_provider_uuid: root, updated_at: new Date().toISOString() })
          .where('uuid', '=', uuid)
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new RetryTransaction();
        throw error;
      }
      if (root !== current.rootProviderUuid) await this.setRootOfSubtree(trx, uuid, root);
      return { ...current, name: update.name, parentProviderUuid: parent, rootProviderUuid: root };
    });
  }

  /** True when `candidate` is `ancestor` or lies below it. */
  private async isInSubtree(trx: PlacementDb, candidate: string, ancestor: string): Promise<boolean> {
    let cursor: string | null = candidate;
    for (let depth = 0; cursor && depth < 1000; depth++) {
      if (cursor === ancestor) return true;
      const row: ProviderRow | null = await getProviderRow(trx, cursor);
      cursor = row?.parentProviderUuid ?? null;
    }
    return false;
  }

  private async setRootOfSubtree(trx: PlacementDb, top: string, root: string): Promise<void> {
    let level = [top];
    while (level.length > 0) {
      for (const part of chunks(level)) {
        await trx.updateTable('placement_resource_provider').set({ root_provider_uuid: root }).where('uuid', 'in', part).execute();
      }
      const next: string[] = [];
      for (const part of chunks(level)) {
        const rows = await trx.selectFrom('placement_resource_provider').select('uuid').where('parent_provider_uuid', 'in', part).execute();
        next.push(...rows.map((r) => r.uuid));
      }
      level = next;
    }
  }

  async ensureProvider(spec: ResourceProviderSpec): Promise<void> {
    const existing = await getProviderRow(this.db, spec.uuid);
    if (!existing) {
      try {
        await this.createProvider({ uuid: spec.uuid, name: spec.name, parentProviderUuid: spec.parentProviderUuid ?? null });
        return;
      } catch (error) {
        // Created meanwhile by a concurrent caller: fall through to the rename.
        if (!(error instanceof Conflict) || !(await getProviderRow(this.db, spec.uuid))) throw error;
      }
    }
    const current = await this.getProvider(spec.uuid);
    const parentChanged = spec.parentProviderUuid !== undefined && spec.parentProviderUuid !== current.parentProviderUuid;
    if (current.name !== spec.name || parentChanged) {
      await this.updateProvider(spec.uuid, {
        name: spec.name,
        ...(parentChanged && { parentProviderUuid: spec.parentProviderUuid ?? null }),
        allowReparent: true,
      });
    }
  }

  async deleteProvider(providerUuid: string): Promise<void> {
    await this.write(async (trx) => {
      const current = (await lockProviders(trx, this.dialect, [providerUuid])).get(providerUuid);
      if (!current) throw placementErrors.providerNotFound(providerUuid);
      const allocation = await trx.selectFrom('placement_allocation').select('consumer_uuid').where('provider_uuid', '=', providerUuid).executeTakeFirst();
      if (allocation) throw placementErrors.providerInUse(providerUuid);
      const child = await trx.selectFrom('placement_resource_provider').select('uuid').where('parent_provider_uuid', '=', providerUuid).executeTakeFirst();
      if (child) throw placementErrors.providerHasChildren(providerUuid);
      try {
        await trx.deleteFrom('placement_resource_provider').where('uuid', '=', providerUuid).execute();
      } catch (error) {
        // An allocation or child arrived after the checks (SQLite never, PostgreSQL rarely).
        if (isForeignKeyViolation(error)) throw new RetryTransaction();
        throw error;
      }
    });
  }

  // --- inventories ----------------------------------------------------------

  async getInventories(providerUuid: string): Promise<InventoryView> {
    const provider = await this.getProvider(providerUuid);
    const inventories = (await inventoriesOf(this.db, [providerUuid])).get(providerUuid) ?? new Map();
    return { generation: provider.generation, inventories: Object.fromEntries([...inventories].map(([rc, inv]) => [rc, stripUsed(inv)])) };
  }

  async setInventories(providerUuid: string, inventories: Record<string, Inventory>, expectedGeneration?: number): Promise<void> {
    await this.replaceInventories(providerUuid, inventories, expectedGeneration);
  }

  /** PUT /resource_providers/{uuid}/inventories: returns the new generation. */
  async replaceInventories(providerUuid: string, inventories: Record<string, Inventory>, expectedGeneration?: number): Promise<number> {
    const normalized = Object.fromEntries(Object.entries(inventories).map(([rc, inv]) => [rc, normalizeInventory(providerUuid, rc, inv)]));
    await this.requireResourceClasses(Object.keys(normalized));
    return this.changeInventories(providerUuid, expectedGeneration, () => normalized);
  }

  /** PUT .../inventories/{class}: 400 when the provider has no such inventory yet (Placement's rule). */
  async updateInventory(providerUuid: string, resourceClass: string, inventory: Inventory, expectedGeneration?: number): Promise<number> {
    const normalized = normalizeInventory(providerUuid, resourceClass, inventory);
    await this.requireResourceClasses([resourceClass]);
    return this.changeInventories(providerUuid, expectedGeneration, (current) => {
      if (!current.has(resourceClass)) {
        throw new BadRequest(
          `No inventory record with resource class for resource provider ${providerUuid}: No inventory of class ${resourceClass} found for resource provider ${providerUuid}`,
        );
      }
      return { ...Object.fromEntries([...current].map(([rc, inv]) => [rc, stripUsed(inv)])), [resourceClass]: normalized };
    });
  }

  /** POST .../inventories (1.0 - ...): adds one class; 409 if it exists. */
  async addInventory(providerUuid: string, resourceClass: string, inventory: Inventory, expectedGeneration?: number): Promise<number> {
    const normalized = normalizeInventory(providerUuid, resourceClass, inventory);
    await this.requireResourceClasses([resourceClass]);
    return this.changeInventories(providerUuid, expectedGeneration, (current) => {
      if (current.has(resourceClass)) {
        throw new Conflict(`Update conflict: Inventory for ${resourceClass} on resource provider ${providerUuid} already exists.`);
      }
      return { ...Object.fromEntries([...current].map(([rc, inv]) => [rc, stripUsed(inv)])), [resourceClass]: normalized };
    });
  }

  async deleteInventory(providerUuid: string, resourceClass: string, expectedGeneration?: number): Promise<number> {
    return this.changeInventories(providerUuid, expectedGeneration, (current) => {
      if (!current.has(resourceClass)) throw placementErrors.noInventory(providerUuid, resourceClass);
      const next = Object.fromEntries([...current].map(([rc, inv]) => [rc, stripUsed(inv)]));
      delete next[resourceClass];
      return next;
    });
  }

  private async changeInventories(
    providerUuid: string,
    expectedGeneration: number | undefined,
    compute: (current: Map<string, InventoryRecord>) => Record<string, Required<Inventory>>,
  ): Promise<number> {
    return this.changeProvider(providerUuid, expectedGeneration, (trx) => this.writeInventories(trx, providerUuid, compute));
  }

  /** Replaces a (locked) provider's inventory with what `compute` makes of the current one; refuses to drop classes in use. */
  private async writeInventories(
    trx: PlacementDb,
    providerUuid: string,
    compute: (current: Map<string, InventoryRecord>) => Record<string, Required<Inventory>>,
  ): Promise<void> {
    const current = (await inventoriesOf(trx, [providerUuid])).get(providerUuid) ?? new Map<string, InventoryRecord>();
    const next = compute(current);
    const removed = [...current.keys()].filter((rc) => !(rc in next));
    const inUse = removed.filter((rc) => (current.get(rc)?.used ?? 0) > 0);
    if (inUse.length > 0) throw placementErrors.inventoryInUse(providerUuid, inUse);
    if (removed.length > 0) {
      await trx.deleteFrom('placement_inventory').where('provider_uuid', '=', providerUuid).where('resource_class', 'in', removed).execute();
    }
    for (const [rc, inv] of Object.entries(next)) {
      const old = current.get(rc);
      if (old) {
        if (sameInventory(old, inv)) continue;
        await trx
          .updateTable('placement_inventory')
          .set({ ...inv })
          .where('provider_uuid', '=', providerUuid)
          .where('resource_class', '=', rc)
          .execute();
      } else {
        await trx.insertInto('placement_inventory').values({ provider_uuid: providerUuid, resource_class: rc, ...inv, used: 0 }).execute();
      }
    }
  }

  /**
   * One change to one provider: lock it, check the generation the caller saw
   * (when given), change, and bump the generation by compare-and-swap.
   * Returns the new generation.
   */
  private async changeProvider(
    providerUuid: string,
    expectedGeneration: number | undefined,
    change: (trx: PlacementDb) => Promise<void>,
  ): Promise<number> {
    return this.write(async (trx) => {
      const provider = (await lockProviders(trx, this.dialect, [providerUuid])).get(providerUuid);
      if (!provider) throw placementErrors.providerNotFound(providerUuid);
      if (expectedGeneration !== undefined && expectedGeneration !== provider.generation) throw placementErrors.generationConflict();
      await change(trx);
      if (!(await bumpGeneration(trx, providerUuid, provider.generation))) throw new RetryTransaction();
      return provider.generation + 1;
    });
  }

  // --- traits and aggregates on providers -------------------------------------

  async getProviderTraits(providerUuid: string): Promise<{ generation: number; traits: string[] }> {
    const { generation, members } = await this.providerMembers('placement_provider_trait', providerUuid);
    return { generation, traits: members };
  }

  async setTraits(providerUuid: string, traits: string[]): Promise<void> {
    await this.replaceProviderTraits(providerUuid, traits);
  }

  async replaceProviderTraits(providerUuid: string, traits: string[], expectedGeneration?: number): Promise<number> {
    const wanted = [...new Set(traits)];
    await this.requireTraits(wanted);
    return this.changeProvider(providerUuid, expectedGeneration, (trx) => replaceMembers(trx, 'placement_provider_trait', providerUuid, wanted));
  }

  async getProviderAggregates(providerUuid: string): Promise<{ generation: number; aggregates: string[] }> {
    const { generation, members } = await this.providerMembers('placement_provider_aggregate', providerUuid);
    return { generation, aggregates: members };
  }

  async setAggregates(providerUuid: string, aggregates: string[]): Promise<void> {
    await this.replaceProviderAggregates(providerUuid, aggregates);
  }

  async replaceProviderAggregates(providerUuid: string, aggregates: string[], expectedGeneration?: number): Promise<number> {
    const wanted = [...new Set(aggregates)];
    return this.changeProvider(providerUuid, expectedGeneration, (trx) => replaceMembers(trx, 'placement_provider_aggregate', providerUuid, wanted));
  }

  private async providerMembers(table: MemberTable, providerUuid: string): Promise<{ generation: number; members: string[] }> {
    const provider = await this.getProvider(providerUuid);
    return { generation: provider.generation, members: (await membersOf(this.db, table, [providerUuid])).get(providerUuid) ?? [] };
  }

  // --- resource classes and traits --------------------------------------------

  async listResourceClasses(): Promise<string[]> {
    const custom = await this.db.selectFrom('placement_custom_resource_class').select('name').orderBy('name').execute();
    return [...STANDARD_RESOURCE_CLASSES, ...custom.map((r) => r.name)];
  }

  async resourceClassExists(name: string): Promise<boolean> {
    if (STANDARD_CLASS_SET.has(name)) return true;
    return Boolean(await this.db.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst());
  }

  /** Creates a CUSTOM_ class; false when it existed already. */
  async createResourceClass(name: string): Promise<boolean> {
    if (!CUSTOM_NAME.test(name)) throw new BadRequest(`'${name}' does not match '^CUSTOM_[A-Z0-9_]+$'`);
    try {
      await this.db.insertInto('placement_custom_resource_class').values({ name, created_at: new Date().toISOString() }).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** PUT /resource_classes/{name} before 1.7: a custom class changes its name everywhere it is used. */
  async renameResourceClass(name: string, newName: string): Promise<void> {
    if (STANDARD_CLASS_SET.has(name)) throw new BadRequest(`Cannot update standard resource class ${name}`);
    await this.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw new NotFound(`No such resource class ${name}.`);
      if (name === newName) return;
      if (STANDARD_CLASS_SET.has(newName) || (await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', newName).executeTakeFirst())) {
        throw new Conflict(`Resource class already exists: ${newName}`, { type: 'placement.duplicate_name' });
      }
      await trx.updateTable('placement_custom_resource_class').set({ name: newName }).where('name', '=', name).execute();
      await trx.updateTable('placement_inventory').set({ resource_class: newName }).where('resource_class', '=', name).execute();
      await trx.updateTable('placement_allocation').set({ resource_class: newName }).where('resource_class', '=', name).execute();
    });
  }

  async deleteResourceClass(name: string): Promise<void> {
    if (STANDARD_CLASS_SET.has(name)) throw new BadRequest(`Cannot delete standard resource class ${name}: Cannot delete standard resource class.`);
    await this.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw new NotFound(`No such resource class ${name}.`);
      const used = await trx.selectFrom('placement_inventory').select('provider_uuid').where('resource_class', '=', name).executeTakeFirst();
      if (used) throw new Conflict(`Unable to delete resource class ${name}. Class is in use in inventory.`);
      await trx.deleteFrom('placement_custom_resource_class').where('name', '=', name).execute();
    });
  }

  private async requireResourceClasses(names: string[]): Promise<void> {
    for (const name of names) {
      if (!(await this.resourceClassExists(name))) throw placementErrors.unknownResourceClass(name);
    }
  }

  /** Standard and custom traits, filtered as GET /traits does. */
  async listTraits(filter: { names?: string[]; prefix?: string; associated?: boolean } = {}): Promise<string[]> {
    const custom = await this.db.selectFrom('placement_custom_trait').select('name').execute();
    let all = [...STANDARD_TRAITS, ...custom.map((r) => r.name)];
    if (filter.names) {
      const wanted = new Set(filter.names);
      all = all.filter((t) => wanted.has(t));
    }
    if (filter.prefix !== undefined) all = all.filter((t) => t.startsWith(filter.prefix as string));
    if (filter.associated !== undefined) {
      const rows = await this.db.selectFrom('placement_provider_trait').select('trait').distinct().execute();
      const associated = new Set(rows.map((r) => r.trait));
      all = all.filter((t) => associated.has(t) === filter.associated);
    }
    return all.sort();
  }

  async traitExists(name: string): Promise<boolean> {
    if (STANDARD_TRAIT_SET.has(name)) return true;
    return Boolean(await this.db.selectFrom('placement_custom_trait').select('name').where('name', '=', name).executeTakeFirst());
  }

  /** PUT /traits/{name}: true when created, false when it existed. */
  async createTrait(name: string): Promise<boolean> {
    if (STANDARD_TRAIT_SET.has(name)) return false;
    if (!CUSTOM_NAME.test(name)) throw new BadRequest(`The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"`);
    try {
      await this.db.insertInto('placement_custom_trait').values({ name, created_at: new Date().toISOString() }).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async deleteTrait(name: string): Promise<void> {
    if (STANDARD_TRAIT_SET.has(name)) throw new BadRequest(`Cannot delete standard trait ${name}.`);
    await this.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_trait').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw new NotFound(`No such trait(s): ${name}.`);
      const used = await trx.selectFrom('placement_provider_trait').select('provider_uuid').where('trait', '=', name).executeTakeFirst();
      if (used) throw new Conflict(`The trait ${name} is in use by a resource provider.`);
      await trx.deleteFrom('placement_custom_trait').where('name', '=', name).execute();
    });
  }

  private async requireTraits(names: string[]): Promise<void> {
    const missing: string[] = [];
    for (const name of names) if (!(await this.traitExists(name))) missing.push(name);
    if (missing.length > 0) throw placementErrors.unknownTraits(missing);
  }

  // --- allocations ------------------------------------------------------------

  async claim(request: ClaimRequest): Promise<boolean> {
    const outcome = await this.writeAllocations([
      {
        consumerUuid: request.consumerUuid,
        projectId: request.projectId,
        userId: request.userId,
        consumerType: request.consumerType ?? null,
        allocations: withoutZeros(request.allocations),
      },
    ]);
    return outcome.ok;
  }

  /**
   * Replaces every allocation of each consumer in `writes`, all or nothing,
   * checking the capacity of every provider involved. Consumers left without
   * allocations are deleted (their generation starts again), as in Placement.
   */
  async writeAllocations(writes: AllocationWrite[]): Promise<WriteOutcome> {
    return this.write((trx) => this.applyWrites(trx, writes));
  }

  /** Locks the writes' consumers and checks the generations their callers saw. */
  private async lockAndCheckConsumers(trx: PlacementDb, writes: AllocationWrite[]): Promise<Map<string, ConsumerRow>> {
    const consumers = await lockConsumers(trx, this.dialect, writes.map((w) => w.consumerUuid));
    for (const w of writes) {
      if (w.expectedGeneration === undefined) continue;
      const actual = consumers.get(w.consumerUuid)?.generation ?? null;
      if (actual !== w.expectedGeneration) throw placementErrors.consumerGenerationConflict(w.consumerUuid, w.expectedGeneration, actual);
    }
    return consumers;
  }

  /**
   * POST /reshaper (1.30): replaces the inventories of several providers and
   * the allocations of several consumers in one transaction, so allocations
   * can move to new classes or child providers while their old inventory goes.
   * Capacity is checked on the final state; a refusal changes nothing.
   */
  async reshape(
    inventories: Array<{ providerUuid: string; inventories: Record<string, Inventory>; expectedGeneration: number }>,
    writes: AllocationWrite[],
  ): Promise<WriteOutcome> {
    const normalized = inventories.map((entry) => ({
      ...entry,
      inventories: Object.fromEntries(Object.entries(entry.inventories).map(([rc, inv]) => [rc, normalizeInventory(entry.providerUuid, rc, inv)])),
    }));
    await this.requireResourceClasses([...new Set(normalized.flatMap((e) => Object.keys(e.inventories)))]);
    try {
      return await this.write(async (trx) => {
        await this.lockAndCheckConsumers(trx, writes);
        const consumerIds = writes.map((w) => w.consumerUuid);
        const existing = await allocationsOfConsumers(trx, consumerIds);
        const providerIds = new Set(normalized.map((e) => e.providerUuid));
        for (const byProvider of existing.values()) for (const rp of Object.keys(byProvider)) providerIds.add(rp);
        for (const w of writes) for (const rp of Object.keys(w.allocations)) providerIds.add(rp);
        const providers = await lockProviders(trx, this.dialect, [...providerIds]);
        for (const entry of normalized) {
          const provider = providers.get(entry.providerUuid);
          if (!provider) throw placementErrors.providerNotFound(entry.providerUuid);
          if (provider.generation !== entry.expectedGeneration) throw placementErrors.generationConflict();
        }
        // Release what the consumers hold, so their old inventory may go.
        for (const byProvider of existing.values()) {
          for (const [rp, resources] of Object.entries(byProvider)) {
            for (const [rc, amount] of Object.entries(resources)) {
              await trx
                .updateTable('placement_inventory')
                .set((eb) => ({ used: eb('used', '-', amount) }))
                .where('provider_uuid', '=', rp)
                .where('resource_class', '=', rc)
                .execute();
            }
          }
        }
        for (const part of chunks(consumerIds)) await trx.deleteFrom('placement_allocation').where('consumer_uuid', 'in', part).execute();
        for (const entry of normalized) await this.writeInventories(trx, entry.providerUuid, () => entry.inventories);
        const outcome = await this.applyWrites(
          trx,
          writes.map((w) => ({ ...w, expectedGeneration: undefined })),
        );
        // Roll back everything above when the final state does not fit.
        if (!outcome.ok) throw new RefusedReshape(outcome);
        // Providers the allocations did not touch still changed: bump them (a failed swap means applyWrites did).
        for (const entry of normalized) await bumpGeneration(trx, entry.providerUuid, (providers.get(entry.providerUuid) as ProviderRow).generation);
        return outcome;
      });
    } catch (error) {
      if (error instanceof RefusedReshape) return error.outcome;
      throw error;
    }
  }

  private async applyWrites(trx: PlacementDb, writes: AllocationWrite[]): Promise<WriteOutcome> {
    const consumerIds = writes.map((w) => w.consumerUuid);
    const consumers = await this.lockAndCheckConsumers(trx, writes);
    const existing = await allocationsOfConsumers(trx, consumerIds);

    // Every provider touched, old or new, locked in one sorted pass.
    const providerIds = new Set<string>();
    for (const w of writes) for (const rp of Object.keys(w.allocations)) providerIds.add(rp);
    for (const byProvider of existing.values()) for (const rp of Object.keys(byProvider)) providerIds.add(rp);
    const providers = await lockProviders(trx, this.dialect, [...providerIds]);
    for (const w of writes) {
      for (const rp of Object.keys(w.allocations)) if (!providers.has(rp)) throw placementErrors.allocationProviderMissing(rp);
    }
    const inventories = await inventoriesOf(trx, [...providerIds]);

    // Net change per provider and class.
    const delta = new Map<string, Map<string, number>>();
    const add = (rp: string, rc: string, amount: number) => {
      let byClass = delta.get(rp);
      if (!byClass) delta.set(rp, (byClass = new Map()));
      byClass.set(rc, (byClass.get(rc) ?? 0) + amount);
    };
    for (const w of writes) {
      for (const [rp, resources] of Object.entries(existing.get(w.consumerUuid) ?? {})) {
        for (const [rc, amount] of Object.entries(resources)) add(rp, rc, -amount);
      }
      for (const [rp, resources] of Object.entries(w.allocations)) {
        for (const [rc, amount] of Object.entries(resources)) {
          const inv = inventories.get(rp)?.get(rc);
          if (!inv) {
            return { ok: false, reason: 'no_inventory', message: `Inventory for '${rc}' on resource provider '${rp}' invalid.` };
          }
          if (amount < inv.min_unit || amount > inv.max_unit || amount % inv.step_size !== 0) {
            return {
              ok: false,
              reason: 'constraints',
              message:
                `Unable to allocate inventory: Allocation for ${rc} on resource provider ${rp} violates min_unit, max_unit, or step_size. ` +
                `Requested: ${amount}, min_unit: ${inv.min_unit}, max_unit: ${inv.max_unit}, step_size: ${inv.step_size}`,
            };
          }
          add(rp, rc, amount);
        }
      }
    }
    for (const [rp, byClass] of delta) {
      for (const [rc, change] of byClass) {
        if (change <= 0) continue;
        const inv = inventories.get(rp)?.get(rc);
        if (!inv) continue;
        const capacity = (inv.total - inv.reserved) * inv.allocation_ratio;
        if (inv.used + change > capacity) {
          return {
            ok: false,
            reason: 'capacity',
            message: `Unable to allocate inventory: Unable to create allocation for '${rc}' on resource provider '${rp}'. The requested amount would exceed the capacity.`,
          };
        }
      }
    }

    // Write: consumers, allocation rows, usage counters, provider generations.
    const now = new Date().toISOString();
    for (const w of writes) {
      if (existing.has(w.consumerUuid)) await trx.deleteFrom('placement_allocation').where('consumer_uuid', '=', w.consumerUuid).execute();
      const hasAllocations = Object.values(w.allocations).some((r) => Object.keys(r).length > 0);
      const consumer = consumers.get(w.consumerUuid);
      if (!hasAllocations) {
        if (consumer) await trx.deleteFrom('placement_consumer').where('uuid', '=', w.consumerUuid).execute();
        continue;
      }
      if (consumer) {
        await trx
          .updateTable('placement_consumer')
          .set({
            project_id: w.projectId ?? consumer.projectId,
            user_id: w.userId ?? consumer.userId,
            consumer_type: w.consumerType === undefined ? consumer.consumerType : w.consumerType,
            generation: consumer.generation + 1,
            updated_at: now,
          })
          .where('uuid', '=', w.consumerUuid)
          .execute();
      } else {
        if (w.projectId === undefined || w.userId === undefined) throw new BadRequest('project_id and user_id are required for a new consumer.');
        try {
          await trx
            .insertInto('placement_consumer')
            .values({
              uuid: w.consumerUuid,
              project_id: w.projectId,
              user_id: w.userId,
              consumer_type: w.consumerType ?? null,
              generation: 0,
              created_at: now,
              updated_at: now,
            })
            .execute();
        } catch (error) {
          // Another transaction created the consumer meanwhile: start again and see it.
          if (isUniqueViolation(error)) throw new RetryTransaction();
          throw error;
        }
      }
      const rows = Object.entries(w.allocations).flatMap(([rp, resources]) =>
        Object.entries(resources).map(([rc, amount]) => ({
          consumer_uuid: w.consumerUuid,
          provider_uuid: rp,
          resource_class: rc,
          used: amount,
          created_at: now,
          updated_at: now,
        })),
      );
      for (const part of chunks(rows, 200)) await trx.insertInto('placement_allocation').values(part).execute();
    }
    for (const [rp, byClass] of delta) {
      for (const [rc, change] of byClass) {
        if (change === 0) continue;
        await trx
          .updateTable('placement_inventory')
          .set((eb) => ({ used: eb('used', '+', change) }))
          .where('provider_uuid', '=', rp)
          .where('resource_class', '=', rc)
          .execute();
      }
    }
    for (const rp of [...providerIds].sort()) {
      const provider = providers.get(rp);
      if (!provider) continue;
      if (!(await bumpGeneration(trx, rp, provider.generation))) throw new RetryTransaction();
    }
    return { ok: true };
  }

  async moveAllocations(fromConsumer: string, toConsumer: string): Promise<void> {
    await this.write(async (trx) => {
      const consumers = await lockConsumers(trx, this.dialect, [fromConsumer, toConsumer]);
      const source = consumers.get(fromConsumer);
      if (!source) return;
      const allocations = (await allocationsOfConsumers(trx, [fromConsumer])).get(fromConsumer) ?? {};
      const outcome = await this.applyWrites(trx, [
        { consumerUuid: fromConsumer, allocations: {} },
        {
          consumerUuid: toConsumer,
          projectId: source.projectId,
          userId: source.userId,
          consumerType: consumers.get(toConsumer)?.consumerType ?? source.consumerType,
          allocations,
        },
      ]);
      if (!outcome.ok) throw new Conflict(outcome.message);
    });
  }

  async getAllocations(consumerUuid: string): Promise<Record<string, ResourceAmounts>> {
    return (await allocationsOfConsumers(this.db, [consumerUuid])).get(consumerUuid) ?? {};
  }

  /** GET /allocations/{consumer}: allocations with provider generations and the consumer's details. */
  async describeAllocations(consumerUuid: string): Promise<ConsumerAllocations> {
    const allocations = await this.getAllocations(consumerUuid);
    const consumer = await this.db.selectFrom('placement_consumer').selectAll().where('uuid', '=', consumerUuid).executeTakeFirst();
    const providers = Object.keys(allocations);
    const generations = new Map<string, number>();
    for (const part of chunks(providers)) {
      const rows = await this.db.selectFrom('placement_resource_provider').select(['uuid', 'generation']).where('uuid', 'in', part).execute();
      for (const row of rows) generations.set(row.uuid, Number(row.generation));
    }
    return {
      allocations: Object.fromEntries(providers.map((rp) => [rp, { generation: generations.get(rp) ?? 0, resources: allocations[rp] ?? {} }])),
      projectId: consumer?.project_id ?? null,
      userId: consumer?.user_id ?? null,
      consumerGeneration: consumer ? Number(consumer.generation) : null,
      consumerType: consumer?.consumer_type ?? null,
    };
  }

  async deleteAllocations(consumerUuid: string): Promise<void> {
    await this.writeAllocations([{ consumerUuid, allocations: {} }]);
  }

  /** GET /resource_providers/{uuid}/allocations: consumer -> class -> amount. */
  async providerAllocations(providerUuid: string): Promise<{ generation: number; allocations: Record<string, ResourceAmounts> }> {
    const provider = await this.getProvider(providerUuid);
    const rows = await this.db.selectFrom('placement_allocation').selectAll().where('provider_uuid', '=', providerUuid).execute();
    const allocations: Record<string, ResourceAmounts> = {};
    for (const row of rows) (allocations[row.consumer_uuid] ??= {})[row.resource_class] = num(row.used);
    return { generation: provider.generation, allocations };
  }

  async providerUsages(providerUuid: string): Promise<ProviderUsage> {
    const provider = await this.getProvider(providerUuid);
    const inventories = (await inventoriesOf(this.db, [providerUuid])).get(providerUuid) ?? new Map();
    return { generation: provider.generation, usages: Object.fromEntries([...inventories].map(([rc, inv]) => [rc, inv.used])) };
  }

  async usages(projectId: string, userId?: string): Promise<ResourceAmounts> {
    const byType = await this.usagesByConsumerType(projectId, userId);
    const total: ResourceAmounts = {};
    for (const entry of Object.values(byType)) {
      for (const [rc, amount] of Object.entries(entry.usages)) total[rc] = (total[rc] ?? 0) + amount;
    }
    return total;
  }

  /** Usages per consumer type (1.38): type (`unknown` when unset) -> consumer count and amounts. */
  async usagesByConsumerType(
    projectId: string,
    userId?: string,
    consumerType?: string,
  ): Promise<Record<string, { consumerCount: number; usages: ResourceAmounts }>> {
    let query = this.db
      .selectFrom('placement_allocation as a')
      .innerJoin('placement_consumer as c', 'c.uuid', 'a.consumer_uuid')
      .select(['c.consumer_type', 'a.resource_class'])
      .select((eb) => [eb.fn.sum<string | number>('a.used').as('used'), eb.fn.count<string | number>('a.consumer_uuid').distinct().as('consumers')])
      .where('c.project_id', '=', projectId)
      .groupBy(['c.consumer_type', 'a.resource_class']);
    if (userId !== undefined) query = query.where('c.user_id', '=', userId);
    const rows = await query.execute();
    const counts = this.db
      .selectFrom('placement_consumer as c')
      .select('c.consumer_type')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('c.project_id', '=', projectId)
      .$if(userId !== undefined, (q) => q.where('c.user_id', '=', userId as string))
      .groupBy('c.consumer_type');
    const out: Record<string, { consumerCount: number; usages: ResourceAmounts }> = {};
    for (const row of await counts.execute()) out[row.consumer_type ?? 'unknown'] = { consumerCount: num(row.n), usages: {} };
    for (const row of rows) {
      const type = row.consumer_type ?? 'unknown';
      const entry = (out[type] ??= { consumerCount: 0, usages: {} });
      entry.usages[row.resource_class] = (entry.usages[row.resource_class] ?? 0) + num(row.used);
    }
    if (consumerType !== undefined && consumerType !== 'all') {
      return Object.fromEntries(Object.entries(out).filter(([type]) => type === consumerType));
    }
    return out;
  }

  // --- allocation candidates ----------------------------------------------------

  async allocationCandidates(request: CandidateRequest): Promise<Candidate[]> {
    const resources = withoutZeroAmounts(request.resources);
    if (Object.keys(resources).length === 0) return [];
    const providers = await searchProviders(
      this.db,
      {
        resources,
        ...(request.requiredTraits && { requiredTraits: request.requiredTraits }),
        ...(request.forbiddenTraits && { forbiddenTraits: request.forbiddenTraits }),
        ...(request.memberOf && { memberOf: request.memberOf }),
        ...(request.inTree !== undefined && { inTree: request.inTree }),
      },
      {
        ...(request.limit !== undefined && { limit: request.limit }),
        randomize: this.options.randomizeAllocationCandidates ?? false,
        dialect: this.dialect,
      },
    );
    const summaries = await this.providerSummaries(providers.map((p) => p.uuid));
    return providers.map((p) => {
      const summary = summaries.get(p.uuid) as { summary: Candidate['summary']; traits: string[]; aggregates: string[] };
      return { providerUuid: p.uuid, allocations: { [p.uuid]: { ...resources } }, ...summary };
    });
  }

  /** Capacity and use of every class, traits and aggregates of each provider, in three queries. */
  async providerSummaries(
    uuids: string[],
  ): Promise<Map<string, { summary: Record<string, { capacity: number; used: number }>; traits: string[]; aggregates: string[] }>> {
    const [inventories, traits, aggregates] = await Promise.all([
      inventoriesOf(this.db, uuids),
      traitsOf(this.db, uuids),
      aggregatesOf(this.db, uuids),
    ]);
    const out = new Map<string, { summary: Record<string, { capacity: number; used: number }>; traits: string[]; aggregates: string[] }>();
    for (const uuid of uuids) {
      const summary: Record<string, { capacity: number; used: number }> = {};
      for (const [rc, inv] of inventories.get(uuid) ?? []) summary[rc] = { capacity: capacityOf(inv), used: inv.used };
      out.set(uuid, { summary, traits: traits.get(uuid) ?? [], aggregates: aggregates.get(uuid) ?? [] });
    }
    return out;
  }

  /** Providers matching a filter, with limit and the configured ordering (the REST candidates use it). */
  async searchProviders(filter: ProviderFilter, limit?: number): Promise<ProviderRow[]> {
    return searchProviders(this.db, filter, {
      ...(limit !== undefined && { limit }),
      randomize: this.options.randomizeAllocationCandidates ?? false,
      dialect: this.dialect,
    });
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof RetryTransaction) return true;
  const code = (error as { code?: unknown } | null)?.code;
  // PostgreSQL serialization failure and deadlock; SQLite busy/locked (another process).
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

function stripUsed(inv: InventoryRecord): Required<Inventory> {
  const { used: _used, ...rest } = inv;
  return rest;
}

function sameInventory(a: InventoryRecord, b: Required<Inventory>): boolean {
  return (
    a.total === b.total &&
    a.reserved === b.reserved &&
    a.min_unit === b.min_unit &&
    a.max_unit === b.max_unit &&
    a.step_size === b.step_size &&
    a.allocation_ratio === b.allocation_ratio
  );
}

const MAX_INT = 2147483647;

/** Placement's defaults and checks for one inventory record. */
export function normalizeInventory(providerUuid: string, resourceClass: string, inv: Inventory): Required<Inventory> {
  const out: Required<Inventory> = {
    total: inv.total,
    reserved: inv.reserved ?? 0,
    min_unit: inv.min_unit ?? 1,
    max_unit: inv.max_unit ?? MAX_INT,
    step_size: inv.step_size ?? 1,
    allocation_ratio: inv.allocation_ratio ?? 1.0,
  };
  if (out.reserved > out.total) {
    throw new BadRequest(
      `Unable to update inventory for resource provider ${providerUuid}: Invalid inventory for '${resourceClass}' on resource provider '${providerUuid}'. The reserved value is greater than total.`,
    );
  }
  if (out.min_unit > out.max_unit) {
    throw new BadRequest(
      `Unable to update inventory for resource provider ${providerUuid}: Invalid inventory for '${resourceClass}' on resource provider '${providerUuid}'. The min_unit value is greater than max_unit.`,
    );
  }
  return out;
}

function withoutZeros(allocations: Record<string, ResourceAmounts>): Record<string, ResourceAmounts> {
  const out: Record<string, ResourceAmounts> = {};
  for (const [rp, resources] of Object.entries(allocations)) {
    const kept = withoutZeroAmounts(resources);
    if (Object.keys(kept).length > 0) out[rp] = kept;
  }
  return out;
}

function withoutZeroAmounts(resources: ResourceAmounts): ResourceAmounts {
  return Object.fromEntries(Object.entries(resources).filter(([, amount]) => amount !== 0));
}
