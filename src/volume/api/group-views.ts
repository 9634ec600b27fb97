/** Group types, groups and group snapshots as Cinder's v3 view builders render them, per microversion. */
import type { Group, GroupSnapshot, GroupType } from '../store/index.js';
import type { Call } from './context.js';
import { cinderTime } from './views.js';

export function groupTypeView(call: Call, type: GroupType) {
  const view: Record<string, unknown> = { id: type.id, name: type.name, description: type.description, is_public: type.is_public };
  // Cinder's group:access_group_types_specs: admins only.
  if (call.ctx.isAdmin) view.group_specs = type.group_specs;
  return view;
}

export function groupSummary(group: Group) {
  return { id: group.id, name: group.name };
}

/** `volumeIds`: the group's volumes when 3.25's `list_volume` asked for them. */
export function groupDetail(call: Call, group: Group, volumeIds: string[] | null) {
  const view: Record<string, unknown> = {
    id: group.id,
    status: group.status,
    availability_zone: group.availability_zone,
    created_at: cinderTime(group.created_at),
    name: group.name,
    description: group.description,
    group_type: group.group_type_id,
    volume_types: group.volume_type_ids,
  };
  if (call.atLeast('3.14')) {
    view.group_snapshot_id = group.group_snapshot_id;
    view.source_group_id = group.source_group_id;
  }
  if (call.atLeast('3.25') && volumeIds !== null) view.volumes = volumeIds;
  // No backend replicates groups: Cinder's value for a group that is not replicated.
  if (call.atLeast('3.38')) view.replication_status = 'disabled';
  if (call.atLeast('3.58') && call.ctx.isAdmin) view.project_id = group.project_id;
  return view;
}

export function groupSnapshotDetail(call: Call, snapshot: GroupSnapshot) {
  const view: Record<string, unknown> = {
    id: snapshot.id,
    group_id: snapshot.group_id,
    group_type_id: snapshot.group_type_id,
    status: snapshot.status,
    created_at: cinderTime(snapshot.created_at),
    name: snapshot.name,
    description: snapshot.description,
  };
  if (call.atLeast('3.58') && call.ctx.isAdmin) view.project_id = snapshot.project_id;
  return view;
}
