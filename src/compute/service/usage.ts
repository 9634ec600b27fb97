/**
 * os-simple-tenant-usage: per project, what its servers held during a period
 * (hours of each server between its launch and its termination, clipped to
 * the period; sizes from the flavor it kept), as Nova computes it.
 */
import type { CallerContext } from '../../core/context.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import { pageAfter } from './paging.js';
import { nowMs } from '../../core/time.js';

export interface UsagePeriod {
  start: Date;
  end: Date;
}

export interface ServerUsage {
  instanceId: string;
  name: string;
  tenantId: string;
  hours: number;
  memoryMb: number;
  localGb: number;
  vcpus: number;
  flavor: string;
  startedAt: string | null;
  endedAt: string | null;
  /** vm_state, or 'terminated' for a deleted server. */
  state: string;
  /** Seconds the server ran (to now while it runs). */
  uptime: number;
}

export interface TenantUsage {
  tenantId: string;
  totalHours: number;
  totalMemoryMbUsage: number;
  totalVcpusUsage: number;
  totalLocalGbUsage: number;
  serverUsages: ServerUsage[];
}

export class UsageOps {
  constructor(private readonly deps: ComputeDeps) {}

  /** Every project with servers active in the period (admin). `marker`/`limit` page over servers (2.40). */
  async list(
    auth: CallerContext,
    period: UsagePeriod,
    page: { marker?: string; limit?: number } = {},
  ): Promise<{ usages: TenantUsage[]; lastServer: string | null }> {
    authorize(this.deps, auth, 'os_compute_api:os-simple-tenant-usage:list');
    const servers = pageAfter(await this.activeServers(period), page, (s) => s.id);
    const byProject = new Map<string, Server[]>();
    for (const server of servers) byProject.set(server.projectId, [...(byProject.get(server.projectId) ?? []), server]);
    return { usages: [...byProject.entries()].map(([project, list]) => tally(project, list, period)), lastServer: servers.at(-1)?.id ?? null };
  }

  /** One project's usage; null when it had no server in the period (Nova answers `{}`). */
  async show(
    auth: CallerContext,
    projectId: string,
    period: UsagePeriod,
    page: { marker?: string; limit?: number } = {},
  ): Promise<{ usage: TenantUsage | null; lastServer: string | null }> {
    authorize(this.deps, auth, 'os_compute_api:os-simple-tenant-usage:show', { project_id: projectId });
    const servers = pageAfter(await this.activeServers(period, projectId), page, (s) => s.id);
    return { usage: servers.length > 0 ? tally(projectId, servers, period) : null, lastServer: servers.at(-1)?.id ?? null };
  }

  /** Servers whose life overlaps the period (deleted ones included), oldest first. */
  private async activeServers(period: UsagePeriod, projectId?: string): Promise<Server[]> {
    const servers = await store.listServers(this.deps.db, projectId !== undefined ? { projectId } : {});
    return servers.filter((s) => {
      const launched = s.attrs.launchedAt ? new Date(s.attrs.launchedAt) : null;
      const terminated = s.attrs.terminatedAt ? new Date(s.attrs.terminatedAt) : null;
      return (terminated === null || terminated > period.start) && (launched === null || launched < period.end);
    });
  }
}

/** Nova's _hours_for: from launch (or the period start) to termination (or the period end); 0 if never launched. */
function hoursFor(server: Server, period: UsagePeriod): number {
  const launched = server.attrs.launchedAt ? new Date(server.attrs.launchedAt) : null;
  const terminated = server.attrs.terminatedAt ? new Date(server.attrs.terminatedAt) : null;
  if (!launched || launched > period.end || (terminated && terminated < period.start)) return 0;
  const start = Math.max(launched.getTime(), period.start.getTime());
  const stop = terminated ? Math.min(terminated.getTime(), period.end.getTime()) : period.end.getTime();
  return Math.max(0, stop - start) / 3_600_000;
}

function tally(projectId: string, servers: Server[], period: UsagePeriod): TenantUsage {
  const usage: TenantUsage = { tenantId: projectId, totalHours: 0, totalMemoryMbUsage: 0, totalVcpusUsage: 0, totalLocalGbUsage: 0, serverUsages: [] };
  const now = nowMs();
  for (const server of servers) {
    const flavor = server.attrs.flavor;
    const hours = hoursFor(server, period);
    const localGb = flavor.rootGb + flavor.ephemeralGb;
    const startedAt = server.attrs.launchedAt ?? null;
    const endedAt = server.attrs.terminatedAt ?? null;
    usage.totalHours += hours;
    usage.totalMemoryMbUsage += flavor.memoryMb * hours;
    usage.totalVcpusUsage += flavor.vcpus * hours;
    usage.totalLocalGbUsage += localGb * hours;
    usage.serverUsages.push({
      instanceId: server.id,
      name: server.name,
      tenantId: projectId,
      hours,
      memoryMb: flavor.memoryMb,
      localGb,
      vcpus: flavor.vcpus,
      flavor: flavor.name,
      startedAt,
      endedAt,
      state: server.deleted ? 'terminated' : server.vmState,
      uptime: startedAt ? Math.floor(((endedAt ? new Date(endedAt).getTime() : now) - new Date(startedAt).getTime()) / 1000) : 0,
    });
  }
  return usage;
}
