/**
 * Row-level queries on providers, inventories, allocations, consumers, traits
 * and aggregates. Functions take a Kysely instance or transaction; locking
 * (`lock*`) is PostgreSQL's `FOR UPDATE`, and a no-op on SQLite, where a
 * write transaction already holds the one connection to the database.
 */
import type { Dialect } from '../../core/db/database.js';
import type { Inventory, ResourceAmounts } from '../operations.js';
import type { PlacementDb } from './tables.js';

/** Chunks for `IN (...)` lists, well below both engines' bind-parameter limits. */
export function chunks<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A number column as either engine returns it (PostgreSQL's bigints and numerics come as strings). */
type Count = string | number | bigint | null | undefined;

export const num = (v: Count): number => (v === null || v === undefined ? 0 : Number(v));

export interface ProviderRow {
  uuid: string;
  name: string;
  generation: number;
  parentProviderUuid: string | null;
  rootProviderUuid: string;
  seq: number;
}

/** A provider row as either engine returns it (PostgreSQL's bigints come as strings). */
export interface StoredProvider {
  uuid: string;
  name: string;
  generation: Count;
  parent_provider_uuid?: string | null;
  root_provider_uuid: string;
  seq: Count;
}

export function toProvider(row: StoredProvider): ProviderRow {
  return {
    uuid: row.uuid,
    name: row.name,
    generation: Number(row.generation),
    parentProviderUuid: row.parent_provider_uuid ?? null,
    rootProviderUuid: row.root_provider_uuid,
    seq: Number(row.seq),
  };
}

export async function getProviderRow(db: PlacementDb, uuid: string): Promise<ProviderRow | null> {
  const row = await db.selectFrom('placement_resource_provider').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  return row ? toProvider(row) : null;
}

/** Locks (PostgreSQL) and reads the providers, in uuid order so concurrent lockers never deadlock. */
export async function lockProviders(db: PlacementDb, dialect: Dialect, uuids: string[]): Promise<Map<string, ProviderRow>> {
  const out = new Map<string, ProviderRow>();
  const sorted = [...new Set(uuids)].sort();
  for (const part of chunks(sorted)) {
    const rows = await db
      .selectFrom('placement_resource_provider')
      .selectAll()
      .where('uuid', 'in', part)
      .orderBy('uuid')
      .$if(dialect === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const row of rows) out.set(row.uuid, toProvider(row));
  }
  return out;
}

/**
 * The compare-and-swap every provider change ends with: bumps the generation
 * only if it is still `expected`; false when someone else changed it first.
 */
export async function bumpGeneration(db: PlacementDb, uuid: string, expected: number): Promise<boolean> {
  const result = await db
    .updateTable('placement_resource_provider')
    .set({ generation: expected + 1, updated_at: new Date().toISOString() })
    .where('uuid', '=', uuid)
    .where('generation', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface InventoryRecord extends Required<Inventory> {
  used: number;
}

/** An inventory row with its usage summed (`used`), as either engine returns it. */
interface StoredInventory {
  total: Count;
  reserved: Count;
  min_unit: Count;
  max_unit: Count;
  step_size: Count;
  allocation_ratio: Count;
  used: Count;
}

function toInventory(row: StoredInventory): InventoryRecord {
  return {
    total: num(row.total),
    reserved: num(row.reserved),
    min_unit: num(row.min_unit),
    max_unit: num(row.max_unit),
    step_size: num(row.step_size),
    allocation_ratio: Number(row.allocation_ratio),
    used: num(row.used),
  };
}

/** provider -> class -> inventory (with `used`). */
export async function inventoriesOf(db: PlacementDb, providers: string[]): Promise<Map<string, Map<string, InventoryRecord>>> {
  const out = new Map<string, Map<string, InventoryRecord>>();
  for (const uuid of providers) out.set(uuid, new Map());
  for (const part of chunks([...new Set(providers)])) {
    const rows = await db.selectFrom('placement_inventory').selectAll().where('provider_uuid', 'in', part).execute();
    for (const row of rows) out.get(row.provider_uuid)?.set(row.resource_class, toInventory(row));
  }
  return out;
}

export function capacityOf(inv: { total: number; reserved: number; allocation_ratio: number }): number {
  return Math.floor((inv.total - inv.reserved) * inv.allocation_ratio);
}

/** The provider-to-name tables: a provider's traits, a provider's aggregates. */
const MEMBER_COLUMN = { placement_provider_trait: 'trait', placement_provider_aggregate: 'aggregate_uuid' } as const;
export type MemberTable = keyof typeof MEMBER_COLUMN;

/** provider -> its traits or aggregates, sorted. */
export async function membersOf(db: PlacementDb, table: MemberTable, providers: string[]): Promise<Map<string, string[]>> {
  const column = MEMBER_COLUMN[table];
  const out = new Map<string, string[]>();
  for (const uuid of providers) out.set(uuid, []);
  for (const part of chunks([...new Set(providers)])) {
    const rows = await (db as PlacementDb)
      .selectFrom(table)
      .select(['provider_uuid', `${column} as value` as 'provider_uuid'])
      .where('provider_uuid', 'in', part)
      .execute();
    for (const row of rows as unknown as Array<{ provider_uuid: string; value: string }>) out.get(row.provider_uuid)?.push(row.value);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Replaces all of a provider's traits or aggregates. */
export async function replaceMembers(db: PlacementDb, table: MemberTable, provider: string, values: string[]): Promise<void> {
  const column = MEMBER_COLUMN[table];
  await db.deleteFrom(table).where('provider_uuid', '=', provider).execute();
  for (const part of chunks(values)) {
    await db
      .insertInto(table)
      .values(part.map((value) => ({ provider_uuid: provider, [column]: value }) as never))
      .execute();
  }
}

export const traitsOf = (db: PlacementDb, providers: string[]) => membersOf(db, 'placement_provider_trait', providers);
export const aggregatesOf = (db: PlacementDb, providers: string[]) => membersOf(db, 'placement_provider_aggregate', providers);

export interface ConsumerRow {
  uuid: string;
  projectId: string;
  userId: string;
  consumerType: string | null;
  generation: number;
}

export async function lockConsumers(db: PlacementDb, dialect: Dialect, uuids: string[]): Promise<Map<string, ConsumerRow>> {
  const out = new Map<string, ConsumerRow>();
  const sorted = [...new Set(uuids)].sort();
  for (const part of chunks(sorted)) {
    const rows = await db
      .selectFrom('placement_consumer')
      .selectAll()
      .where('uuid', 'in', part)
      .orderBy('uuid')
      .$if(dialect === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const row of rows) {
      out.set(row.uuid, {
        uuid: row.uuid,
        projectId: row.project_id,
        userId: row.user_id,
        consumerType: row.consumer_type,
        generation: Number(row.generation),
      });
    }
  }
  return out;
}

/** consumer -> provider -> class -> amount. */
export async function allocationsOfConsumers(db: PlacementDb, consumers: string[]): Promise<Map<string, Record<string, ResourceAmounts>>> {
  const out = new Map<string, Record<string, ResourceAmounts>>();
  for (const part of chunks([...new Set(consumers)])) {
    const rows = await db.selectFrom('placement_allocation').selectAll().where('consumer_uuid', 'in', part).execute();
    for (const row of rows) {
      let byProvider = out.get(row.consumer_uuid);
      if (!byProvider) out.set(row.consumer_uuid, (byProvider = {}));
      (byProvider[row.provider_uuid] ??= {})[row.resource_class] = num(row.used);
    }
  }
  return out;
}
