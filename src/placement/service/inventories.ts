/** Providers' inventories: what each offers per resource class, with Placement's defaults and checks. */
import { placementErrors } from '../errors.js';
import type { Inventory } from '../operations.js';
import { inventoriesOf, type InventoryRecord, type PlacementDb } from '../store/index.js';
import type { NameCatalog } from './catalog.js';
import type { ProviderService } from './providers.js';
import type { PlacementWriter } from './transactions.js';

export interface InventoryView {
  generation: number;
  inventories: Record<string, Required<Inventory>>;
}

export class InventoryService {
  constructor(
    private readonly writer: PlacementWriter,
    private readonly providers: ProviderService,
    private readonly catalog: NameCatalog,
  ) {}

  async getInventories(providerUuid: string): Promise<InventoryView> {
    const provider = await this.providers.getProvider(providerUuid);
    const inventories = (await inventoriesOf(this.writer.db, [providerUuid])).get(providerUuid) ?? new Map();
    return { generation: provider.generation, inventories: Object.fromEntries([...inventories].map(([rc, inv]) => [rc, stripUsed(inv)])) };
  }

  /** PUT /resource_providers/{uuid}/inventories: returns the new generation. */
  async replaceInventories(providerUuid: string, inventories: Record<string, Inventory>, expectedGeneration?: number): Promise<number> {
    const normalized = Object.fromEntries(Object.entries(inventories).map(([rc, inv]) => [rc, normalizeInventory(providerUuid, rc, inv)]));
    await this.catalog.requireResourceClasses(Object.keys(normalized));
    return this.changeInventories(providerUuid, expectedGeneration, () => normalized);
  }

  /** PUT .../inventories/{class}: 400 when the provider has no such inventory yet (Placement's rule). */
  async updateInventory(providerUuid: string, resourceClass: string, inventory: Inventory, expectedGeneration?: number): Promise<number> {
    const normalized = normalizeInventory(providerUuid, resourceClass, inventory);
    await this.catalog.requireResourceClasses([resourceClass]);
    return this.changeInventories(providerUuid, expectedGeneration, (current) => {
      if (!current.has(resourceClass)) {
        throw placementErrors.updateMissingInventory(providerUuid, resourceClass);
      }
      return { ...Object.fromEntries([...current].map(([rc, inv]) => [rc, stripUsed(inv)])), [resourceClass]: normalized };
    });
  }

  /** POST .../inventories (1.0 - ...): adds one class; 409 if it exists. */
  async addInventory(providerUuid: string, resourceClass: string, inventory: Inventory, expectedGeneration?: number): Promise<number> {
    const normalized = normalizeInventory(providerUuid, resourceClass, inventory);
    await this.catalog.requireResourceClasses([resourceClass]);
    return this.changeInventories(providerUuid, expectedGeneration, (current) => {
      if (current.has(resourceClass)) {
        throw placementErrors.inventoryExists(resourceClass, providerUuid);
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
    return this.writer.changeProvider(providerUuid, expectedGeneration, (trx) => this.writeInventories(trx, providerUuid, compute));
  }

  /** Replaces a (locked) provider's inventory with what `compute` makes of the current one; refuses to drop classes in use. */
  async writeInventories(
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
        await trx
          .insertInto('placement_inventory')
          .values({ provider_uuid: providerUuid, resource_class: rc, ...inv, used: 0 })
          .execute();
      }
    }
  }
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
    throw placementErrors.invalidInventory(providerUuid, resourceClass, 'The reserved value is greater than total.');
  }
  if (out.min_unit > out.max_unit) {
    throw placementErrors.invalidInventory(providerUuid, resourceClass, 'The min_unit value is greater than max_unit.');
  }
  return out;
}
