/**
 * Glance's `image.upload` (data stored, the image active) and `image.delete`
 * on the cloud's event bus, with the traits Ceilometer's event definitions
 * draw from Glance's payload (project_id and user_id both the owner,
 * resource_id the image, name, status, size, created_at, deleted_at).
 */
import type { EventBus } from '../../core/events.js';
import type { Image, ImageStatus } from '../store/index.js';

export function publishImageEvent(events: EventBus, eventType: 'image.upload' | 'image.delete', image: Image, status: ImageStatus, size: number | null): void {
  events.publish(eventType, {
    project_id: image.owner,
    user_id: image.owner,
    resource_id: image.id,
    name: image.name,
    status,
    size,
    created_at: new Date(image.created_at),
    deleted_at: eventType === 'image.delete' ? new Date() : null,
  });
}
