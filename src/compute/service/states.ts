/**
 * Nova's server state machine: vm_state (what the server is), task_state
 * (what is being done to it), power_state (what the hypervisor reports) and
 * the API `status` derived from the first two (nova/api/openstack/common.py).
 * Each action declares the states it accepts (its HostWork, or ACCEPTED_STATES
 * below); anything else is 409 "Cannot '<action>' instance <id> while it is in vm_state <state>".
 */
import { novaErrors } from '../errors.js';
import type { Server } from '../store/index.js';

export const VM = {
  ACTIVE: 'active',
  BUILDING: 'building',
  STOPPED: 'stopped',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  ERROR: 'error',
  DELETED: 'deleted',
  SOFT_DELETED: 'soft-delete',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;

export const TASK = {
  SCHEDULING: 'scheduling',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  DELETING: 'deleting',
  REBOOTING: 'rebooting',
  REBOOTING_HARD: 'rebooting_hard',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBUILDING: 'rebuilding',
  REBUILD_SPAWNING: 'rebuild_spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  UPDATING_PASSWORD: 'updating_password',
  MIGRATING: 'migrating',
  SHELVING: 'shelving',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
} as const;

const DEFAULT_STATUS: Record<string, string> = {
  [VM.ACTIVE]: 'ACTIVE',
  [VM.BUILDING]: 'BUILD',
  [VM.STOPPED]: 'SHUTOFF',
  [VM.PAUSED]: 'PAUSED',
  [VM.SUSPENDED]: 'SUSPENDED',
  [VM.RESCUED]: 'RESCUE',
  [VM.RESIZED]: 'VERIFY_RESIZE',
  [VM.ERROR]: 'ERROR',
  [VM.DELETED]: 'DELETED',
  [VM.SOFT_DELETED]: 'SOFT_DELETED',
  [VM.SHELVED]: 'SHELVED',
  [VM.SHELVED_OFFLOADED]: 'SHELVED_OFFLOADED',
};

const RESIZE_TASKS = [TASK.RESIZE_PREP, TASK.RESIZE_MIGRATING, TASK.RESIZE_FINISH, 'resize_migrated'];
const REBUILD_TASKS = [TASK.REBUILDING, TASK.REBUILD_SPAWNING, TASK.REBUILD_BLOCK_DEVICE_MAPPING];

/** Task states that change the status shown for a vm_state. */
const TASK_STATUS: Record<string, Record<string, string>> = {
  [VM.ACTIVE]: {
    [TASK.REBOOTING]: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    [TASK.REBOOTING_HARD]: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    [TASK.UPDATING_PASSWORD]: 'PASSWORD',
    [TASK.MIGRATING]: 'MIGRATING',
    ...Object.fromEntries(REBUILD_TASKS.map((t) => [t, 'REBUILD'])),
    ...Object.fromEntries(RESIZE_TASKS.map((t) => [t, 'RESIZE'])),
  },
  [VM.STOPPED]: {
    ...Object.fromEntries(REBUILD_TASKS.map((t) => [t, 'REBUILD'])),
    ...Object.fromEntries(RESIZE_TASKS.map((t) => [t, 'RESIZE'])),
  },
  [VM.RESIZED]: { [TASK.RESIZE_REVERTING]: 'REVERT_RESIZE' },
  [VM.PAUSED]: { [TASK.MIGRATING]: 'MIGRATING' },
  [VM.ERROR]: Object.fromEntries(REBUILD_TASKS.map((t) => [t, 'REBUILD'])),
};

export function statusOf(vmState: string, taskState: string | null): string {
  if (taskState) {
    const byTask = TASK_STATUS[vmState]?.[taskState];
    if (byTask) return byTask;
  }
  return DEFAULT_STATUS[vmState] ?? 'UNKNOWN';
}

/** The vm_states a status filter means (Nova's status → vm_state mapping for `?status=`). */
export function vmStatesForStatus(status: string): string[] | null {
  const upper = status.toUpperCase();
  const states = Object.entries(DEFAULT_STATUS)
    .filter(([, s]) => s === upper)
    .map(([vm]) => vm);
  if (states.length > 0) return states;
  for (const [vm, tasks] of Object.entries(TASK_STATUS)) if (Object.values(tasks).includes(upper)) states.push(vm);
  return states.length > 0 ? states : null;
}

/** The states an action accepts: `task: [null]` means no task may be running; omitted means any. */
export interface AcceptedStates {
  vm: readonly string[];
  task?: ReadonlyArray<string | null>;
}

/**
 * The states of actions that are not server actions with host work (those
 * declare theirs in their HostWork, server-action-task.ts): Nova's
 * attach/detach_volume and _interface states that have a host to plug into
 * (nova/compute/api.py check_instance_state).
 */
export const ACCEPTED_STATES: Record<string, AcceptedStates> = {
  attach_volume: { vm: [VM.ACTIVE, VM.PAUSED, VM.STOPPED, VM.RESIZED, VM.SHELVED, VM.SHELVED_OFFLOADED], task: [null] },
  detach_volume: { vm: [VM.ACTIVE, VM.PAUSED, VM.STOPPED, VM.RESIZED, VM.SHELVED, VM.SHELVED_OFFLOADED], task: [null] },
  swap_volume: { vm: [VM.ACTIVE, VM.PAUSED, VM.RESIZED], task: [null] },
  attach_interface: { vm: [VM.ACTIVE, VM.PAUSED, VM.STOPPED], task: [null] },
  detach_interface: { vm: [VM.ACTIVE, VM.PAUSED, VM.STOPPED], task: [null] },
};

/** 409 unless the server is in a state `action` accepts (Nova's InstanceInvalidState). */
export function checkState(server: Server, action: string, accepted: AcceptedStates | undefined = ACCEPTED_STATES[action]): void {
  if (!accepted) throw new Error(`No accepted states declared for ${action}`);
  if (!accepted.vm.includes(server.vmState)) throw novaErrors.invalidState(action, server.id, 'vm_state', server.vmState);
  if (accepted.task && !accepted.task.includes(server.taskState)) throw novaErrors.invalidState(action, server.id, 'task_state', server.taskState ?? 'None');
}
