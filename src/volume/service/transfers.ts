/**
 * Volume transfers: the owner offers a volume (it waits in
 * `awaiting-transfer`) and hands the transfer id and auth key to another
 * project, which accepts with the key; the volume, its snapshots and their
 * quota usage move in one transaction.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Transfer } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { QuotaOps } from './quotas.js';
import type { VolumeOps } from './volumes.js';

/** Cinder's volume_transfer_key_length. */
const KEY_LENGTH = 16;

export class TransferOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly volumes: VolumeOps,
    private readonly quotas: QuotaOps,
  ) {}

  /** Offers the volume; the auth key is returned once, here, and only its hash is kept. */
  async create(ctx: VolumeContext, volumeId: string, name: string | null): Promise<Transfer & { auth_key: string }> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume:create_transfer', { project_id: volume.project_id });
    const authKey = randomBytes(KEY_LENGTH).toString('hex').slice(0, KEY_LENGTH);
    const salt = randomBytes(8).toString('hex');
    const row = { id: uuid(), volume_id: volume.id, project_id: volume.project_id, name, salt, crypt_hash: hash(salt, authKey), created_at: nowIso() };
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateVolume(trx, volume.id, { status: 'awaiting-transfer', updated_at: nowIso() }, ['available']))) {
        throw errors.invalidVolume(`status must be available, currently ${volume.status}.`);
      }
      await store.insertTransfer(trx, row);
    });
    return { ...row, auth_key: authKey };
  }

  async get(ctx: VolumeContext, id: string): Promise<Transfer> {
    const transfer = await store.getTransfer(this.deps.db, id);
    if (!transfer || (!ctx.isAdmin && transfer.project_id !== ctx.projectId)) throw notFound.transfer(id);
    this.deps.authz.authorize(ctx.auth, 'volume:get_transfer', { project_id: transfer.project_id });
    return transfer;
  }

  async list(ctx: VolumeContext): Promise<Transfer[]> {
    this.deps.authz.authorize(ctx.auth, 'volume:get_all_transfers');
    return store.listTransfers(this.deps.db, ctx.isAdmin ? null : (ctx.projectId ?? ''));
  }

  async delete(ctx: VolumeContext, id: string): Promise<void> {
    const transfer = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:delete_transfer', { project_id: transfer.project_id });
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.deleteTransfer(trx, id))) throw notFound.transfer(id);
      await store.updateVolume(trx, transfer.volume_id, { status: 'available', updated_at: nowIso() }, ['awaiting-transfer']);
    });
  }

  /** Moves the volume (and its snapshots) to the caller's project when the key matches. */
  async accept(ctx: VolumeContext, id: string, authKey: string): Promise<Transfer> {
    const projectId = requireProject(ctx);
    this.deps.authz.authorize(ctx.auth, 'volume:accept_transfer', { project_id: projectId });
    const transfer = await store.getTransfer(this.deps.db, id);
    if (!transfer) throw notFound.transfer(id);
    const expected = Buffer.from(transfer.crypt_hash, 'hex');
    const given = Buffer.from(hash(transfer.salt, authKey), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw errors.invalidAuthKey(id);
    }
    const volume = await this.volumes.load(transfer.volume_id);
    const snapshots = await store.snapshotsOfVolume(this.deps.db, volume.id);
    const snapshotGb = snapshots.reduce((sum, s) => sum + s.size, 0);
    await this.quotas.checkVolumeSize(projectId, volume.size);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.deleteTransfer(trx, id))) throw notFound.transfer(id);
      await this.quotas.reserveVolume(trx, projectId, volume.size, volume.volume_type_id);
      if (snapshots.length > 0) await this.quotas.reserveSnapshots(trx, projectId, snapshots.length, snapshotGb, volume.volume_type_id);
      await this.quotas.release(
        trx,
        volume.project_id,
        { volumes: 1, snapshots: snapshots.length, gigabytes: volume.size + snapshotGb },
        volume.volume_type_id,
      );
      const moved = await store.updateVolume(trx, volume.id, { project_id: projectId, user_id: ctx.auth.userId, status: 'available', updated_at: nowIso() }, [
        'awaiting-transfer',
      ]);
      if (!moved) throw errors.invalidVolume('The volume is no longer awaiting a transfer.');
      for (const snapshot of snapshots) await store.updateSnapshot(trx, snapshot.id, { project_id: projectId, user_id: ctx.auth.userId });
    });
    return transfer;
  }
}

function hash(salt: string, key: string): string {
  return createHash('sha256')
    .update(salt + key)
    .digest('hex');
}
