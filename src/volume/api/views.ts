/** Rendering volumes, snapshots, types and attachments as Cinder's API shows them, per microversion. */
import { createHash } from 'node:crypto';
import { isoMicros } from '../../core/time.js';
import type { Attachment, QosSpecs, Snapshot, Volume, VolumeType } from '../store/index.js';
import type { Call } from './context.js';

/** Cinder's timestamps: six fractional digits, no zone designator. */
export function cinderTime(value: string | null): string | null {
  return value === null ? null : isoMicros(value).replace(/Z$/, '');
}

function links(root: string, projectId: string, collection: string, id: string) {
  return [
    { href: `${root}/v3/${projectId}/${collection}/${id}`, rel: 'self' },
    { href: `${root}/${projectId}/${collection}/${id}`, rel: 'bookmark' },
  ];
}

export function volumeSummary(root: string, volume: Volume) {
  return { id: volume.id, name: volume.name, links: links(root, volume.project_id, 'volumes', volume.id) };
}

/**
 * A volume in full. `extended`: with the attributes Cinder's API extensions
 * add to show and list (tenant, host, migration, image metadata); the create
 * and update responses come without them.
 */
export function volumeDetail(call: Call, root: string, volume: Volume, type: VolumeType | undefined, extended = true) {
  const admin = call.ctx.isAdmin;
  const metadata: Record<string, string> = { ...volume.metadata };
  if (volume.readonly !== null) metadata.readonly = volume.readonly ? 'True' : 'False';
  const view: Record<string, unknown> = {
    id: volume.id,
    name: volume.name,
    description: volume.description,
    size: volume.size,
    status: volume.status,
    availability_zone: volume.availability_zone,
    created_at: cinderTime(volume.created_at),
    updated_at: cinderTime(volume.updated_at),
    bootable: String(volume.bootable),
    encrypted: false,
    multiattach: volume.multiattach,
    metadata,
    volume_type: type?.name ?? null,
    snapshot_id: volume.snapshot_id,
    source_volid: volume.source_volid,
    user_id: volume.user_id,
    replication_status: null,
    consistencygroup_id: null,
    migration_status: volume.migration_status,
    attachments: volume.attachments.filter((a) => a.attach_status === 'attached').map((a) => volumeAttachment(a)),
    links: links(root, volume.project_id, 'volumes', volume.id),
  };
  if (extended) view['os-vol-tenant-attr:tenant_id'] = volume.project_id;
  if (extended && Object.keys(volume.imageMetadata).length > 0) view.volume_image_metadata = volume.imageMetadata;
  if (extended && admin) {
    view['os-vol-host-attr:host'] = volume.host;
    view['os-vol-mig-status-attr:migstat'] = volume.migration_status;
    view['os-vol-mig-status-attr:name_id'] = null;
  }
  if (call.atLeast('3.13')) view.group_id = volume.group_id;
  if (call.atLeast('3.21')) view.provider_id = null;
  if (call.atLeast('3.48')) {
    view.service_uuid = volume.host === null ? null : serviceUuid(volume.host);
    view.shared_targets = false;
  }
  if (call.atLeast('3.61') && admin) view.cluster_name = null;
  if (call.atLeast('3.63')) view.volume_type_id = volume.volume_type_id;
  if (call.atLeast('3.64')) view.encryption_key_id = null;
  if (call.atLeast('3.65')) view.consumes_quota = true;
  return view;
}

/** A stable UUID for the cinder-volume service of a backend host. */
function serviceUuid(host: string): string {
  const hex = createHash('sha1').update(`cinder-volume:${host}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One entry of a volume's `attachments`. */
function volumeAttachment(a: Attachment) {
  return {
    id: a.volume_id,
    attachment_id: a.id,
    volume_id: a.volume_id,
    server_id: a.instance_uuid,
    host_name: a.attached_host,
    device: a.mountpoint,
    attached_at: cinderTime(a.attach_time),
  };
}

export function snapshotView(call: Call, snapshot: Snapshot, detail: boolean) {
  const view: Record<string, unknown> = {
    id: snapshot.id,
    name: snapshot.name,
    description: snapshot.description,
    volume_id: snapshot.volume_id,
    status: snapshot.status,
    size: snapshot.size,
    metadata: snapshot.metadata,
    created_at: cinderTime(snapshot.created_at),
    updated_at: cinderTime(snapshot.updated_at),
  };
  if (detail) {
    view['os-extended-snapshot-attributes:progress'] = snapshot.progress;
    view['os-extended-snapshot-attributes:project_id'] = snapshot.project_id;
  }
  if (call.atLeast('3.14')) view.group_snapshot_id = snapshot.group_snapshot_id;
  if (call.atLeast('3.41')) view.user_id = snapshot.user_id;
  if (call.atLeast('3.65')) view.consumes_quota = true;
  return view;
}

/**
 * Which response a type is rendered for: Cinder's show and list add the admin-only
 * `qos_specs_id`; create and update answer from its older view without it, and
 * update also without the type-access extension's `is_public` alias.
 */
export type TypeViewKind = 'show' | 'create' | 'update';

export function typeView(call: Call, type: VolumeType, kind: TypeViewKind = 'show') {
  const view: Record<string, unknown> = { id: type.id, name: type.name, description: type.description, is_public: type.is_public };
  if (kind !== 'update') view['os-volume-type-access:is_public'] = type.is_public;
  // Extra specs are for admins only (Cinder's volume_extension:access_types_extra_specs).
  if (call.ctx.isAdmin) view.extra_specs = type.extra_specs;
  if (kind === 'show' && call.ctx.isAdmin) view.qos_specs_id = type.qos_specs_id;
  return view;
}

/** One QoS specs entry, as in lists. */
export function qosView(qos: QosSpecs) {
  return { id: qos.id, name: qos.name, consumer: qos.consumer, specs: qos.specs };
}

/** Create and show: the entry with its links beside it, not inside. */
export function qosDetail(root: string, projectId: string, qos: QosSpecs) {
  return { qos_specs: qosView(qos), links: links(root, projectId, 'qos-specs', qos.id) };
}

export function attachmentView(a: Attachment, detail: boolean) {
  const view: Record<string, unknown> = {
    id: a.id,
    status: a.attach_status,
    instance: a.instance_uuid,
    volume_id: a.volume_id,
  };
  if (detail) {
    view.attached_at = cinderTime(a.attach_time);
    view.detached_at = null;
    view.attach_mode = a.attach_mode;
    view.connection_info = a.connection_info;
  }
  return view;
}
