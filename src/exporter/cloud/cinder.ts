/** openstack-exporter's cinder metrics: volumes (size and status), snapshots, each service's state, each project's volume and backup gigabytes. */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { VOLUME_STATUSES } from '../../volume/operations.js';
import { countByStatus, GaugeSet, type CloudCollector } from './collector.js';
import { LimitGauges, perProject, type LimitSpec } from './quotas.js';

/** The exporter's gigabyte limits and the Cinder quota resources they read. */
const LIMITS: readonly LimitSpec[] = [
  { resource: 'gigabytes', max: 'limits_volume_max_gb', used: 'limits_volume_used_gb' },
  { resource: 'backup_gigabytes', max: 'limits_backup_max_gb', used: 'limits_backup_used_gb' },
];
const VOLUME_LABELS = ['id', 'name', 'status', 'availability_zone', 'bootable', 'tenant_id', 'user_id', 'volume_type', 'server_id'] as const;

export function cinderCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'cinder');
  const volumes = gauges.gauge('volumes', 'Total number of volumes');
  const snapshots = gauges.gauge('snapshots', 'Total number of snapshots');
  const volumeGb = gauges.gauge('volume_gb', 'Volume size in GB', VOLUME_LABELS);
  const statusCounter = gauges.gauge('volume_status_counter', 'Volume status counter', ['status']);
  const agentState = gauges.gauge('agent_state', 'Agent state (1=up, 0=down)', ['uuid', 'hostname', 'service', 'adminState', 'zone', 'disabledReason']);
  const limits = new LimitGauges(gauges, LIMITS);

  return {
    gauges,
    async refresh(services, caller) {
      const cinder = requiredPeer(services, 'volume', 'exporter')();
      const [volumeList, snapshotList, types, cinderServices] = await Promise.all([
        cinder.listVolumes(caller, { allProjects: true }),
        cinder.listSnapshots(caller, { allProjects: true }),
        cinder.listVolumeTypes(caller),
        cinder.listServices(caller),
      ]);
      const typeNames = new Map(types.map((t) => [t.id, t.name]));
      volumes.set(volumeList.length);
      snapshots.set(snapshotList.length);
      for (const v of volumeList) {
        volumeGb.set(
          {
            id: v.id,
            name: v.name ?? '',
            status: v.status,
            availability_zone: v.availabilityZone,
            bootable: String(v.bootable),
            tenant_id: v.projectId,
            // The volume door does not keep the creating user.
            user_id: '',
            volume_type: typeNames.get(v.volumeTypeId) ?? v.volumeTypeId,
            server_id: v.attachments.find((a) => a.serverId)?.serverId ?? '',
          },
          v.size,
        );
      }
      for (const [status, count] of countByStatus(
        VOLUME_STATUSES,
        volumeList.map((v) => v.status),
      ))
        statusCounter.set({ status }, count);
      for (const service of cinderServices) {
        const labels = {
          // openstack-exporter makes up a random UUID per scrape here (os-services has no id); a fresh series each scrape helps nobody.
          uuid: '',
          hostname: service.host,
          service: service.binary,
          adminState: service.status,
          zone: service.zone,
          disabledReason: service.disabledReason ?? '',
        };
        agentState.set(labels, service.state === 'up' ? 1 : 0);
      }
      for (const { project, value } of await perProject(services, caller, (id) => cinder.quotaUsage(caller, id))) limits.set(project, value);
    },
  };
}
