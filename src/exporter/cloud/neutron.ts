/** openstack-exporter's neutron metrics: counts of networks, subnets, ports, routers, security groups and floating IPs, each agent's state, each project's quotas. */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { GaugeSet, type CloudCollector } from './collector.js';
import { perProject, QuotaGauges } from './quotas.js';

/** The exporter's `quota_*` resources (Neutron's quota names). */
const QUOTA_RESOURCES = ['network', 'subnet', 'subnetpool', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule', 'rbac_policy'] as const;

export function neutronCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'neutron');
  const floatingIps = gauges.gauge('floating_ips', 'Total number of floating IPs');
  const associatedNotActive = gauges.gauge('floating_ips_associated_not_active', 'Number of associated floating IPs not active');
  const networks = gauges.gauge('networks', 'Total number of networks');
  const subnets = gauges.gauge('subnets', 'Total number of subnets');
  const ports = gauges.gauge('ports', 'Total number of ports');
  const routers = gauges.gauge('routers', 'Total number of routers');
  const securityGroups = gauges.gauge('security_groups', 'Total number of security groups');
  const agentState = gauges.gauge('agent_state', 'Agent state (1=up, 0=down)', ['id', 'hostname', 'service', 'adminState', 'availability_zone']);
  const quotas = new QuotaGauges(gauges, QUOTA_RESOURCES, 'used');

  return {
    gauges,
    async refresh(services, caller) {
      const neutron = requiredPeer(services, 'network', 'exporter')();
      const [ips, networkList, subnetList, portList, routerList, groupList, agents] = await Promise.all([
        neutron.floatingIps.list(caller),
        neutron.networks.list(caller),
        neutron.subnets.list(caller),
        neutron.ports.list(caller),
        neutron.routers.list(caller),
        neutron.securityGroups.list(caller),
        neutron.listAgents(caller),
      ]);
      floatingIps.set(ips.length);
      associatedNotActive.set(ips.filter((ip) => ip.portId !== null && ip.status !== 'ACTIVE').length);
      networks.set(networkList.length);
      subnets.set(subnetList.length);
      ports.set(portList.length);
      routers.set(routerList.length);
      securityGroups.set(groupList.length);
      for (const agent of agents) {
        const labels = {
          id: agent.id,
          hostname: agent.host,
          service: agent.binary,
          adminState: agent.adminStateUp ? 'up' : 'down',
          availability_zone: agent.availabilityZone ?? '',
        };
        agentState.set(labels, agent.alive ? 1 : 0);
      }
      for (const { project, value } of await perProject(services, caller, (id) => neutron.quotaDetails(caller, id))) quotas.set(project, value);
    },
  };
}
