/** The placement service's tables (see migrations/0001-initial.ts). */
import type { Kysely } from 'kysely';

/** PostgreSQL returns bigint columns as strings; SQLite as numbers. */
type Big = string | number;

export interface ProviderTable {
  uuid: string;
  seq: Big;
  name: string;
  generation: number;
  parent_provider_uuid: string | null;
  root_provider_uuid: string;
  created_at: string;
  updated_at: string;
}

export interface InventoryTable {
  provider_uuid: string;
  resource_class: string;
  total: Big;
  reserved: Big;
  min_unit: Big;
  max_unit: Big;
  step_size: Big;
  allocation_ratio: number;
  /** Sum of the allocations of this class on this provider. */
  used: Big;
}

export interface ConsumerTable {
  uuid: string;
  project_id: string;
  user_id: string;
  consumer_type: string | null;
  generation: number;
  created_at: string;
  updated_at: string;
}

export interface AllocationTable {
  consumer_uuid: string;
  provider_uuid: string;
  resource_class: string;
  used: Big;
  created_at: string;
  updated_at: string;
}

export interface NameTable {
  name: string;
  created_at: string;
}

export interface ProviderTraitTable {
  provider_uuid: string;
  trait: string;
}

export interface ProviderAggregateTable {
  provider_uuid: string;
  aggregate_uuid: string;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type PlacementTables = {
  placement_resource_provider: ProviderTable;
  placement_inventory: InventoryTable;
  placement_consumer: ConsumerTable;
  placement_allocation: AllocationTable;
  placement_custom_resource_class: NameTable;
  placement_custom_trait: NameTable;
  placement_provider_trait: ProviderTraitTable;
  placement_provider_aggregate: ProviderAggregateTable;
};

export type PlacementDb = Kysely<PlacementTables>;
