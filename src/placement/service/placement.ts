/**
 * The placement service: the REST API's handlers reach its parts (providers,
 * inventories, names, allocations, usages, candidates); other services
 * (compute) reach it through `PlacementOperations`, implemented here on top of
 * the same parts. Every write follows the concurrency model in transactions.ts.
 */
import type { Dialect } from '../../core/db/database.js';
import type {
  Candidate,
  CandidateRequest,
  ClaimRequest,
  Inventory,
  PlacementOperations,
  ProviderReport,
  ResourceAmounts,
  ResourceProviderSpec,
} from '../operations.js';
import { inventoriesOf, type PlacementDb } from '../store/index.js';
import { AllocationService } from './allocations.js';
import { CandidateService, type CandidateOptions } from './candidates.js';
import { NameCatalog } from './catalog.js';
import { InventoryService } from './inventories.js';
import { ProviderService } from './providers.js';
import { PlacementWriter } from './transactions.js';
import { UsageService } from './usages.js';

export type PlacementServiceOptions = CandidateOptions;
export type { AllocationWrite, ConsumerAllocations, WriteOutcome } from './allocations.js';
export { CUSTOM_NAME } from './catalog.js';
export type { ProviderMemberKind } from './providers.js';

export class PlacementService implements PlacementOperations {
  readonly catalog: NameCatalog;
  readonly providers: ProviderService;
  readonly inventories: InventoryService;
  readonly allocations: AllocationService;
  readonly usage: UsageService;
  readonly candidates: CandidateService;
  readonly #writer: PlacementWriter;

  constructor(
    readonly db: PlacementDb,
    readonly dialect: Dialect,
    options: PlacementServiceOptions = {},
  ) {
    const writer = new PlacementWriter(db, dialect);
    this.#writer = writer;
    this.catalog = new NameCatalog(writer);
    this.providers = new ProviderService(writer, this.catalog);
    this.inventories = new InventoryService(writer, this.providers, this.catalog);
    this.allocations = new AllocationService(writer, this.providers, this.inventories, this.catalog);
    this.usage = new UsageService(db, this.providers);
    this.candidates = new CandidateService(db, dialect, options);
  }

  // --- PlacementOperations: the in-process contract -----------------------------

  ensureProvider(spec: ResourceProviderSpec): Promise<void> {
    return this.providers.ensureProvider(spec);
  }

  async setInventories(providerUuid: string, inventories: Record<string, Inventory>): Promise<void> {
    await this.inventories.replaceInventories(providerUuid, inventories);
  }

  async setTraits(providerUuid: string, traits: string[]): Promise<void> {
    await this.providers.replaceMembers('traits', providerUuid, traits);
  }

  async setAggregates(providerUuid: string, aggregates: string[]): Promise<void> {
    await this.providers.replaceMembers('aggregates', providerUuid, aggregates);
  }

  deleteProvider(providerUuid: string): Promise<void> {
    return this.providers.deleteProvider(providerUuid);
  }

  writeCount(): number {
    return this.#writer.committed;
  }

  allocationCandidates(request: CandidateRequest): Promise<Candidate[]> {
    return this.candidates.allocationCandidates(request);
  }

  claim(request: ClaimRequest): Promise<boolean> {
    return this.allocations.claim(request);
  }

  moveAllocations(fromConsumer: string, toConsumer: string): Promise<void> {
    return this.allocations.moveAllocations(fromConsumer, toConsumer);
  }

  getAllocations(consumerUuid: string): Promise<Record<string, ResourceAmounts>> {
    return this.allocations.getAllocations(consumerUuid);
  }

  deleteAllocations(consumerUuid: string): Promise<void> {
    return this.allocations.deleteAllocations(consumerUuid);
  }

  usages(projectId: string, userId?: string): Promise<ResourceAmounts> {
    return this.usage.usages(projectId, userId);
  }

  async providerReport(): Promise<ProviderReport[]> {
    const providers = await this.providers.listProviders({});
    const inventories = await inventoriesOf(
      this.db,
      providers.map((p) => p.uuid),
    );
    return providers.map((p) => ({ uuid: p.uuid, name: p.name, generation: p.generation, inventories: Object.fromEntries(inventories.get(p.uuid) ?? []) }));
  }
}
