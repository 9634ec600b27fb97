/** Usages: what providers have handed out, and what projects and users hold. */
import type { ResourceAmounts } from '../operations.js';
import { inventoriesOf, num, type PlacementDb } from '../store/index.js';
import type { ProviderService } from './providers.js';

export interface ProviderUsage {
  generation: number;
  usages: ResourceAmounts;
}

export class UsageService {
  constructor(
    private readonly db: PlacementDb,
    private readonly providers: ProviderService,
  ) {}

  async providerUsages(providerUuid: string): Promise<ProviderUsage> {
    const provider = await this.providers.getProvider(providerUuid);
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
}
