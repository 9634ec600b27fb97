/**
 * Every server action with host work, by name: the one table that
 * ServerActionOps.start admits actions from and the `compute.action` task
 * runs them from (declared by family in the files imported here).
 */
import { GUEST_WORK } from './guest-actions.js';
import { MOVE_WORK } from './moves.js';
import { RESCUE_WORK } from './rescue.js';
import { SERVER_WORK } from './server-action-handlers.js';
import type { HostWork } from './server-action-task.js';
import { SHELVE_WORK } from './shelve.js';
import { SOFT_DELETE_WORK } from './soft-delete.js';

let table: Map<string, HostWork> | undefined;

/** Built on first use, so the order in which the family modules load (they import each other) never matters. */
function hostWork(): Map<string, HostWork> {
  if (table) return table;
  const built = new Map<string, HostWork>();
  for (const work of [...SERVER_WORK, ...GUEST_WORK, ...RESCUE_WORK, ...SHELVE_WORK, ...MOVE_WORK, ...SOFT_DELETE_WORK]) {
    if (built.has(work.action)) throw new Error(`Server action ${work.action} is declared twice`);
    built.set(work.action, work);
  }
  table = built;
  return built;
}

export function hostWorkNamed(action: string): HostWork | undefined {
  return hostWork().get(action);
}

/** The names of every action with host work (the API checks each has a route). */
export function hostWorkActions(): string[] {
  return [...hostWork().keys()];
}
