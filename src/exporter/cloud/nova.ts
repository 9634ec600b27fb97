/**
 * openstack-exporter's nova metrics: servers and their status, flavors, each
 * hypervisor's capacity and use, each compute service's state, and each
 * project's quotas and limits.
 */
import type { Registry } from 'prom-client';
import type { CallerContext } from '../../core/context.js';
import { requiredPeer } from '../../core/service-module.js';
import type { ComputeOperations, ComputeServer } from '../../compute/operations.js';
import { GaugeSet, statusIndex, type CloudCollector } from './collector.js';
import { LimitGauges, perProject, QuotaGauges, type LimitSpec } from './quotas.js';

/** openstack-exporter's order of Nova's server statuses: a server's `server_status` value is its status's position. */
const SERVER_STATUSES = [
  'ACTIVE',
  'BUILD',
  'BUILD(spawning)',
  'DELETED',
  'ERROR',
  'HARD_REBOOT',
  'PASSWORD',
  'REBOOT',
  'REBUILD',
  'RESCUE',
  'RESIZE',
  'SHUTOFF',
  'SUSPENDED',
  'UNKNOWN',
  'VERIFY_RESIZE',
  'MIGRATING',
  'PAUSED',
  'REVERT_RESIZE',
  'SHELVED',
  'SHELVED_OFFLOADED',
  'SOFT_DELETED',
] as const;

const SERVER_LABELS = [
  'id',
  'status',
  'name',
  'tenant_id',
  'user_id',
  'address_ipv4',
  'address_ipv6',
  'host_id',
  'hypervisor_hostname',
  'uuid',
  'availability_zone',
  'flavor_id',
  'instance_libvirt',
] as const;
const HYPERVISOR_LABELS = ['hostname', 'availability_zone', 'aggregates'] as const;
/** The quota series of the resources Nova's latest microversion shows (the exporter's others read 0 there: not exported). */
const QUOTA_RESOURCES = ['cores', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_groups', 'server_group_members'] as const;
/** The exporter's limits and the quota resources they read (/limits' maxTotalCores, totalCoresUsed, ...). */
const LIMITS: readonly LimitSpec[] = [
  { resource: 'cores', max: 'limits_vcpus_max', used: 'limits_vcpus_used' },
  { resource: 'ram', max: 'limits_memory_max', used: 'limits_memory_used' },
  { resource: 'instances', max: 'limits_instances_max', used: 'limits_instances_used' },
];
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export function novaCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'nova');
  const totalVms = gauges.gauge('total_vms', 'Total number of VMs');
  const serverStatus = gauges.gauge('server_status', 'Server status', SERVER_LABELS);
  const flavors = gauges.gauge('flavors', 'Total number of flavors');
  const host = (name: string, help: string) => gauges.gauge(name, help, HYPERVISOR_LABELS);
  const workload = host('current_workload', 'Current workload');
  const vcpusAvailable = host('vcpus_available', 'Available vCPUs');
  const vcpusUsed = host('vcpus_used', 'Used vCPUs');
  const memoryAvailable = host('memory_available_bytes', 'Available memory in bytes');
  const memoryUsed = host('memory_used_bytes', 'Used memory in bytes');
  const storageAvailable = host('local_storage_available_bytes', 'Available local storage in bytes');
  const storageUsed = host('local_storage_used_bytes', 'Used local storage in bytes');
  const freeDisk = host('free_disk_bytes', 'Free disk space in bytes');
  const agentState = gauges.gauge('agent_state', 'Agent state (1=up, 0=down)', ['id', 'hostname', 'service', 'adminState', 'zone', 'disabledReason']);
  const quotas = new QuotaGauges(gauges, QUOTA_RESOURCES, 'in_use');
  const limits = new LimitGauges(gauges, LIMITS);

  return {
    gauges,
    async refresh(services, caller) {
      const nova = requiredPeer(services, 'compute', 'exporter')();
      const [servers, flavorList, hypervisors, computeServices] = await Promise.all([
        everyServer(nova, caller),
        nova.listFlavors(caller),
        nova.listHypervisors(caller),
        nova.listComputeServices(caller),
      ]);
      totalVms.set(servers.length);
      for (const s of servers) {
        const labels = {
          id: s.id,
          status: s.status,
          name: s.name,
          tenant_id: s.projectId,
          user_id: s.userId,
          address_ipv4: s.accessIPv4,
          address_ipv6: s.accessIPv6,
          // The compute door does not say where a server runs; an empty label is Prometheus's "unknown".
          host_id: '',
          hypervisor_hostname: '',
          uuid: s.id,
          availability_zone: s.availabilityZone ?? '',
          flavor_id: s.flavorId,
          instance_libvirt: `instance-${s.id}`,
        };
        serverStatus.set(labels, statusIndex(SERVER_STATUSES, s.status));
      }
      flavors.set(flavorList.length);
      for (const h of hypervisors) {
        // Nimbus has no host aggregates listing at the door: openstack-exporter's label for a host in none is empty.
        const labels = { hostname: h.hostname, availability_zone: h.availabilityZone, aggregates: '' };
        workload.set(labels, h.currentWorkload);
        vcpusAvailable.set(labels, h.vcpus);
        vcpusUsed.set(labels, h.vcpusUsed);
        memoryAvailable.set(labels, h.memoryMb * MIB);
        memoryUsed.set(labels, h.memoryMbUsed * MIB);
        storageAvailable.set(labels, h.localGb * GIB);
        storageUsed.set(labels, h.localGbUsed * GIB);
        freeDisk.set(labels, (h.localGb - h.localGbUsed) * GIB);
      }
      for (const service of computeServices) {
        const labels = {
          id: service.id,
          hostname: service.host,
          service: service.binary,
          adminState: service.enabled ? 'enabled' : 'disabled',
          zone: service.zone,
          disabledReason: service.disabledReason ?? '',
        };
        agentState.set(labels, service.state === 'up' ? 1 : 0);
      }
      // /limits' absolute values are the quota detail's limit and use: one read per project serves both families.
      for (const { project, value } of await perProject(services, caller, (id) => nova.quotaDetails(caller, id))) {
        quotas.set(project, value);
        limits.set(project, value);
      }
    },
  };
}

/** Every project's servers: the door answers at most Nova's osapi_max_limit per call, so this pages with markers until a page is empty. */
async function everyServer(nova: ComputeOperations, caller: CallerContext): Promise<ComputeServer[]> {
  const servers: ComputeServer[] = [];
  for (;;) {
    const marker = servers.at(-1)?.id;
    const page = await nova.listServers(caller, { allProjects: true, ...(marker !== undefined && { marker }) });
    if (page.length === 0) return servers;
    servers.push(...page);
  }
}
