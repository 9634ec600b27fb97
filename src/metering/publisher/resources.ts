/**
 * Which Gnocchi resource type each meter belongs to, the archive policy of
 * each metric and where each resource attribute comes from in a sample's
 * resource_metadata: the part of Ceilometer's gnocchi_resources.yaml that
 * covers the meters Nimbus polls. Cumulative counters go to
 * `ceilometer-low-rate` (which keeps `rate:mean`), the rest to the file's
 * `archive_policy_default`, `ceilometer-low`.
 */
import type { Json, JsonObject } from '../../core/json.js';

export const ARCHIVE_POLICY_DEFAULT = 'ceilometer-low';
const RATE = 'ceilometer-low-rate';

export interface ResourceDefinition {
  resourceType: string;
  /** Metric name → its archive policy when not the default. */
  metrics: Record<string, string | null>;
  /** Attribute → the resource_metadata paths tried in order (`a.b` descends into objects). */
  attributes: Record<string, string[]>;
}

export const RESOURCE_DEFINITIONS: ResourceDefinition[] = [
  {
    resourceType: 'instance',
    metrics: { memory: null, 'memory.usage': null, vcpus: null, cpu: RATE, 'disk.root.size': null },
    attributes: {
      host: ['instance_host', 'host'],
      image_ref: ['image_ref'],
      launched_at: ['launched_at'],
      created_at: ['created_at'],
      deleted_at: ['deleted_at'],
      display_name: ['display_name'],
      flavor_id: ['instance_flavor_id', 'flavor.id', 'flavor_id'],
      flavor_name: ['instance_type', 'flavor.name', 'flavor_name'],
      server_group: ['user_metadata.server_group'],
    },
  },
  {
    resourceType: 'instance_network_interface',
    metrics: {
      'network.incoming.bytes': RATE,
      'network.incoming.packets': RATE,
      'network.outgoing.bytes': RATE,
      'network.outgoing.packets': RATE,
    },
    attributes: { name: ['vnic_name'], instance_id: ['instance_id'] },
  },
  {
    resourceType: 'instance_disk',
    metrics: {
      'disk.device.read.bytes': RATE,
      'disk.device.read.requests': RATE,
      'disk.device.write.bytes': RATE,
      'disk.device.write.requests': RATE,
    },
    attributes: { name: ['disk_name'], instance_id: ['instance_id'] },
  },
  {
    resourceType: 'image',
    metrics: { 'image.size': null },
    attributes: { name: ['name'], container_format: ['container_format'], disk_format: ['disk_format'] },
  },
  {
    resourceType: 'volume',
    metrics: { 'volume.size': null, 'volume.snapshot.size': null, 'volume.backup.size': null },
    attributes: { display_name: ['display_name', 'name'], volume_type: ['volume_type'], image_id: ['image_id'], instance_id: ['instance_id'] },
  },
  { resourceType: 'network', metrics: { 'ip.floating': null }, attributes: {} },
  {
    resourceType: 'swift_account',
    metrics: { 'storage.objects': null, 'storage.objects.size': null, 'storage.objects.containers': null },
    attributes: {},
  },
];

const BY_METER = new Map(RESOURCE_DEFINITIONS.flatMap((d) => Object.keys(d.metrics).map((metric) => [metric, d] as const)));

/** The definition a meter belongs to; undefined for a meter no resource type takes (Ceilometer drops its samples). */
export function definitionOf(meterName: string): ResourceDefinition | undefined {
  return BY_METER.get(meterName);
}

/** The resource's attributes from a sample's metadata: the first path present, else null (Gnocchi stores null). */
export function attributesOf(definition: ResourceDefinition, metadata: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(definition.attributes).map(([name, paths]) => [name, firstPresent(metadata, paths)]));
}

function firstPresent(metadata: JsonObject, paths: string[]): Json {
  for (const path of paths) {
    let value: Json | undefined = metadata;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
    if (value !== undefined && value !== null) return value;
  }
  return null;
}
