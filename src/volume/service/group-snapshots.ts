/**
 * Group snapshots (3.14+): one volume snapshot of each volume of a group,
 * taken together. The member snapshots are written (and their backend work
 * queued) before the group snapshot's row, so once it can be read all of
 * them exist; it is `creating` until none of them is.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { GroupSnapshot } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { GroupOps } from './groups.js';
import type { SnapshotOps } from './snapshots.js';

export interface NewGroupSnapshot {
  group_id: string;
  name: string | null;
  description: string | null;
}

const SNAPSHOT_STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting'];

export class GroupSnapshotOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly groups: GroupOps,
    private readonly snapshots: SnapshotOps,
  ) {}

  async create(ctx: VolumeContext, input: NewGroupSnapshot): Promise<GroupSnapshot> {
    const projectId = requireProject(ctx);
    const group = await this.groups.get(ctx, input.group_id);
    this.deps.authz.authorize(ctx.auth, 'group:create_group_snapshot', { project_id: group.project_id });
    if (group.status !== 'available' && group.status !== 'in-use') {
      throw errors.invalidGroup(`Group ${group.id} status must be available or in-use, but current status is: ${group.status}.`);
    }
    const id = uuid();
    for (const volumeId of await this.groups.volumeIds(group.id)) {
      await this.snapshots.create(
        ctx,
        { volume_id: volumeId, name: input.name, description: input.description, force: true, group_snapshot_id: id },
        { inUseAllowed: true },
      );
    }
    const now = nowIso();
    await store.insertGroupSnapshot(this.deps.db, {
      id,
      project_id: projectId,
      user_id: ctx.auth.userId,
      group_id: group.id,
      group_type_id: group.group_type_id,
      name: input.name,
      description: input.description,
      status: 'creating',
      created_at: now,
      updated_at: now,
    });
    return this.#settle((await store.getGroupSnapshot(this.deps.db, id)) as GroupSnapshot);
  }

  async get(ctx: VolumeContext, id: string): Promise<GroupSnapshot> {
    const snapshot = await this.groups.findSnapshot(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:get_group_snapshot', { project_id: snapshot.project_id });
    return this.#settle(snapshot);
  }

  async list(ctx: VolumeContext, allTenants: boolean): Promise<GroupSnapshot[]> {
    this.deps.authz.authorize(ctx.auth, 'group:get_all_group_snapshots');
    const projectId = allTenants && ctx.isAdmin ? null : (ctx.projectId ?? '');
    return Promise.all((await store.listGroupSnapshots(this.deps.db, projectId)).map((s) => this.#settle(s)));
  }

  /** Deletes the member snapshots (their backend work runs on) and the group snapshot. */
  async delete(ctx: VolumeContext, id: string): Promise<void> {
    const snapshot = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:delete_group_snapshot', { project_id: snapshot.project_id });
    const usedAsSource = (await store.listGroups(this.deps.db, null)).some((g) => g.group_snapshot_id === snapshot.id && g.status === 'creating');
    if ((snapshot.status !== 'available' && snapshot.status !== 'error') || usedAsSource) {
      throw errors.invalidGroupSnapshot('GroupSnapshot status must be available or error, and no Group can be currently using it as source for its creation.');
    }
    await store.updateGroupSnapshot(this.deps.db, snapshot.id, { status: 'deleting', updated_at: nowIso() });
    for (const member of await store.snapshotsOfGroupSnapshot(this.deps.db, snapshot.id)) await this.snapshots.deleteMember(ctx, member.id);
    await store.deleteGroupSnapshot(this.deps.db, snapshot.id);
  }

  async resetStatus(ctx: VolumeContext, id: string, status: string): Promise<void> {
    const snapshot = await this.groups.findSnapshot(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'group:reset_group_snapshot_status', { project_id: snapshot.project_id });
    if (!SNAPSHOT_STATUSES.includes(status)) throw errors.invalidGroupSnapshot(`Group snapshot status ${status} is invalid.`);
    await store.updateGroupSnapshot(this.deps.db, snapshot.id, { status, updated_at: nowIso() });
  }

  /** Available once none of its snapshots is still being taken (error if one failed). */
  async #settle(snapshot: GroupSnapshot): Promise<GroupSnapshot> {
    // Only while never changed since made: an admin's reset_status to creating stays.
    if (snapshot.updated_at !== snapshot.created_at || snapshot.status !== 'creating') return snapshot;
    const members = await store.snapshotsOfGroupSnapshot(this.deps.db, snapshot.id);
    if (members.some((m) => m.status === 'creating')) return snapshot;
    const status = members.some((m) => m.status === 'error') ? 'error' : 'available';
    await store.updateGroupSnapshot(this.deps.db, snapshot.id, { status, updated_at: nowIso() }, ['creating']);
    return { ...snapshot, status };
  }
}
