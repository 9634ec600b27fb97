/**
 * Cinder's `volume.create.end` and `volume.delete.end` on the cloud's event
 * bus, with the traits Ceilometer's event definitions draw from Cinder's
 * payload (project_id from its tenant_id, resource_id the volume, size, type
 * the volume type's id as Cinder sends it, status at that moment).
 */
import type { EventBus } from '../../core/events.js';
import type { Volume } from '../store/index.js';

export function publishVolumeEvent(events: EventBus, eventType: 'volume.create.end' | 'volume.delete.end', volume: Volume, status: string): void {
  events.publish(eventType, {
    user_id: volume.user_id,
    project_id: volume.project_id,
    availability_zone: volume.availability_zone,
    display_name: volume.name,
    status,
    created_at: new Date(volume.created_at),
    resource_id: volume.id,
    host: volume.host,
    size: volume.size,
    type: volume.volume_type_id,
  });
}
