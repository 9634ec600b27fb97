/** What every image operation needs; built once in image/index.ts. */
import type { DriverFaults } from '../../core/faults.js';
import type { Kysely } from 'kysely';
import type { EventBus } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { TaskKind, TaskQueue } from '../../core/tasks/index.js';
import type { ImageStore } from '../drivers/index.js';
import type { ImageTables } from '../store/index.js';
import type { ImageOptions } from './options.js';
import type { ImageQuota } from './quotas.js';

/** The stores image data lives in. */
export interface ImageStores {
  /** Where uploads go when the client names no store. */
  readonly default: ImageStore;
  /** Glance's `os_glance_staging_store`: data staged for `glance-direct`. */
  readonly staging: ImageStore;
  /** The stores clients may name (the staging store is not one of them). */
  readonly all: readonly ImageStore[];
  get(id: string): ImageStore | undefined;
}

/** Payload of the durable import task. */
export interface ImportPayload {
  imageId: string;
  /** The Glance task row (`/v2/images/{id}/tasks`). */
  taskId: string;
  stores: string[];
  allStoresMustSucceed: boolean;
  /** Set for `web-download`: the URI the task fetches into staging first. Absent: `glance-direct` (already staged). */
  uri?: string;
}

/** Payload of the durable task that removes the data of a deleted image. */
export interface PurgeDataPayload {
  imageId: string;
  /** Locations by store id, the staging store included. */
  locations: Array<{ store: string; location: string }>;
}

export interface ImageTaskKinds {
  importImage: TaskKind<ImportPayload>;
  purgeData: TaskKind<PurgeDataPayload>;
}

export interface ImageDeps {
  db: Kysely<ImageTables>;
  /** Glance's policy rules (imageAuthorizer over the server's enforcer). */
  authz: Authorizer;
  log: Logger;
  stores: ImageStores;
  quota: ImageQuota;
  queue: TaskQueue;
  /** Set once the task kinds are defined (they need the operations themselves). */
  kinds: ImageTaskKinds | null;
  options: ImageOptions;
  /** Glance's notifications (image upload and delete) for whoever listens. */
  events: EventBus;
  /** Injected faults (`/_nimbus/faults`): an upload that breaks half-way. */
  faults: DriverFaults;
}

export function taskKinds(deps: ImageDeps): ImageTaskKinds {
  if (deps.kinds === null) throw new Error('image task kinds are not defined yet');
  return deps.kinds;
}
