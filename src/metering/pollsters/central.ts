/**
 * Ceilometer's central pollsters: one listing per owning service (through its
 * door, as an admin of every project) gives `image.size`, `volume.size`,
 * `volume.snapshot.size`, `volume.backup.size`, `ip.floating` and the Swift
 * account meters `storage.objects`, `storage.objects.size` and
 * `storage.objects.containers` (one account per project, as Ceilometer walks
 * Keystone's projects). A service that is absent or fails is skipped for the
 * cycle; the others still report.
 */
import { serviceCaller, type CallerContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';
import type { ServiceRegistry } from '../../core/service-module.js';
import { METERS, type Meter, type OwnerKind, type PollOutcome, type Sample } from '../samples.js';

interface Listing {
  kind: OwnerKind;
  /** The registry entry it needs; skipped when that service is absent. */
  service: 'image' | 'volume' | 'network' | 'object-store';
  poll(services: ServiceRegistry, caller: CallerContext, sample: SampleMaker): Promise<Sample[]>;
}

type SampleMaker = (
  meter: Meter,
  volume: number,
  resource: { id: string; projectId: string | null; userId?: string | null; kind: OwnerKind; metadata: Sample['resourceMetadata'] },
) => Sample;

export const METERING_USER = 'nimbus-metering';

const LISTINGS: Listing[] = [
  {
    kind: 'image',
    service: 'image',
    async poll(services, caller, sample) {
      const images = await services.image!.list(caller, { visibility: 'all', memberStatus: 'all' });
      return images
        .filter((image) => image.size !== null)
        .map((image) =>
          sample(METERS.imageSize, Number(image.size), {
            id: image.id,
            projectId: image.owner,
            kind: 'image',
            metadata: { name: image.name, container_format: image.container_format, disk_format: image.disk_format, status: image.status },
          }),
        );
    },
  },
  {
    kind: 'volume',
    service: 'volume',
    async poll(services, caller, sample) {
      return (await services.volume!.listVolumes(caller, { allProjects: true })).map((volume) =>
        sample(METERS.volumeSize, volume.size, {
          id: volume.id,
          projectId: volume.projectId,
          kind: 'volume',
          metadata: {
            display_name: volume.name,
            volume_type: volume.volumeTypeId,
            image_id: volume.imageMetadata.image_id ?? null,
            instance_id: volume.attachments.find((a) => a.serverId !== null)?.serverId ?? null,
            status: volume.status,
          },
        }),
      );
    },
  },
  {
    kind: 'snapshot',
    service: 'volume',
    async poll(services, caller, sample) {
      return (await services.volume!.listSnapshots(caller, { allProjects: true })).map((snapshot) =>
        sample(METERS.snapshotSize, snapshot.size, {
          id: snapshot.id,
          projectId: snapshot.projectId,
          userId: snapshot.userId,
          kind: 'snapshot',
          metadata: { display_name: snapshot.name, volume_id: snapshot.volumeId, status: snapshot.status },
        }),
      );
    },
  },
  {
    kind: 'backup',
    service: 'volume',
    async poll(services, caller, sample) {
      return (await services.volume!.listBackups(caller, { allProjects: true })).map((backup) =>
        sample(METERS.backupSize, backup.size, {
          id: backup.id,
          projectId: backup.projectId,
          userId: backup.userId,
          kind: 'backup',
          metadata: { display_name: backup.name, volume_id: backup.volumeId, status: backup.status },
        }),
      );
    },
  },
  {
    kind: 'floating_ip',
    service: 'network',
    async poll(services, caller, sample) {
      return (await services.network!.floatingIps.list(caller)).map((ip) =>
        sample(METERS.floatingIp, 1, {
          id: ip.id,
          projectId: ip.projectId,
          kind: 'floating_ip',
          metadata: { floating_ip_address: ip.floatingIpAddress, fixed_ip_address: ip.fixedIpAddress, port_id: ip.portId, status: ip.status },
        }),
      );
    },
  },
  {
    kind: 'project',
    service: 'object-store',
    async poll(services, caller, sample) {
      const identity = services.identity;
      if (!identity) return [];
      const samples: Sample[] = [];
      for (const project of await identity.listProjects(caller)) {
        const containers = await services['object-store']!.listContainers(serviceCaller(METERING_USER, project));
        const resource = { id: project.id, projectId: project.id, kind: 'project' as const, metadata: {} };
        samples.push(
          sample(METERS.objects, sum(containers.map((c) => c.objectCount)), resource),
          sample(METERS.objectsSize, sum(containers.map((c) => c.bytesUsed)), resource),
          sample(METERS.containers, containers.length, resource),
        );
      }
      return samples;
    },
  },
];

export async function pollCentral(services: ServiceRegistry, caller: CallerContext, timestamp: string, log: Logger): Promise<PollOutcome> {
  const sample: SampleMaker = (meter, volume, resource) => ({
    meter,
    volume,
    userId: resource.userId ?? null,
    projectId: resource.projectId,
    resourceId: resource.id,
    timestamp,
    resourceMetadata: resource.metadata,
    owner: { kind: resource.kind, id: resource.id },
  });
  const outcome: PollOutcome = { samples: [], completeKinds: [] };
  for (const listing of LISTINGS) {
    if (!services[listing.service]) continue;
    try {
      outcome.samples.push(...(await listing.poll(services, caller, sample)));
      outcome.completeKinds.push(listing.kind);
    } catch (err) {
      log.warn({ err, kind: listing.kind }, 'central pollster failed; its meters are skipped this cycle');
    }
  }
  return outcome;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
