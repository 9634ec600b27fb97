/**
 * os-hypervisors: each host's capacity as its driver reports it, and what the
 * servers placed on it use (Nova's compute_nodes row, which the resource
 * tracker fills from the instances on the host the same way).
 */
import type { CallerContext } from '../../core/context.js';
import * as store from '../store/index.js';
import type { ComputeService, Server } from '../store/index.js';
import { authorize } from './access.js';
import type { HostLoad } from '../drivers/driver.js';
import type { ComputeDeps } from './deps.js';
import type { HostLiveness } from './liveness.js';

export interface HypervisorUsage {
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  runningVms: number;
  /** Servers with a task in progress (Nova's current_workload). */
  currentWorkload: number;
}

export interface Hypervisor {
  service: ComputeService;
  /** Its compute service is up (liveness.ts). */
  up: boolean;
  usage: HypervisorUsage;
  /** Present when the caller asked for them: the servers on the host (uuid and name). */
  servers?: Array<{ uuid: string; name: string }>;
}

export interface HypervisorStatistics extends HypervisorUsage {
  count: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
}

export class HypervisorOps {
  constructor(
    private readonly deps: ComputeDeps,
    private readonly liveness: HostLiveness,
  ) {}

  /** Every compute host, oldest first; `pattern` keeps hostnames containing it (Nova's SQL LIKE '%pattern%'). */
  async list(
    auth: CallerContext,
    rule: 'list' | 'list-detail' | 'search' | 'servers',
    options: { pattern?: string; withServers?: boolean } = {},
  ): Promise<Hypervisor[]> {
    authorize(this.deps, auth, `os_compute_api:os-hypervisors:${rule}`);
    const pattern = options.pattern?.toLowerCase();
    const services = (await store.listServices(this.deps.db))
      .filter((s) => s.binary === 'nova-compute')
      .filter((s) => pattern === undefined || s.hypervisor.hypervisorHostname.toLowerCase().includes(pattern))
      .sort((a, b) => a.seq - b.seq);
    return Promise.all(services.map((s) => this.describe(s, options.withServers ?? false)));
  }

  /**
   * The host's uptime line, for a host this process's driver runs (its hosts run on this machine); null for a
   * host another process runs (an agent's), which this process cannot ask.
   */
  uptime(auth: CallerContext, hypervisor: Hypervisor): string | null {
    authorize(this.deps, auth, 'os_compute_api:os-hypervisors:uptime');
    const host = hypervisor.service.host;
    return this.deps.driver.hosts().some((h) => h.host === host) ? uptimeLine(new Date(), this.deps.driver.hostLoad(host)) : null;
  }

  /** The hypervisor by its integer id (before 2.53) or its uuid (2.53); null when there is none. */
  async get(auth: CallerContext, id: { seq: number } | { uuid: string }, withServers = false): Promise<Hypervisor | null> {
    authorize(this.deps, auth, 'os_compute_api:os-hypervisors:show');
    const services = await store.listServices(this.deps.db);
    const service = services.find((s) => ('seq' in id ? s.seq === id.seq : s.nodeUuid === id.uuid));
    return service ? this.describe(service, withServers) : null;
  }

  async statistics(auth: CallerContext): Promise<HypervisorStatistics> {
    authorize(this.deps, auth, 'os_compute_api:os-hypervisors:statistics');
    const all = await Promise.all((await store.listServices(this.deps.db)).filter((s) => s.binary === 'nova-compute').map((s) => this.describe(s, false)));
    const totals: HypervisorStatistics = {
      count: all.length,
      vcpus: 0,
      memoryMb: 0,
      localGb: 0,
      vcpusUsed: 0,
      memoryMbUsed: 0,
      localGbUsed: 0,
      runningVms: 0,
      currentWorkload: 0,
    };
    for (const { service, usage } of all) {
      totals.vcpus += service.hypervisor.vcpus;
      totals.memoryMb += service.hypervisor.memoryMb;
      totals.localGb += service.hypervisor.localGb;
      totals.vcpusUsed += usage.vcpusUsed;
      totals.memoryMbUsed += usage.memoryMbUsed;
      totals.localGbUsed += usage.localGbUsed;
      totals.runningVms += usage.runningVms;
      totals.currentWorkload += usage.currentWorkload;
    }
    return totals;
  }

  private async describe(service: ComputeService, withServers: boolean): Promise<Hypervisor> {
    const servers = await store.listServers(this.deps.db, { host: service.host, deleted: false });
    return {
      service,
      up: this.liveness.isUp(service),
      usage: usageOf(servers),
      ...(withServers && { servers: servers.map((s) => ({ uuid: s.id, name: s.name })) }),
    };
  }
}

/** What the servers on a host hold: their flavors' sizes (swap is in MiB, disks in GiB). */
export function usageOf(servers: Server[]): HypervisorUsage {
  const usage: HypervisorUsage = { vcpusUsed: 0, memoryMbUsed: 0, localGbUsed: 0, runningVms: servers.length, currentWorkload: 0 };
  for (const server of servers) {
    const flavor = server.attrs.flavor;
    usage.vcpusUsed += flavor.vcpus;
    usage.memoryMbUsed += flavor.memoryMb;
    usage.localGbUsed += flavor.rootGb + flavor.ephemeralGb + Math.ceil(flavor.swap / 1024);
    if (server.taskState !== null) usage.currentWorkload += 1;
  }
  return usage;
}

function since(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = hours === 0 ? `${minutes} min` : `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}`;
  return days === 0 ? clock : `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

/**
 * A host's uptime as Nova shows it: the line the `uptime` command prints on
 * the compute host (`LANG=C`), e.g. ` 10:15:02 up 3 days,  4:05,  0 users,
 * load average: 0.10, 0.20, 0.30`, from the figures its driver reads.
 */
export function uptimeLine(now: Date, { uptimeSeconds, loadAverage }: HostLoad): string {
  const time = now.toISOString().slice(11, 19);
  return ` ${time} up ${since(uptimeSeconds)},  0 users,  load average: ${loadAverage.map((l) => l.toFixed(2)).join(', ')}`;
}
