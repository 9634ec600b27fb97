/** Starting an operation on an existing stack: taking its lock and recording "Stack <ACTION> started". */
import type { Updateable } from 'kysely';
import { Conflict } from '../../core/errors.js';
import { nowIso } from '../../core/time.js';
import type { StackAction } from '../service/types.js';
import { acquireLock, updateStack, type HeatDb, type Stack } from '../store/index.js';
import type { StackTable } from '../store/tables.js';
import { stackEvent } from './events.js';

export function actionInProgress(stack: Stack): Conflict {
  return new Conflict(`Stack ${stack.name} already has an action (${stack.lockAction ?? stack.action}) in progress.`, { type: 'ActionInProgress' });
}

/** Takes the free lock for `action`; 409 ActionInProgress while another operation holds it. */
export async function beginOperation(db: HeatDb, stack: Stack, action: StackAction, operation: string, changes: Updateable<StackTable> = {}): Promise<void> {
  const reason = `Stack ${action} started`;
  if (!(await acquireLock(db, stack.id, operation, action, { ...changes, status_reason: reason }))) throw actionInProgress(stack);
  await stackEvent(db, stack, action, 'IN_PROGRESS', reason);
}

/** A delete takes the lock even from a running operation, which notices and stops (as Heat's delete stops a create). */
export async function beginDelete(db: HeatDb, stack: Stack, operation: string): Promise<void> {
  const reason = 'Stack DELETE started';
  await updateStack(db, stack.id, {
    action: 'DELETE',
    status: 'IN_PROGRESS',
    status_reason: reason,
    lock_operation: operation,
    lock_action: 'DELETE',
    updated_at: nowIso(),
  });
  await stackEvent(db, stack, 'DELETE', 'IN_PROGRESS', reason);
}
