/**
 * Nova's versioned-notification moments as Nimbus emits them on the cloud's
 * event bus (`compute.instance.create.end`, `.delete.end`, `.power_off.end`,
 * `.power_on.end`), with the traits Ceilometer's event definitions draw from
 * Nova's payload: tenant_id, user_id, instance_id, resource_id, state (the
 * vm_state), flavor sizes, host and the launch and deletion times.
 */
import type { EventBus } from '../../core/events.js';
import type { Server } from '../store/index.js';

export type InstanceEventType =
  'compute.instance.create.end' | 'compute.instance.delete.end' | 'compute.instance.power_off.end' | 'compute.instance.power_on.end';

const dateOf = (text: string | null) => (text === null ? null : new Date(text));

export function publishInstanceEvent(events: EventBus, eventType: InstanceEventType, server: Server): void {
  const flavor = server.attrs.flavor;
  events.publish(eventType, {
    tenant_id: server.projectId,
    user_id: server.userId,
    instance_id: server.id,
    resource_id: server.id,
    display_name: server.name,
    host: server.host,
    service: 'compute',
    state: server.vmState,
    memory_mb: flavor.memoryMb,
    disk_gb: flavor.rootGb + flavor.ephemeralGb,
    root_gb: flavor.rootGb,
    ephemeral_gb: flavor.ephemeralGb,
    vcpus: flavor.vcpus,
    instance_type: flavor.name,
    instance_type_id: flavor.id,
    instance_flavor_id: flavor.id,
    availability_zone: eventType === 'compute.instance.create.end' ? server.attrs.availabilityZone : null,
    launched_at: dateOf(server.attrs.launchedAt),
    deleted_at: dateOf(server.deletedAt),
  });
}
