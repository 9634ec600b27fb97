/**
 * openstack-exporter's per-project series: `quota_<resource>` gauges with a
 * `type` label (the use, `reserved`, `limit`) and `limits_*` gauges, each
 * labelled with the project's name (`tenant`) and id (`tenant_id`). The
 * projects come from identity's door, as the exporter lists them from
 * Keystone; every project costs one quota read of the service per scrape.
 */
import type { Gauge } from 'prom-client';
import type { CallerContext } from '../../core/context.js';
import type { QuotaUse } from '../../core/quota/index.js';
import { requiredPeer, type ServiceRegistry } from '../../core/service-module.js';
import type { GaugeSet } from './collector.js';

export const PROJECT_LABELS = ['tenant', 'tenant_id'] as const;
const QUOTA_LABELS = ['type', ...PROJECT_LABELS] as const;

export interface ProjectRef {
  id: string;
  name: string;
}

type ProjectLabels = Record<(typeof PROJECT_LABELS)[number], string>;

function projectLabels(project: ProjectRef): ProjectLabels {
  return { tenant: project.name, tenant_id: project.id };
}

/** Every project the exporter's admin may list, with the reads of `read` for each, one project after another (a scrape should not flood the database). */
export async function perProject<T>(
  services: ServiceRegistry,
  caller: CallerContext,
  read: (projectId: string) => Promise<T>,
): Promise<Array<{ project: ProjectRef; value: T }>> {
  const projects = await requiredPeer(services, 'identity', 'exporter')().listProjects(caller);
  const out: Array<{ project: ProjectRef; value: T }> = [];
  for (const project of projects) out.push({ project, value: await read(project.id) });
  return out;
}

/**
 * `quota_<resource>` gauges for the named resources. `inUseType` is the
 * service's word for the use: Nova's detail says `in_use`, Neutron's `used`.
 */
export class QuotaGauges {
  readonly #gauges: Map<string, Gauge<(typeof QUOTA_LABELS)[number]>>;

  constructor(
    gauges: GaugeSet,
    resources: readonly string[],
    private readonly inUseType: 'in_use' | 'used',
  ) {
    this.#gauges = new Map(resources.map((r) => [r, gauges.gauge(`quota_${r}`, `Quota ${r} (${inUseType}, reserved, limit) per project`, QUOTA_LABELS)]));
  }

  /** Sets the project's three values of each known resource; resources the service did not answer are left out. */
  set(project: ProjectRef, quotas: Record<string, QuotaUse>): void {
    const labels = projectLabels(project);
    for (const [resource, gauge] of this.#gauges) {
      const q = quotas[resource];
      if (!q) continue;
      gauge.set({ type: this.inUseType, ...labels }, q.inUse);
      gauge.set({ type: 'reserved', ...labels }, q.reserved);
      gauge.set({ type: 'limit', ...labels }, q.limit);
    }
  }
}

/** One `limits_*` pair: the gauges' names and the quota resource whose limit and use they show. */
export interface LimitSpec {
  resource: string;
  max: string;
  used: string;
}

/** openstack-exporter's `limits_*` gauges: a resource's limit and use per project, with the project labels only. */
export class LimitGauges {
  readonly #pairs: Array<{ resource: string; max: Gauge<(typeof PROJECT_LABELS)[number]>; used: Gauge<(typeof PROJECT_LABELS)[number]> }>;

  constructor(gauges: GaugeSet, specs: readonly LimitSpec[]) {
    this.#pairs = specs.map(({ resource, max, used }) => ({
      resource,
      max: gauges.gauge(max, `Limit of ${resource} per project`, PROJECT_LABELS),
      used: gauges.gauge(used, `Use of ${resource} per project`, PROJECT_LABELS),
    }));
  }

  set(project: ProjectRef, quotas: Record<string, QuotaUse>): void {
    for (const { resource, max, used } of this.#pairs) {
      const q = quotas[resource];
      if (!q) continue;
      max.set(projectLabels(project), q.limit);
      used.set(projectLabels(project), q.inUse);
    }
  }
}
