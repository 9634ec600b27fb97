/**
 * Ceilometer's samples and meters: what a pollster yields and the publisher
 * writes. Names, units and types are Ceilometer's (its measurements page):
 * a `cumulative` meter counts up since its source started, a `gauge` is a
 * level, a `delta` a change over the polling period.
 */
import type { JsonObject } from '../core/json.js';

export type MeterType = 'cumulative' | 'gauge' | 'delta';

export interface Meter {
  name: string;
  type: MeterType;
  unit: string;
}

export interface Sample {
  meter: Meter;
  volume: number;
  userId: string | null;
  projectId: string | null;
  /** Ceilometer's resource id (an instance's uuid, `<instance>-vda`, a project id for Swift accounts). */
  resourceId: string;
  /** ISO 8601. */
  timestamp: string;
  /** Ceilometer's resource_metadata, from which the publisher takes the resource's attributes. */
  resourceMetadata: JsonObject;
  /** The object of another service the resource stands for: its deletion ends the resource (Ceilometer's event_delete). */
  owner: Owner;
}

/** What a metered resource belongs to: a server (its disks and interfaces too), an image, a volume, ... */
export type OwnerKind = 'server' | 'image' | 'volume' | 'snapshot' | 'backup' | 'floating_ip' | 'project';

export interface Owner {
  kind: OwnerKind;
  id: string;
}

/** One pollster group's cycle: its samples, and the owner kinds it listed completely (so an owner missing from them is gone). */
export interface PollOutcome {
  samples: Sample[];
  completeKinds: OwnerKind[];
}

const meter = (name: string, type: MeterType, unit: string): Meter => ({ name, type, unit });

/** The meters Nimbus's pollsters produce. */
export const METERS = {
  cpu: meter('cpu', 'cumulative', 'ns'),
  vcpus: meter('vcpus', 'gauge', 'vcpu'),
  memory: meter('memory', 'gauge', 'MB'),
  memoryUsage: meter('memory.usage', 'gauge', 'MB'),
  diskRootSize: meter('disk.root.size', 'gauge', 'GB'),
  diskReadBytes: meter('disk.device.read.bytes', 'cumulative', 'B'),
  diskReadRequests: meter('disk.device.read.requests', 'cumulative', 'request'),
  diskWriteBytes: meter('disk.device.write.bytes', 'cumulative', 'B'),
  diskWriteRequests: meter('disk.device.write.requests', 'cumulative', 'request'),
  incomingBytes: meter('network.incoming.bytes', 'cumulative', 'B'),
  incomingPackets: meter('network.incoming.packets', 'cumulative', 'packet'),
  outgoingBytes: meter('network.outgoing.bytes', 'cumulative', 'B'),
  outgoingPackets: meter('network.outgoing.packets', 'cumulative', 'packet'),
  imageSize: meter('image.size', 'gauge', 'B'),
  volumeSize: meter('volume.size', 'gauge', 'GB'),
  snapshotSize: meter('volume.snapshot.size', 'gauge', 'GB'),
  backupSize: meter('volume.backup.size', 'gauge', 'GB'),
  floatingIp: meter('ip.floating', 'gauge', 'ip'),
  objects: meter('storage.objects', 'gauge', 'object'),
  objectsSize: meter('storage.objects.size', 'gauge', 'B'),
  containers: meter('storage.objects.containers', 'gauge', 'container'),
} as const satisfies Record<string, Meter>;
