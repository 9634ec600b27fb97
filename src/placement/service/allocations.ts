/**
 * Allocations: what consumers (servers, migrations) hold on providers. Every
 * write replaces a consumer's whole set, checks the capacity of each provider
 * it touches and bumps their generations in the same transaction, so two
 * concurrent claims never overcommit a provider.
 */
import { placementErrors } from '../errors.js';
import type { ClaimRequest, Inventory, ResourceAmounts } from '../operations.js';
import {
  allocationsOfConsumers,
  bumpGeneration,
  chunks,
  inventoriesOf,
  lockConsumers,
  lockProviders,
  num,
  type ConsumerRow,
  type PlacementDb,
  type ProviderRow,
} from '../store/index.js';
import { withoutZeros } from './amounts.js';
import type { NameCatalog } from './catalog.js';
import { normalizeInventory, type InventoryService } from './inventories.js';
import type { ProviderService } from './providers.js';
import { RetryTransaction, retryOnDuplicate, type PlacementWriter } from './transactions.js';

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

export type WriteOutcome = { ok: true } | { ok: false; reason: 'capacity' | 'no_inventory' | 'constraints'; message: string };

export interface ConsumerAllocations {
  allocations: Record<string, { generation: number; resources: ResourceAmounts }>;
  projectId: string | null;
  userId: string | null;
  consumerGeneration: number | null;
  consumerType: string | null;
}

/** A reshape whose final state does not fit: thrown to roll the transaction back. */
class RefusedReshape extends Error {
  constructor(readonly outcome: WriteOutcome) {
    super('reshape refused');
  }
}

export class AllocationService {
  constructor(
    private readonly writer: PlacementWriter,
    private readonly providers: ProviderService,
    private readonly inventories: InventoryService,
    private readonly catalog: NameCatalog,
  ) {}

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
    return this.writer.write((trx) => this.applyWrites(trx, writes));
  }

  /** Locks the writes' consumers and checks the generations their callers saw. */
  private async lockAndCheckConsumers(trx: PlacementDb, writes: AllocationWrite[]): Promise<Map<string, ConsumerRow>> {
    const consumers = await lockConsumers(
      trx,
      this.writer.dialect,
      writes.map((w) => w.consumerUuid),
    );
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
    await this.catalog.requireResourceClasses([...new Set(normalized.flatMap((e) => Object.keys(e.inventories)))]);
    try {
      return await this.writer.write(async (trx) => {
        await this.lockAndCheckConsumers(trx, writes);
        const consumerIds = writes.map((w) => w.consumerUuid);
        const existing = await allocationsOfConsumers(trx, consumerIds);
        const providerIds = new Set(normalized.map((e) => e.providerUuid));
        for (const byProvider of existing.values()) for (const rp of Object.keys(byProvider)) providerIds.add(rp);
        for (const w of writes) for (const rp of Object.keys(w.allocations)) providerIds.add(rp);
        const providers = await lockProviders(trx, this.writer.dialect, [...providerIds]);
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
        for (const entry of normalized) await this.inventories.writeInventories(trx, entry.providerUuid, () => entry.inventories);
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
    const providers = await lockProviders(trx, this.writer.dialect, [...providerIds]);
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
        const { projectId, userId } = w;
        if (projectId === undefined || userId === undefined) throw placementErrors.consumerOwnerMissing();
        await retryOnDuplicate(() =>
          trx
            .insertInto('placement_consumer')
            .values({
              uuid: w.consumerUuid,
              project_id: projectId,
              user_id: userId,
              consumer_type: w.consumerType ?? null,
              generation: 0,
              created_at: now,
              updated_at: now,
            })
            .execute(),
        );
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
    await this.writer.write(async (trx) => {
      const consumers = await lockConsumers(trx, this.writer.dialect, [fromConsumer, toConsumer]);
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
      if (!outcome.ok) throw placementErrors.allocationConflict(outcome.message);
    });
  }

  async getAllocations(consumerUuid: string): Promise<Record<string, ResourceAmounts>> {
    return (await allocationsOfConsumers(this.writer.db, [consumerUuid])).get(consumerUuid) ?? {};
  }

  /** GET /allocations/{consumer}: allocations with provider generations and the consumer's details. */
  async describeAllocations(consumerUuid: string): Promise<ConsumerAllocations> {
    const allocations = await this.getAllocations(consumerUuid);
    const consumer = await this.writer.db.selectFrom('placement_consumer').selectAll().where('uuid', '=', consumerUuid).executeTakeFirst();
    const providers = Object.keys(allocations);
    const generations = new Map<string, number>();
    for (const part of chunks(providers)) {
      const rows = await this.writer.db.selectFrom('placement_resource_provider').select(['uuid', 'generation']).where('uuid', 'in', part).execute();
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
    const provider = await this.providers.getProvider(providerUuid);
    const rows = await this.writer.db.selectFrom('placement_allocation').selectAll().where('provider_uuid', '=', providerUuid).execute();
    const allocations: Record<string, ResourceAmounts> = {};
    for (const row of rows) (allocations[row.consumer_uuid] ??= {})[row.resource_class] = num(row.used);
    return { generation: provider.generation, allocations };
  }
}
