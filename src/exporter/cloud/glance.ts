/** openstack-exporter's glance metrics: the image count and each image's size. */
import type { Registry } from 'prom-client';
import { requiredPeer } from '../../core/service-module.js';
import { GaugeSet, type CloudCollector } from './collector.js';

export function glanceCollector(registry: Registry): CloudCollector {
  const gauges = new GaugeSet(registry, 'glance');
  const images = gauges.gauge('images', 'Total number of images');
  const imageBytes = gauges.gauge('image_bytes', 'Image size in bytes', ['id', 'name', 'tenant_id']);
  const createdAt = gauges.gauge('image_created_at', 'Image creation timestamp', ['hidden', 'id', 'name', 'status', 'tenant_id', 'visibility']);

  return {
    gauges,
    async refresh(services, caller) {
      const glance = requiredPeer(services, 'image', 'exporter')();
      const list = await glance.list(caller, { visibility: 'all', memberStatus: 'all' });
      images.set(list.length);
      for (const image of list) {
        const name = image.name ?? '';
        const tenant = image.owner ?? '';
        imageBytes.set({ id: image.id, name, tenant_id: tenant }, image.size ?? 0);
        const labels = { hidden: String(image.os_hidden), id: image.id, name, status: image.status, tenant_id: tenant, visibility: image.visibility };
        createdAt.set(labels, Date.parse(image.created_at) / 1000);
      }
    },
  };
}
