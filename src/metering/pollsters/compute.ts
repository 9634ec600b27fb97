/**
 * Ceilometer's compute pollsters (ceilometer-polling's compute namespace):
 * for each server on a host this process runs, one read of its counters
 * from the hypervisor (compute's door, `serverStats`) gives `cpu`, `vcpus`,
 * `memory`, `memory.usage`, `disk.root.size`, the per-disk
 * `disk.device.*` and the per-interface `network.*` samples. A server that is
 * not running (409 from compute) yields nothing, as Ceilometer skips a shut
 * off instance. Resource ids are Ceilometer's: the server's uuid,
 * `<uuid>-<device>` for a disk, `<instance name>-<uuid>-<tap>` for an interface.
 */
import type { CallerContext } from '../../core/context.js';
import type { JsonObject } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import type { ComputeOperations, GuestStats, HostedServer } from '../../compute/operations.js';
import { METERS, type Meter, type Sample } from '../samples.js';

/** Asks whether this process polls `host` this cycle (the claim that keeps two processes from polling it twice). */
export type HostClaim = (host: string) => Promise<boolean>;

export async function pollCompute(compute: ComputeOperations, caller: CallerContext, claim: HostClaim, timestamp: string, log: Logger): Promise<Sample[]> {
  const byHost = new Map<string, HostedServer[]>();
  for (const server of await compute.localServers(caller)) byHost.set(server.host, [...(byHost.get(server.host) ?? []), server]);
  const samples: Sample[] = [];
  for (const [host, servers] of byHost) {
    if (!(await claim(host))) continue;
    for (const server of servers) {
      try {
        const stats = await statsOrNull(compute, caller, server.id);
        if (stats) samples.push(...serverSamples(server, stats, timestamp));
      } catch (err) {
        // One guest the hypervisor cannot read (a stuck QMP) must not cost the others their samples.
        log.warn({ err, server: server.id }, 'ignoring instance: its counters could not be read');
      }
    }
  }
  return samples;
}

async function statsOrNull(compute: ComputeOperations, caller: CallerContext, serverId: string): Promise<GuestStats | null> {
  try {
    return await compute.serverStats(caller, serverId);
  } catch (error) {
    // Not running (409) or deleted meanwhile (404): nothing to meter this cycle.
    const status = (error as { status?: number }).status;
    if (status === 409 || status === 404) return null;
    throw error;
  }
}

export function serverSamples(server: HostedServer, stats: GuestStats, timestamp: string): Sample[] {
  const instance = instanceMetadata(server);
  const owner = { kind: 'server' as const, id: server.id };
  const sample = (meter: Meter, volume: number, resourceId: string, resourceMetadata: JsonObject): Sample => ({
    meter,
    volume,
    userId: server.userId,
    projectId: server.projectId,
    resourceId,
    timestamp,
    resourceMetadata,
    owner,
  });
  const samples = [
    sample(METERS.cpu, stats.cpuTimeNs, server.id, { ...instance, cpu_number: stats.vcpus }),
    sample(METERS.vcpus, stats.vcpus, server.id, instance),
    sample(METERS.memory, stats.memoryMb, server.id, instance),
    sample(METERS.diskRootSize, server.flavor.diskGb, server.id, instance),
  ];
  if (stats.memoryUsageMb !== null) samples.push(sample(METERS.memoryUsage, stats.memoryUsageMb, server.id, instance));
  for (const disk of stats.disks) {
    const metadata = { ...instance, disk_name: disk.device, instance_id: server.id };
    const id = `${server.id}-${disk.device}`;
    samples.push(
      sample(METERS.diskReadBytes, disk.readBytes, id, metadata),
      sample(METERS.diskReadRequests, disk.readRequests, id, metadata),
      sample(METERS.diskWriteBytes, disk.writeBytes, id, metadata),
      sample(METERS.diskWriteRequests, disk.writeRequests, id, metadata),
    );
  }
  for (const vnic of stats.interfaces) {
    const metadata = { ...instance, vnic_name: vnic.tapName, mac: vnic.mac, instance_id: server.id };
    const id = `${server.instanceName}-${server.id}-${vnic.tapName}`;
    samples.push(
      sample(METERS.incomingBytes, vnic.rxBytes, id, metadata),
      sample(METERS.incomingPackets, vnic.rxPackets, id, metadata),
      sample(METERS.outgoingBytes, vnic.txBytes, id, metadata),
      sample(METERS.outgoingPackets, vnic.txPackets, id, metadata),
    );
  }
  return samples;
}

/**
 * The instance's resource_metadata as Ceilometer's compute pollsters fill it;
 * `user_metadata` holds the server's `metering.*` metadata without the prefix
 * (so `metering.server_group` becomes the resource's `server_group`).
 */
function instanceMetadata(server: HostedServer): JsonObject {
  const userMetadata = Object.fromEntries(
    Object.entries(server.metadata)
      .filter(([key]) => key.startsWith('metering.'))
      .map(([key, value]) => [key.slice('metering.'.length), value]),
  );
  return {
    display_name: server.name,
    host: server.host,
    instance_host: server.host,
    name: server.instanceName,
    image_ref: server.imageId ?? '',
    flavor_id: server.flavor.id,
    flavor_name: server.flavor.name,
    memory_mb: server.flavor.ramMb,
    vcpus: server.flavor.vcpus,
    root_gb: server.flavor.diskGb,
    ephemeral_gb: server.flavor.ephemeralGb,
    status: server.status.toLowerCase(),
    launched_at: server.launchedAt,
    created_at: server.createdAt,
    deleted_at: null,
    user_metadata: userMetadata,
  };
}
