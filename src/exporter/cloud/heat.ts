/** openstack-exporter's heat metrics: each stack's status and the count of each status. */
import type { Registry } from 'prom-client';
import { serviceCaller } from '../../core/context.js';
import { requiredPeer } from '../../core/service-module.js';
import { countByStatus, GaugeSet, statusIndex, type CloudCollector } from './collector.js';

const ACTIONS = ['INIT', 'CREATE', 'DELETE', 'UPDATE', 'ROLLBACK', 'SUSPEND', 'RESUME', 'ADOPT', 'SNAPSHOT', 'CHECK'];
/** openstack-exporter's order of Heat's stack statuses (each action's IN_PROGRESS, FAILED, COMPLETE): a stack's value is its position. */
const STACK_STATUSES = ACTIONS.flatMap((action) => ['IN_PROGRESS', 'FAILED', 'COMPLETE'].map((state) => `${action}_${state}`));

export function heatCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'heat');
  const stackStatus = gauges.gauge('stack_status', 'Heat stack status', ['id', 'name', 'project_id', 'status']);
  const statusCounter = gauges.gauge('stack_status_counter', 'Heat stack status counter', ['status']);

  return {
    gauges,
    async refresh(services, caller) {
      const heat = requiredPeer(services, 'orchestration', 'exporter')();
      const projects = await requiredPeer(services, 'identity', 'exporter')().listProjects(caller);
      // Heat denies every caller the all-projects listing by default (stacks:global_index): one listing per project, as its member.
      const perProject = await Promise.all(projects.map((project) => heat.stacks.list(serviceCaller(caller.userId, project), {})));
      const stacks = perProject.flat();
      const statuses = stacks.map((s) => `${s.action}_${s.status}`);
      stacks.forEach((s, i) => {
        const status = statuses[i]!;
        stackStatus.set({ id: s.id, name: s.name, project_id: s.projectId, status }, statusIndex(STACK_STATUSES, status));
      });
      for (const [status, count] of countByStatus(STACK_STATUSES, statuses)) statusCounter.set({ status }, count);
    },
  };
}
