/** Allocation candidates: providers that can satisfy a request, with their capacity, traits and aggregates. */
import type { Dialect } from '../../core/db/database.js';
import type { Candidate, CandidateRequest } from '../operations.js';
import { aggregatesOf, capacityOf, inventoriesOf, searchProviders, traitsOf, type PlacementDb, type ProviderFilter, type ProviderRow } from '../store/index.js';
import { withoutZeroAmounts } from './amounts.js';

export interface CandidateOptions {
  /** Placement's `[placement] randomize_allocation_candidates`. */
  randomizeAllocationCandidates?: boolean;
}

export class CandidateService {
  constructor(
    private readonly db: PlacementDb,
    private readonly dialect: Dialect,
    private readonly options: CandidateOptions,
  ) {}

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
    const [inventories, traits, aggregates] = await Promise.all([inventoriesOf(this.db, uuids), traitsOf(this.db, uuids), aggregatesOf(this.db, uuids)]);
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
