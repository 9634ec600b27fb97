/**
 * Compute hosts: each hypervisor the driver runs is a nova-compute service
 * (os-services) and a resource provider in Placement with VCPU, MEMORY_MB
 * and DISK_GB inventory and the configured allocation ratios, as
 * nova-compute's resource tracker reports on start.
 */
import { uuid } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { ComputeService } from '../store/index.js';
import type { ComputeDeps, ComputePeers } from './deps.js';

/** What reporting hosts needs: a compute agent has these without the rest of the service. */
export type HostReportDeps = Pick<ComputeDeps, 'config' | 'db' | 'driver' | 'log'> & { peers: Pick<ComputePeers, 'placementIfPresent'> };

export class HostOps {
  constructor(private readonly deps: HostReportDeps) {}

  /** Registers every host of the driver and reports its inventory; idempotent (runs at each start). */
  async report(): Promise<ComputeService[]> {
    const { config } = this.deps;
    const placement = this.deps.peers.placementIfPresent();
    if (!placement) this.deps.log.warn('no placement service: compute hosts are not reported and servers cannot be scheduled');
    const services: ComputeService[] = [];
    const aggregates = await store.listAggregates(this.deps.db);
    for (const host of this.deps.driver.hosts()) {
      if (host.unavailable) this.deps.log.error({ host: host.host, reason: host.unavailable }, 'compute host is down');
      const existing = await store.getServiceByHost(this.deps.db, host.host);
      const service = await store.upsertService(this.deps.db, {
        id: existing?.id ?? uuid(),
        host: host.host,
        binary: 'nova-compute',
        nodeUuid: existing?.nodeUuid ?? uuid(),
        // A host that cannot run guests is reported down with the reason (os-services).
        enabled: host.unavailable === null,
        disabledReason: host.unavailable,
        forcedDown: host.unavailable !== null,
        hypervisor: {
          hypervisorType: host.hypervisorType,
          hypervisorVersion: host.hypervisorVersion,
          hypervisorHostname: host.host,
          hostIp: host.hostIp,
          vcpus: host.vcpus,
          memoryMb: host.memoryMb,
          localGb: host.localGb,
          cpuAllocationRatio: config.cpu_allocation_ratio,
          ramAllocationRatio: config.ram_allocation_ratio,
          diskAllocationRatio: config.disk_allocation_ratio,
          zone: config.default_availability_zone,
        },
      });
      services.push(service);
      if (!placement) continue;
      await placement.ensureProvider({ uuid: service.nodeUuid, name: host.host });
      await placement.setInventories(service.nodeUuid, {
        VCPU: { total: host.vcpus, allocation_ratio: config.cpu_allocation_ratio, max_unit: host.vcpus },
        MEMORY_MB: { total: host.memoryMb, allocation_ratio: config.ram_allocation_ratio, max_unit: host.memoryMb, reserved: 0 },
        DISK_GB: { total: host.localGb, allocation_ratio: config.disk_allocation_ratio, max_unit: host.localGb },
      });
      await placement.setTraits(service.nodeUuid, ['COMPUTE_NODE']);
      // Host aggregates are mirrored as Placement aggregates (the scheduler's zone prefilter uses them).
      const memberOf = aggregates.filter((a) => a.hosts.includes(host.host)).map((a) => a.uuid);
      if (memberOf.length > 0) await placement.setAggregates(service.nodeUuid, memberOf);
    }
    return services;
  }

  async list(): Promise<ComputeService[]> {
    return store.listServices(this.deps.db);
  }
}
