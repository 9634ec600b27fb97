/** The machinery server operations and their tasks share: locks, scheduler, networking, action records, task kinds. */
import type { TaskKind } from '../../core/tasks/index.js';
import type { ComputeDeps } from './deps.js';
import type { InstanceActionOps } from './instance-actions.js';
import type { KeyedMutex } from '../../core/keyed-mutex.js';
import type { Networking } from './networking.js';
import type { Scheduler } from './scheduler.js';
import type { HostLiveness } from './liveness.js';

export interface ServerTaskPayload {
  serverId: string;
  requestId: string;
}

export interface ComputeRuntime {
  deps: ComputeDeps;
  /** Per-server locks: task steps and deletes of one server never interleave in this process. */
  locks: KeyedMutex;
  /** Whether a host's compute service is up (heartbeats). */
  liveness: HostLiveness;
  scheduler: Scheduler;
  networking: Networking;
  actions: InstanceActionOps;
  /** Filled in by computeOperations once the kinds are defined. */
  kinds: {
    build: TaskKind<import('./build.js').BuildPayload>;
    delete: TaskKind<ServerTaskPayload>;
    action: TaskKind<import('./server-action-task.js').ActionPayload>;
    shelveOffloadTimer: TaskKind<import('./shelve-offload-timer.js').OffloadTimerPayload>;
    softDelete: TaskKind<ServerTaskPayload>;
    reclaim: TaskKind<import('./soft-delete.js').ReclaimPayload>;
  };
}
