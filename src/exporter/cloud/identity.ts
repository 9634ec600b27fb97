/** openstack-exporter's identity metrics: the project count and each project's description. */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { GaugeSet, type CloudCollector } from './collector.js';

export function identityCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'identity');
  const projects = gauges.gauge('projects', 'Total number of projects');
  const projectInfo = gauges.gauge('project_info', 'Project information', ['is_domain', 'description', 'domain_id', 'enabled', 'id', 'name', 'parent_id']);

  return {
    gauges,
    async refresh(services, caller) {
      const keystone = requiredPeer(services, 'identity', 'exporter')();
      const list = await keystone.listProjects(caller);
      projects.set(list.length);
      for (const p of list) {
        projectInfo.set(
          {
            is_domain: 'false',
            description: p.description ?? '',
            domain_id: p.domainId,
            enabled: String(p.enabled),
            id: p.id,
            name: p.name,
            parent_id: p.parentId ?? '',
          },
          1,
        );
      }
    },
  };
}
