/**
 * What the placement service offers other services in-process (Nova's
 * compute hosts report inventory through it; the scheduler asks it for
 * candidates and claims in it). The REST API under /placement is a second
 * client of the same operations. Resource classes and traits are Placement's
 * names (VCPU, MEMORY_MB, DISK_GB, CUSTOM_*; COMPUTE_*, HW_*, CUSTOM_*).
 */

export type ResourceAmounts = Record<string, number>;

export interface Inventory {
  total: number;
  reserved?: number;
  min_unit?: number;
  max_unit?: number;
  step_size?: number;
  allocation_ratio?: number;
}

export interface ResourceProviderSpec {
  uuid: string;
  name: string;
  parentProviderUuid?: string;
}

/** Consumer -> provider -> amounts, as in PUT /allocations/{consumer}. */
export interface ClaimRequest {
  consumerUuid: string;
  projectId: string;
  userId: string;
  allocations: Record<string, ResourceAmounts>;
  /** Placement's consumer_type (1.38), e.g. INSTANCE or MIGRATION; optional. */
  consumerType?: string;
}

export interface CandidateRequest {
  /** Unnamed request group: the amounts one provider must satisfy. */
  resources: ResourceAmounts;
  requiredTraits?: string[];
  forbiddenTraits?: string[];
  /** Each inner list is an any-of set of aggregate uuids; every set must match (member_of). */
  memberOf?: string[][];
  /** Only providers in the tree of this provider (in_tree). */
  inTree?: string;
  limit?: number;
}

export interface Candidate {
  /** The provider whose inventory satisfies the request. */
  providerUuid: string;
  /** The allocation a claim would write for it (provider -> amounts). */
  allocations: Record<string, ResourceAmounts>;
  /** Per resource class of that provider: capacity ((total - reserved) * ratio) and used. */
  summary: Record<string, { capacity: number; used: number }>;
  traits: string[];
  aggregates: string[];
}

/**
 * Every call is trusted: it stands for Nova's placement service user (role
 * `service`, which every `placement:*` rule admits), so the contract carries
 * no CallerContext and checks no policy; the REST API checks policy before
 * calling the same service layer. Failures are core NimbusErrors with
 * Placement's `code` as `type` (errors.ts): 404 unknown provider, 409
 * `placement.concurrent_update` / `placement.inventory.inuse`, 400 for an
 * unknown resource class or trait. A failed call writes nothing: each runs
 * in one transaction (retried on a generation race, service/transactions.ts).
 */
export interface PlacementOperations {
  /** Creates the provider or renames it (and sets its parent on creation); idempotent (a compute host reporting on start). */
  ensureProvider(spec: ResourceProviderSpec): Promise<void>;
  /**
   * Replaces the provider's whole inventory; idempotent. Refused (409
   * `placement.inventory.inuse`, nothing changed) if a class it drops or
   * shrinks is allocated beyond the new capacity; 400 for an unknown class.
   */
  setInventories(providerUuid: string, inventories: Record<string, Inventory>): Promise<void>;
  /** Replaces the provider's traits (400 for an unknown trait, nothing changed); idempotent. */
  setTraits(providerUuid: string, traits: string[]): Promise<void>;
  /** Replaces the provider's aggregates; idempotent. */
  setAggregates(providerUuid: string, aggregates: string[]): Promise<void>;
  /** Deletes the provider with its inventory, traits and aggregates. Refused (409) while it has allocations or children; 404 once gone. */
  deleteProvider(providerUuid: string): Promise<void>;

  /**
   * How many write transactions this process's Placement has committed (any
   * kind: providers, inventories, traits, aggregates, allocations). A reader
   * that keeps Placement's state in memory (the scheduler's host view) reads
   * it before reading and knows its copy is current while it has not moved.
   * Writes by other processes are not counted.
   */
  writeCount(): number;

  /** Providers (with their would-be allocations) that satisfy the request, as GET /allocation_candidates; read only. */
  allocationCandidates(request: CandidateRequest): Promise<Candidate[]>;
  /**
   * Writes every allocation of the consumer atomically, replacing what it
   * held, checking capacity of every provider (allocation ratios, reserved,
   * min/max unit, step size) in the same transaction: of two concurrent
   * claims that together overcommit a provider, one fails. Returns false
   * (writing nothing) when capacity is exceeded; 400 for an unknown
   * provider. Idempotent: the same claim again leaves the same allocations.
   */
  claim(request: ClaimRequest): Promise<boolean>;
  /** Moves every allocation of `from` to `to` in one transaction (Nova's migration-uuid swap for resize/migrate); nothing to move is success. */
  moveAllocations(fromConsumer: string, toConsumer: string): Promise<void>;
  /** The consumer's allocations, provider -> amounts; empty when it has none. Read only. */
  getAllocations(consumerUuid: string): Promise<Record<string, ResourceAmounts>>;
  /** Removes every allocation of the consumer; no error if there are none (idempotent). */
  deleteAllocations(consumerUuid: string): Promise<void>;
  /** Sum of allocations of the project (and user, when given) per resource class. Read only. */
  usages(projectId: string, userId?: string): Promise<ResourceAmounts>;
  /** Every provider with each class's inventory and what is allocated against it (the exporter's `placement_resource_*`). Read only. */
  providerReport(): Promise<ProviderReport[]>;
}

export interface ProviderReport {
  uuid: string;
  name: string;
  generation: number;
  /** Resource class -> its inventory and `used`, the sum of allocations against it. */
  inventories: Record<string, Required<Inventory> & { used: number }>;
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    placement?: PlacementOperations;
  }
}
