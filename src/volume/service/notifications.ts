/**
 * Cinder's notifications on the cloud's event bus.
 *
 * `volume.create.end` and `volume.delete.end` on the cloud's event
 * bus, with the traits Ceilometer's event definitions draw from Cinder's
 * payload (project_id from its tenant_id, resource_id the volume, size, type
 * the volume type's id as Cinder sends it, status at that moment).
 */
import type { EventBus } from '../../core/events.js';
import type { Backup, Snapshot, Volume } from '../store/index.js';

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

/**
 * Cinder's `snapshot.create.start/.end` and `snapshot.delete.start/.end` (its
 * `_usage_from_snapshot` payload; the volume manager sends `.start` as it
 * takes the work, with the status then, and `.end` when done). Ceilometer's
 * event definitions read `snapshot.create.*` and `snapshot.delete.*` alike:
 * its snapshot traits take
 * project_id from tenant_id, resource_id from snapshot_id, and the volume's
 * id; the zone is the volume's, as Cinder reads it.
 */
export function publishSnapshotEvent(
  events: EventBus,
  eventType: `snapshot.${'create' | 'delete'}.${'start' | 'end'}`,
  snapshot: Snapshot,
  volume: Volume | null,
  status: string,
): void {
  events.publish(eventType, {
    user_id: snapshot.user_id,
    project_id: snapshot.project_id,
    availability_zone: volume?.availability_zone,
    display_name: snapshot.name,
    status,
    created_at: new Date(snapshot.created_at),
    resource_id: snapshot.id,
    volume_id: snapshot.volume_id,
    volume_size: snapshot.size,
  });
}

/**
 * Cinder's `backup.create.start/.end` and `backup.delete.start/.end` (its
 * `_usage_from_backup` payload's fields; the backup manager sends `.start` as
 * it takes the work, with the status then). Ceilometer has no event definition
 * for backups, so these are the payload's names, with project_id (Cinder's
 * tenant_id) for Aodh to find the project and resource_id the backup.
 */
export function publishBackupEvent(events: EventBus, eventType: `backup.${'create' | 'delete'}.${'start' | 'end'}`, backup: Backup, status: string): void {
  events.publish(eventType, {
    user_id: backup.user_id,
    project_id: backup.project_id,
    availability_zone: backup.availability_zone,
    display_name: backup.name,
    status,
    created_at: new Date(backup.created_at),
    resource_id: backup.id,
    backup_id: backup.id,
    volume_id: backup.volume_id,
    snapshot_id: backup.snapshot_id,
    size: backup.size,
    container: backup.container,
  });
}
