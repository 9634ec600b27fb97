/** openstack-exporter's identity metrics: counts of projects, users, groups, domains and regions, and each project's and domain's description. */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { GaugeSet, type CloudCollector } from './collector.js';

export function identityCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'identity');
  const projects = gauges.gauge('projects', 'Total number of projects');
  const projectInfo = gauges.gauge('project_info', 'Project information', ['is_domain', 'description', 'domain_id', 'enabled', 'id', 'name', 'parent_id']);
  const users = gauges.gauge('users', 'Total number of users');
  const groups = gauges.gauge('groups', 'Total number of groups');
  const regions = gauges.gauge('regions', 'Total number of regions');
  const domains = gauges.gauge('domains', 'Total number of domains');
  const domainInfo = gauges.gauge('domain_info', 'Domain information', ['description', 'enabled', 'id', 'name']);

  return {
    gauges,
    async refresh(services, caller) {
      const keystone = requiredPeer(services, 'identity', 'exporter')();
      const [list, census] = await Promise.all([keystone.listProjects(caller), keystone.directoryCensus(caller)]);
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
      users.set(census.users);
      groups.set(census.groups);
      regions.set(census.regions);
      domains.set(census.domains.length);
      for (const d of census.domains) domainInfo.set({ description: d.description ?? '', enabled: String(d.enabled), id: d.id, name: d.name }, 1);
    },
  };
}
