/** Snapshots: create (two-phase, as volumes), show, list, update, delete, metadata, admin reset. */
import { uuid } from '../../core/ids.js';
import type { Page } from '../../core/pagination/index.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Snapshot, SnapshotListQuery } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import { taskKinds, type VolumeDeps } from './deps.js';
import type { QuotaOps } from './quotas.js';
import { assertNotFrozen } from './services.js';
import { ACCEPTS, SNAPSHOT_STATUSES } from './states.js';
import type { VolumeOps } from './volumes.js';

export interface NewSnapshot {
  volume_id: string;
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  force?: boolean;
  /** The group snapshot this snapshot is part of. */
  group_snapshot_id?: string;
}

const DELETE_REFUSED = 'Snapshot status must be available or error and must not be part of a group.';

export type SnapshotListRequest = Omit<SnapshotListQuery, 'projectId'> & { allTenants: boolean };

export class SnapshotOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly volumes: VolumeOps,
    private readonly quotas: QuotaOps,
  ) {}

  /** `inUseAllowed`: from 3.66 a snapshot of an in-use volume needs no `force`. */
  async create(ctx: VolumeContext, input: NewSnapshot, options: { inUseAllowed: boolean }): Promise<Snapshot> {
    const projectId = requireProject(ctx);
    const volume = await this.volumes.find(ctx, input.volume_id);
    this.deps.authz.authorize(ctx.auth, 'volume:create_snapshot', { project_id: volume.project_id });
    await assertNotFrozen(this.deps, volume.host);
    const accepted = input.force || options.inUseAllowed ? ACCEPTS.snapshotForced! : ACCEPTS.snapshot!;
    if (!accepted.includes(volume.status))
      throw errors.invalidVolume(`Volume ${volume.id} status must be ${accepted.join(' or ')}, but current status is: ${volume.status}.`);
    const id = uuid();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveSnapshot(trx, projectId, volume.size, volume.volume_type_id);
      await store.insertSnapshot(trx, {
        id,
        project_id: projectId,
        user_id: ctx.auth.userId,
        volume_id: volume.id,
        name: input.name ?? null,
        description: input.description ?? null,
        size: volume.size,
        status: 'creating',
        status_reason: null,
        progress: '0%',
        metadata: JSON.stringify(input.metadata ?? {}),
        created_at: now,
        updated_at: now,
        group_snapshot_id: input.group_snapshot_id ?? null,
      });
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).createSnapshot, payload: { snapshotId: id }, resourceId: id });
    });
    return this.load(id);
  }

  async get(ctx: VolumeContext, id: string): Promise<Snapshot> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:get_snapshot', { project_id: snapshot.project_id });
    return snapshot;
  }

  async find(ctx: VolumeContext, id: string): Promise<Snapshot> {
    const snapshot = await store.getSnapshot(this.deps.db, id);
    if (!snapshot || (!ctx.isAdmin && snapshot.project_id !== ctx.projectId)) throw notFound.snapshot(id);
    return snapshot;
  }

  async load(id: string): Promise<Snapshot> {
    const snapshot = await store.getSnapshot(this.deps.db, id);
    if (!snapshot) throw notFound.snapshot(id);
    return snapshot;
  }

  async list(ctx: VolumeContext, request: SnapshotListRequest): Promise<Page<Snapshot>> {
    this.deps.authz.authorize(ctx.auth, 'volume:get_all_snapshots');
    const everyProject = request.allTenants && this.deps.authz.allowed(ctx.auth, 'volume:get_all_admin');
    return store.listSnapshots(this.deps.db, { ...request, projectId: everyProject ? null : (ctx.projectId ?? '') });
  }

  async update(ctx: VolumeContext, id: string, changes: { name?: string | null; description?: string | null }): Promise<Snapshot> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:update_snapshot', { project_id: snapshot.project_id });
    await store.updateSnapshot(this.deps.db, id, { ...changes, updated_at: nowIso() });
    return this.load(id);
  }

  async delete(ctx: VolumeContext, id: string, force = false): Promise<void> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:delete_snapshot', { project_id: snapshot.project_id });
    // A group snapshot's members go only with it (GroupSnapshotOps.delete).
    if (snapshot.group_snapshot_id !== null && !force) throw errors.invalidSnapshot(DELETE_REFUSED);
    await this.#startDelete(id, force ? [snapshot.status] : ['available', 'error', 'error_deleting']);
  }

  /** Deletes a snapshot of a group snapshot being deleted. */
  async deleteMember(ctx: VolumeContext, id: string): Promise<void> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:delete_snapshot', { project_id: snapshot.project_id });
    await this.#startDelete(id, ['available', 'error', 'error_deleting']);
  }

  async #startDelete(id: string, from: string[]): Promise<void> {
    const snapshot = await this.load(id);
    await assertNotFrozen(this.deps, (await this.volumes.load(snapshot.volume_id)).host);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateSnapshot(trx, id, { status: 'deleting', updated_at: nowIso() }, from))) {
        throw errors.invalidSnapshot(DELETE_REFUSED);
      }
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).deleteSnapshot, payload: { snapshotId: id }, resourceId: id });
    });
  }

  async metadata(ctx: VolumeContext, id: string): Promise<Record<string, string>> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:get_snapshot_metadata', { project_id: snapshot.project_id });
    return snapshot.metadata;
  }

  async setMetadata(ctx: VolumeContext, id: string, values: Record<string, string>, replace: boolean): Promise<Record<string, string>> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:update_snapshot_metadata', { project_id: snapshot.project_id });
    const metadata = replace ? values : { ...snapshot.metadata, ...values };
    await store.updateSnapshot(this.deps.db, id, { metadata: JSON.stringify(metadata), updated_at: nowIso() });
    return metadata;
  }

  async deleteMetadata(ctx: VolumeContext, id: string, key: string): Promise<void> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:delete_snapshot_metadata', { project_id: snapshot.project_id });
    if (!(key in snapshot.metadata)) throw notFound.snapshotMetadata(id, key);
    const rest = Object.fromEntries(Object.entries(snapshot.metadata).filter(([k]) => k !== key));
    await store.updateSnapshot(this.deps.db, id, { metadata: JSON.stringify(rest), updated_at: nowIso() });
  }

  async resetStatus(ctx: VolumeContext, id: string, status: string): Promise<void> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:snapshot_admin_actions:reset_status', { project_id: snapshot.project_id });
    if (!(SNAPSHOT_STATUSES as readonly string[]).includes(status)) throw errors.invalidInput(`'${status}' is not a valid snapshot status.`);
    await store.updateSnapshot(this.deps.db, id, { status, updated_at: nowIso() });
  }

  /**
   * `os-update_snapshot_status`: how a driver outside Cinder reports a snapshot it is making
   * or removing, so only the moves from `creating` and `deleting` that Cinder lists are allowed.
   */
  async updateStatus(ctx: VolumeContext, id: string, status: string, progress: string | undefined): Promise<void> {
    const snapshot = await this.find(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'snapshot_extension:snapshot_actions:update_snapshot_status', { project_id: snapshot.project_id });
    const allowed = REPORTED_MOVES[snapshot.status];
    if (!allowed) throw errors.badRequest(`Snapshot status ${snapshot.status} not allowed for update_snapshot_status`);
    if (!allowed.includes(status)) throw errors.badRequest(`Provided snapshot status ${status} not allowed for snapshot with status ${snapshot.status}.`);
    if (progress && !/^(100|[1-9]?[0-9])%$/.test(progress)) throw errors.invalidInput('progress must be an integer percentage between 0 and 100');
    await store.updateSnapshot(this.deps.db, id, { status, ...(progress ? { progress } : {}), updated_at: nowIso() });
  }
}

const REPORTED_MOVES: Record<string, string[]> = {
  creating: ['creating', 'available', 'error'],
  deleting: ['deleting', 'error_deleting'],
};
