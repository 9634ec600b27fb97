/** openstack-exporter's placement metrics: each provider's inventory per resource class (hostname is the provider's name, as Nova names it after the host). */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { GaugeSet, type CloudCollector } from './collector.js';

const LABELS = ['hostname', 'resourcetype'] as const;

export function placementCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'placement');
  const total = gauges.gauge('resource_total', 'Total resources', LABELS);
  const reserved = gauges.gauge('resource_reserved', 'Reserved resources', LABELS);
  const usage = gauges.gauge('resource_usage', 'Used resources', LABELS);
  const allocationRatio = gauges.gauge('resource_allocation_ratio', 'Resource allocation ratio', LABELS);
  const generation = gauges.gauge('resource_generation', 'Placement resource provider generation', LABELS);

  return {
    gauges,
    async refresh(services) {
      const placement = requiredPeer(services, 'placement', 'exporter')();
      for (const provider of await placement.providerReport()) {
        for (const [resourceClass, inventory] of Object.entries(provider.inventories)) {
          const labels = { hostname: provider.name, resourcetype: resourceClass };
          total.set(labels, inventory.total);
          reserved.set(labels, inventory.reserved);
          usage.set(labels, inventory.used);
          allocationRatio.set(labels, inventory.allocation_ratio);
          generation.set(labels, provider.generation);
        }
      }
    },
  };
}
