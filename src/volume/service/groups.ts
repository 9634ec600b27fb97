/**
 * Generic volume groups (3.13+): a project's set of volumes of given types
 * under a group type. Nimbus's backends have no group-level work (Cinder's
 * generic group implementation does it per volume), so creating, updating
 * and deleting a group is bookkeeping done at once; a group made from a
 * group snapshot or another group is `creating` until its volumes are made.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Group } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { GroupTypeOps } from './group-types.js';
import type { QuotaOps } from './quotas.js';
import type { TypeOps } from './types.js';
import type { VolumeOps } from './volumes.js';

export interface NewGroup {
  name: string | null;
  description: string | null;
  group_type: string;
  volume_types: string[];
  availability_zone: string | null;
}

export interface GroupSource {
  name: string | null;
  description: string | null;
  group_snapshot_id: string | null;
  source_group_id: string | null;
}

export interface GroupChanges {
  name?: string | null;
  description?: string | null;
  add_volumes: string[];
  remove_volumes: string[];
}

/** Cinder's group statuses (c_fields.GroupStatus), what reset_status accepts. */
export const GROUP_STATUSES = ['error', 'available', 'creating', 'deleting', 'deleted', 'updating', 'in-use', 'error_deleting'];
/** Python's rendering of the tuples Cinder puts in its messages. */
const ADDABLE = ['available', 'in-use'];
const REMOVABLE = ['available', 'in-use', 'error', 'error_deleting'];
const pyTuple = (values: string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;

export class GroupOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly groupTypes: GroupTypeOps,
    private readonly types: TypeOps,
    private readonly volumes: VolumeOps,
    private readonly quotas: QuotaOps,
  ) {}

  async create(ctx: VolumeContext, input: NewGroup): Promise<Group> {
    this.deps.authz.authorize(ctx.auth, 'group:create');
    const groupType = await this.groupTypes.get(ctx, input.group_type);
    const typeIds: string[] = [];
    for (const name of input.volume_types) typeIds.push((await this.types.get(ctx, name)).id);
    const az = input.availability_zone ?? this.deps.config.storage_availability_zone;
    if (az !== this.deps.config.storage_availability_zone) throw errors.invalidInput(`Availability zone '${az}' is invalid.`);
    return this.#insert(ctx, {
      name: input.name,
      description: input.description,
      availability_zone: az,
      group_type_id: groupType.id,
      volume_type_ids: typeIds,
      status: 'available',
      group_snapshot_id: null,
      source_group_id: null,
    });
  }

  /**
   * A new group with a volume made from each snapshot of a group snapshot, or
   * cloned from each volume of a group. Its volumes are written before the
   * group's row, so that once the group can be read all of them exist.
   */
  async createFromSource(ctx: VolumeContext, input: GroupSource): Promise<Group> {
    this.deps.authz.authorize(ctx.auth, 'group:create');
    if (input.group_snapshot_id && input.source_group_id) {
      throw errors.invalidInput('Cannot specify both group_snapshot_id and source_group_id when creating a group from a source.');
    }
    const id = uuid();
    const made: string[] = [];
    let origin: Group;
    try {
      if (input.group_snapshot_id) {
        const groupSnapshot = await this.findSnapshot(ctx, input.group_snapshot_id);
        if (groupSnapshot.status !== 'available') throw errors.invalidGroupSnapshot('Group snapshot status must be available.');
        origin = await this.#load(groupSnapshot.group_id);
        const snapshots = await store.snapshotsOfGroupSnapshot(this.deps.db, groupSnapshot.id);
        if (snapshots.length === 0) throw errors.invalidGroup('Group snapshot is empty. No group will be created.');
        for (const snapshot of snapshots) {
          const source = await this.volumes.load(snapshot.volume_id);
          const volume = await this.volumes.create(
            ctx,
            {
              snapshot_id: snapshot.id,
              size: snapshot.size,
              volume_type: source.volume_type_id,
              name: source.name,
              description: source.description,
              group_id: id,
            },
            { groupChecked: true },
          );
          made.push(volume.id);
        }
      } else if (input.source_group_id) {
        origin = await this.get(ctx, input.source_group_id);
        if (origin.status !== 'available') throw errors.invalidGroup(`Source group status must be available, but current status is: ${origin.status}.`);
        const sources = await store.groupVolumes(this.deps.db, origin.id);
        if (sources.length === 0) throw errors.invalidGroup('Source Group is empty. No group will be created.');
        for (const source of sources) {
          const volume = await this.volumes.create(
            ctx,
            { source_volid: source.id, size: source.size, volume_type: source.volume_type_id, group_id: id },
            { groupChecked: true },
          );
          made.push(volume.id);
        }
      } else {
        throw errors.invalidInput('Either group_snapshot_id or source_group_id must be provided to create a group from a source.');
      }
    } catch (error) {
      // Volumes already started stay the project's, outside any group: they are being made and cannot be deleted yet.
      for (const volumeId of made) await store.setVolumesGroup(this.deps.db, [volumeId], null, nowIso());
      throw error;
    }
    return this.#insert(ctx, {
      id,
      name: input.name,
      description: input.description,
      availability_zone: origin.availability_zone,
      group_type_id: origin.group_type_id,
      volume_type_ids: origin.volume_type_ids,
      status: 'creating',
      group_snapshot_id: input.group_snapshot_id,
      source_group_id: input.source_group_id,
    });
  }

  async get(ctx: VolumeContext, id: string): Promise<Group> {
    const group = await store.getGroup(this.deps.db, id);
    if (!group || (!ctx.isAdmin && group.project_id !== ctx.projectId)) throw notFound.group(id);
    this.deps.authz.authorize(ctx.auth, 'group:get', { project_id: group.project_id });
    return this.#settle(group);
  }

  async list(ctx: VolumeContext, allTenants: boolean): Promise<Group[]> {
    this.deps.authz.authorize(ctx.auth, 'group:get_all');
    const projectId = allTenants && ctx.isAdmin ? null : (ctx.projectId ?? '');
    return Promise.all((await store.listGroups(this.deps.db, projectId)).map((g) => this.#settle(g)));
  }

  /** The ids of a group's volumes (3.25's `list_volume`). */
  async volumeIds(groupId: string): Promise<string[]> {
    return (await store.groupVolumes(this.deps.db, groupId)).map((v) => v.id);
  }

  async update(ctx: VolumeContext, id: string, changes: GroupChanges): Promise<void> {
    const group = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:update', { project_id: group.project_id });
    const both = changes.add_volumes.filter((v) => changes.remove_volumes.includes(v));
    if (both.length > 0) throw errors.invalidVolume(`UUIDs [${both.map((v) => `'${v}'`).join(', ')}] are in both add and remove volume list.`);
    const members = await store.groupVolumes(this.deps.db, group.id);
    const toRemove = this.#checkRemovals(group, members, changes.remove_volumes);
    const toAdd = await this.#checkAdditions(
      ctx,
      group,
      changes.add_volumes.filter((v) => !members.some((m) => m.id === v)),
    );
    if (changes.name == null && changes.description == null && toAdd.length === 0 && toRemove.length === 0) {
      throw errors.invalidGroup(`Cannot update group ${group.id} because no valid name, description, add_volumes, or remove_volumes were provided.`);
    }
    if (group.status !== 'available') throw errors.invalidGroup('Group status must be available.');
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      const fields: { updated_at: string; name?: string | null; description?: string | null } = { updated_at: now };
      if (changes.name != null) fields.name = changes.name;
      if (changes.description != null) fields.description = changes.description;
      if (!(await store.updateGroup(trx, group.id, fields, ['available']))) throw errors.invalidGroup('Group status must be available.');
      await store.setVolumesGroup(trx, toAdd, group.id, now);
      await store.setVolumesGroup(trx, toRemove, null, now);
    });
  }

  /** Deletes a group, and with `deleteVolumes` its volumes (their deletion runs on). */
  async delete(ctx: VolumeContext, id: string, deleteVolumes: boolean): Promise<void> {
    const group = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:delete', { project_id: group.project_id });
    if (!deleteVolumes && group.status !== 'available' && group.status !== 'error') {
      throw errors.invalidGroup(`Group status must be available or error, but current status is: ${group.status}`);
    }
    if ((await store.groupSnapshotCount(this.deps.db, group.id)) > 0) throw errors.invalidGroup('Group has existing snapshots.');
    const members = await store.groupVolumes(this.deps.db, group.id);
    if (members.length > 0 && !deleteVolumes) {
      throw errors.invalidGroup(`Group ${group.id} still contains volumes. The delete-volumes flag is required to delete it.`);
    }
    for (const member of members) {
      const volume = await this.volumes.load(member.id);
      if (volume.attach_status === 'attached') throw errors.invalidGroup(`Volume in group ${group.id} is attached. Need to detach first.`);
      if ((await store.snapshotsOfVolume(this.deps.db, volume.id)).length > 0) throw errors.invalidGroup('Volume in group still has dependent snapshots.');
    }
    for (const member of members) await this.volumes.delete(ctx, member.id, { force: member.status === 'error' });
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteGroup(trx, group.id);
      await this.quotas.release(trx, group.project_id, { groups: 1 });
    });
  }

  async resetStatus(ctx: VolumeContext, id: string, status: string): Promise<void> {
    const group = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:reset_status', { project_id: group.project_id });
    if (!GROUP_STATUSES.includes(status)) throw errors.invalidGroup(`Group status ${status} is invalid.`);
    await store.updateGroup(this.deps.db, group.id, { status, updated_at: nowIso() });
  }

  /** A group snapshot the caller may see. */
  async findSnapshot(ctx: VolumeContext, id: string): Promise<store.GroupSnapshot> {
    const snapshot = await store.getGroupSnapshot(this.deps.db, id);
    if (!snapshot || (!ctx.isAdmin && snapshot.project_id !== ctx.projectId)) throw notFound.groupSnapshot(id);
    return snapshot;
  }

  async #insert(ctx: VolumeContext, input: Omit<Group, 'project_id' | 'user_id' | 'created_at' | 'updated_at' | 'id'> & { id?: string }): Promise<Group> {
    const projectId = requireProject(ctx);
    const now = nowIso();
    const id = input.id ?? uuid();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveGroup(trx, projectId);
      await store.insertGroup(trx, {
        id,
        project_id: projectId,
        user_id: ctx.auth.userId,
        name: input.name,
        description: input.description,
        status: input.status,
        availability_zone: input.availability_zone,
        group_type_id: input.group_type_id,
        volume_type_ids: JSON.stringify(input.volume_type_ids),
        group_snapshot_id: input.group_snapshot_id,
        source_group_id: input.source_group_id,
        created_at: now,
        updated_at: now,
      });
    });
    return this.#load(id);
  }

  async #load(id: string): Promise<Group> {
    const group = await store.getGroup(this.deps.db, id);
    if (!group) throw notFound.group(id);
    return group;
  }

  /** A group made from a source is available once none of its volumes is still being made (error if one failed). */
  async #settle(group: Group): Promise<Group> {
    // Only while never changed since made: an admin's reset_status to creating stays.
    if (group.updated_at !== group.created_at || group.status !== 'creating' || (group.group_snapshot_id === null && group.source_group_id === null))
      return group;
    const members = await store.groupVolumes(this.deps.db, group.id);
    if (members.some((m) => m.status === 'creating')) return group;
    const status = members.some((m) => m.status === 'error') ? 'error' : 'available';
    await store.updateGroup(this.deps.db, group.id, { status, updated_at: nowIso() }, ['creating']);
    return { ...group, status };
  }

  #checkRemovals(group: Group, members: Array<{ id: string; status: string }>, ids: string[]): string[] {
    for (const id of ids) {
      const member = members.find((m) => m.id === id);
      if (!member) throw errors.invalidVolume(`Cannot remove volume ${id} from group ${group.id} because it is not in the group.`);
      if (!REMOVABLE.includes(member.status)) {
        throw errors.invalidVolume(
          `Cannot remove volume ${id} from group ${group.id} because volume is in an invalid state: ${member.status}. Valid states are: ${pyTuple(REMOVABLE)}.`,
        );
      }
    }
    return ids;
  }

  async #checkAdditions(ctx: VolumeContext, group: Group, ids: string[]): Promise<string[]> {
    for (const id of ids) {
      const volume = await store.getVolume(this.deps.db, id);
      if (!volume || (!ctx.isAdmin && volume.project_id !== ctx.projectId)) {
        throw errors.invalidVolume(`Cannot add volume ${id} to group ${group.id} because volume cannot be found.`);
      }
      if (volume.group_id) throw errors.invalidVolume(`Cannot add volume ${id} to group ${group.id} because it is already in group ${volume.group_id}.`);
      if (volume.project_id !== group.project_id) {
        throw errors.invalidVolume(`Cannot add volume ${id} to group ${group.id} as they belong to different projects.`);
      }
      if (!group.volume_type_ids.includes(volume.volume_type_id)) {
        throw errors.invalidVolume(`Cannot add volume ${id} to group ${group.id} because volume type ${volume.volume_type_id} is not supported by the group.`);
      }
      if (!ADDABLE.includes(volume.status)) {
        throw errors.invalidVolume(
          `Cannot add volume ${id} to group ${group.id} because volume is in an invalid state: ${volume.status}. Valid states are: ${pyTuple(ADDABLE)}.`,
        );
      }
    }
    return ids;
  }
}
