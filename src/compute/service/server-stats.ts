/**
 * Usage of servers as the hypervisor counts it (Nova's get_instance_diagnostics,
 * Ceilometer's compute pollsters): one server's counters, and the servers on
 * the hosts this process's driver runs (a compute agent polls its own hosts,
 * as ceilometer-polling runs beside each nova-compute). Both are admin-only:
 * Nova's os-server-diagnostics and os-hypervisors:servers rules.
 */
import type { CallerContext } from '../../core/context.js';
import { powerStateName, type GuestStats } from '../drivers/driver.js';
import { DriverError } from '../drivers/errors.js';
import { novaErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import type { ServerOps } from './servers.js';

/** What os-server-diagnostics shows: the counters, and what the hypervisor knows of the guest around them. */
export interface ServerDiagnostics {
  stats: GuestStats;
  /** libvirt's word for the guest's power state: running, paused, ... */
  state: string;
  uptimeSeconds: number;
  hypervisorType: string | null;
  configDrive: boolean;
}

export class ServerStatsOps {
  constructor(
    private readonly deps: ComputeDeps,
    private readonly servers: ServerOps,
  ) {}

  /** The server's counters; 409 when it runs nowhere or is shut down (no process to read). */
  async stats(auth: CallerContext, serverId: string): Promise<GuestStats> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-server-diagnostics');
    if (server.host === null) throw novaErrors.invalidState('get_diagnostics', serverId, 'vm_state', server.vmState);
    try {
      return await this.deps.driver.stats(server.host, serverId);
    } catch (error) {
      if (error instanceof DriverError && (error.code === 'InvalidDomainState' || error.code === 'DomainNotFound')) {
        throw novaErrors.invalidState('get_diagnostics', serverId, 'power_state', String(server.powerState));
      }
      throw error;
    }
  }

  /** The counters with the guest's state and uptime from the same host (admin: os-server-diagnostics). */
  async diagnostics(auth: CallerContext, serverId: string): Promise<ServerDiagnostics> {
    const stats = await this.stats(auth, serverId);
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-server-diagnostics');
    const host = server.host ?? '';
    const info = await this.deps.driver.info(host, serverId);
    const hypervisorType =
      this.deps.driver
        .hosts()
        .find((h) => h.host === host)
        ?.hypervisorType.toLowerCase() ?? null;
    return { stats, state: powerStateName(info.powerState), uptimeSeconds: info.uptimeSeconds, hypervisorType, configDrive: server.attrs.configDrive !== '' };
  }

  /** The live servers on each host this process's driver runs, by host. */
  async localServers(auth: CallerContext): Promise<Array<{ host: string; servers: Server[] }>> {
    authorize(this.deps, auth, 'os_compute_api:os-hypervisors:servers');
    const hosts = this.deps.driver.hosts().map((h) => h.host);
    return Promise.all(hosts.map(async (host) => ({ host, servers: await store.listServers(this.deps.db, { host, deleted: false }) })));
  }
}
