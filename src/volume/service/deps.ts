/** What every volume operation needs; built once in volume/index.ts. */
import type { EventBus } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { ServiceQuota } from '../../core/quota/index.js';
import type { TaskKind, TaskQueue } from '../../core/tasks/index.js';
import type { VolumeConfig } from '../config.js';
import type { ImageOperations } from '../../image/operations.js';
import type { BackupObjectStore, VolumeDriver } from '../drivers/index.js';
import type { VolumeDb } from '../store/index.js';

export const QUOTA_RESOURCES = ['volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes', 'groups', 'per_volume_gigabytes'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** Cinder's default quotas (cinder/quota.py). */
export const DEFAULT_QUOTAS: Record<QuotaResource, number> = {
  volumes: 10,
  gigabytes: 1000,
  snapshots: 10,
  backups: 10,
  backup_gigabytes: 1000,
  groups: 10,
  per_volume_gigabytes: -1,
};

/** One enabled backend: its config section name, its driver and its `host@backend#pool` name. */
export interface Backend {
  section: string;
  driver: VolumeDriver;
  host: string;
}

/** The API request that started a task (x-openstack-request-id), for the user message of its failure; absent in older tasks. */
interface Requested {
  requestId?: string | null;
}

export interface CreatePayload extends Requested {
  volumeId: string;
  source: { kind: 'blank' } | { kind: 'image'; imageId: string } | { kind: 'snapshot'; snapshotId: string } | { kind: 'volume'; volumeId: string };
}
export interface VolumePayload {
  volumeId: string;
}
export interface ExtendPayload extends Requested {
  volumeId: string;
  size: number;
  /** The status to return to: available, or in-use for an online extend. */
  restoreStatus: string;
}
export interface UploadPayload extends Requested {
  volumeId: string;
  imageId: string;
  diskFormat: string;
  restoreStatus: string;
}
export interface SnapshotPayload {
  snapshotId: string;
}

export interface BackupPayload {
  backupId: string;
}
export interface RestorePayload {
  backupId: string;
  volumeId: string;
  /** The status the volume returns to once restored. */
  restoreStatus: string;
}

export interface VolumeTaskKinds {
  create: TaskKind<CreatePayload>;
  delete: TaskKind<VolumePayload>;
  extend: TaskKind<ExtendPayload>;
  upload: TaskKind<UploadPayload>;
  createSnapshot: TaskKind<SnapshotPayload>;
  deleteSnapshot: TaskKind<SnapshotPayload>;
  createBackup: TaskKind<BackupPayload>;
  deleteBackup: TaskKind<BackupPayload>;
  restoreBackup: TaskKind<RestorePayload>;
}

export interface VolumeDeps {
  db: VolumeDb;
  /** Cinder's policy checks (service/context.ts), built once. */
  authz: Authorizer;
  quota: ServiceQuota<QuotaResource>;
  queue: TaskQueue;
  /** Set once the operations exist (the task definitions call them). */
  kinds: VolumeTaskKinds | null;
  backends: Backend[];
  /** Where backups go (files now; an object store later). */
  /** Where a project's backups go: Swift (its account) when the object store runs, else files. */
  backupStore: (projectId: string) => BackupObjectStore;
  config: VolumeConfig;
  log: Logger;
  /** The image service's operations, when it runs. */
  images(): ImageOperations | undefined;
  /** Cinder's notifications (volume create/delete end) for whoever listens. */
  events: EventBus;
}

export function taskKinds(deps: VolumeDeps): VolumeTaskKinds {
  if (deps.kinds === null) throw new Error('volume task kinds used before they were defined');
  return deps.kinds;
}
