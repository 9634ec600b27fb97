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

export interface PlacementOperations {
  /** Creates the provider or renames it; idempotent (a compute host reporting on start). */
  ensureProvider(spec: ResourceProviderSpec): Promise<void>;
  /** Replaces the provider's whole inventory; fails as Placement does if it would drop below what is allocated. */
  setInventories(providerUuid: string, inventories: Record<string, Inventory>): Promise<void>;
  setTraits(providerUuid: string, traits: string[]): Promise<void>;
  setAggregates(providerUuid: string, aggregates: string[]): Promise<void>;
  /** Refused (409) while the provider has allocations. */
  deleteProvider(providerUuid: string): Promise<void>;

  allocationCandidates(request: CandidateRequest): Promise<Candidate[]>;
  /**
   * Writes every allocation of the consumer atomically, replacing what it
   * held, checking capacity of every provider (allocation ratios, reserved,
   * min/max unit, step size) in the same transaction: of two concurrent
   * claims that together overcommit a provider, one fails. Returns false
   * (writing nothing) when capacity is exceeded.
   */
  claim(request: ClaimRequest): Promise<boolean>;
  /** Moves every allocation of `from` to `to` (Nova's migration-uuid swap for resize/migrate). */
  moveAllocations(fromConsumer: string, toConsumer: string): Promise<void>;
  getAllocations(consumerUuid: string): Promise<Record<string, ResourceAmounts>>;
  /** Removes every allocation of the consumer; no error if there are none. */
  deleteAllocations(consumerUuid: string): Promise<void>;
  /** Sum of allocations of the project (and user, when given) per resource class. */
  usages(projectId: string, userId?: string): Promise<ResourceAmounts>;
}
