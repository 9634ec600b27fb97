/**
 * The volume service's operations: what its API calls, and (through
 * ../operations.ts) what other services may call with the caller's context.
 */
import type { CallerContext } from '../../core/context.js';
import type { TaskQueue } from '../../core/tasks/index.js';
import { AttachmentOps } from './attachments.js';
import { BackupOps } from './backups.js';
import { BackupRecordOps } from './backup-records.js';
import { BackupWorker } from './backup-worker.js';
import { volumeContext, type VolumeContext } from './context.js';
import { EncryptionOps } from './encryption.js';
import { GroupSnapshotOps } from './group-snapshots.js';
import { GroupTypeOps } from './group-types.js';
import { GroupOps } from './groups.js';
import type { VolumeDeps, VolumeTaskKinds } from './deps.js';
import { InfoOps } from './info.js';
import { MessageOps } from './messages.js';
import { QosOps } from './qos.js';
import { QuotaOps } from './quotas.js';
import { Scheduler } from './scheduler.js';
import { ServiceOps } from './services.js';
import { SnapshotOps } from './snapshots.js';
import { TransferOps } from './transfers.js';
import { TypeOps } from './types.js';
import { VolumeActionOps } from './volume-actions.js';
import { VolumeOps } from './volumes.js';
import { VolumeWorker } from './worker.js';

export interface VolumeServiceOps {
  volumes: VolumeOps;
  actions: VolumeActionOps;
  snapshots: SnapshotOps;
  types: TypeOps;
  qos: QosOps;
  encryption: EncryptionOps;
  quotas: QuotaOps;
  attachments: AttachmentOps;
  transfers: TransferOps;
  backups: BackupOps;
  backupRecords: BackupRecordOps;
  backupWorker: BackupWorker;
  info: InfoOps;
  services: ServiceOps;
  groupTypes: GroupTypeOps;
  groups: GroupOps;
  groupSnapshots: GroupSnapshotOps;
  messages: MessageOps;
  worker: VolumeWorker;
  context(auth: CallerContext): VolumeContext;
}

export function volumeServiceOps(deps: VolumeDeps): VolumeServiceOps {
  const types = new TypeOps(deps);
  const quotas = new QuotaOps(deps);
  const scheduler = new Scheduler(deps);
  const encryption = new EncryptionOps(deps, types);
  const volumes = new VolumeOps(deps, types, quotas, encryption);
  const snapshots = new SnapshotOps(deps, volumes, quotas);
  const groupTypes = new GroupTypeOps(deps);
  const info = new InfoOps(deps, scheduler);
  const groups = new GroupOps(deps, groupTypes, types, volumes, quotas);
  const messages = new MessageOps(deps);
  const backups = new BackupOps(deps, volumes, quotas);
  return {
    volumes,
    actions: new VolumeActionOps(deps, volumes, types, quotas, scheduler, encryption),
    snapshots,
    types,
    qos: new QosOps(deps, types),
    encryption,
    quotas,
    attachments: new AttachmentOps(deps, volumes, scheduler),
    transfers: new TransferOps(deps, volumes, quotas),
    backups,
    backupRecords: new BackupRecordOps(deps, backups, quotas),
    backupWorker: new BackupWorker(deps, scheduler, quotas),
    info,
    services: new ServiceOps(deps, info),
    groupTypes,
    groups,
    groupSnapshots: new GroupSnapshotOps(deps, groups, snapshots),
    messages,
    worker: new VolumeWorker(deps, scheduler, types, quotas, messages),
    context: (auth) => volumeContext(deps.authz, auth),
  };
}

export function defineVolumeTasks(queue: TaskQueue, ops: VolumeServiceOps): VolumeTaskKinds {
  const { worker, backupWorker } = ops;
  return {
    create: queue.define('volume.create', {
      maxAttempts: 3,
      run: (task) => worker.create(task),
      onFailure: (task, error) => worker.failCreate(task, error),
    }),
    delete: queue.define('volume.delete', {
      maxAttempts: 5,
      run: (task) => worker.delete(task),
      onFailure: (task, error) => worker.failVolume(task.payload.volumeId, 'error_deleting', error, ['deleting']),
    }),
    extend: queue.define('volume.extend', {
      maxAttempts: 3,
      run: (task) => worker.extend(task),
      onFailure: (task, error) => worker.failExtend(task, error),
    }),
    upload: queue.define('volume.upload-to-image', {
      maxAttempts: 3,
      run: (task) => worker.upload(task),
      onFailure: (task, error) => worker.failUpload(task, error),
    }),
    createSnapshot: queue.define('volume.snapshot-create', {
      maxAttempts: 3,
      run: (task) => worker.createSnapshot(task),
      onFailure: (task, error) => worker.failSnapshot(task.payload.snapshotId, 'error', error, ['creating']),
    }),
    deleteSnapshot: queue.define('volume.snapshot-delete', {
      maxAttempts: 5,
      run: (task) => worker.deleteSnapshot(task),
      onFailure: (task, error) => worker.failSnapshot(task.payload.snapshotId, 'error_deleting', error, ['deleting']),
    }),
    createBackup: queue.define('volume.backup-create', {
      maxAttempts: 3,
      run: (task) => backupWorker.create(task),
      onFailure: (task, error) => backupWorker.failCreate(task, error),
    }),
    deleteBackup: queue.define('volume.backup-delete', {
      maxAttempts: 5,
      run: (task) => backupWorker.delete(task),
      onFailure: (task, error) => backupWorker.failDelete(task, error),
    }),
    restoreBackup: queue.define('volume.backup-restore', {
      maxAttempts: 8,
      run: (task) => backupWorker.restore(task),
      onFailure: (task, error) => backupWorker.failRestore(task, error),
    }),
  };
}

export { DEFAULT_QUOTAS, QUOTA_RESOURCES, type Backend, type VolumeDeps } from './deps.js';
export type { VolumeContext } from './context.js';
export { volumeAuthorizer } from './context.js';
export type { NewVolume, VolumeChanges, VolumeListRequest } from './volumes.js';
export type { GroupChanges, GroupSource, NewGroup } from './groups.js';
export type { NewSnapshot, SnapshotListRequest } from './snapshots.js';
export type { UploadRequest } from './volume-actions.js';
export type { NewAttachment } from './attachments.js';
export type { MessageListRequest } from './messages.js';
