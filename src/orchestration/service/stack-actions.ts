/** Stack delete, abandon, the actions (suspend, resume, check, cancel) and snapshots. */
import { storeCaller, type CallerContext } from '../../core/context.js';
import { BadRequest, NotFound } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import type { JsonObject } from '../json.js';
import { actionInProgress, beginDelete, beginOperation } from '../engine/begin.js';
import { releaseTrust } from '../engine/deferred-auth.js';
import { deleteResourceSnapshots, restoreTemplate } from '../engine/snapshot-data.js';
import { CANCEL_ACTIONS } from '../engine/watch.js';
import { deleteSnapshotRow, deleteStackResources, getSnapshot, insertSnapshot, markLock, stackSnapshots, updateStack, type Stack } from '../store/index.js';
import { lookupStack } from './access.js';
import { notSupported } from './stack-create.js';
import { exportStack } from './stack-read.js';
import type { StackServiceParts } from './deps.js';
import { startOperation } from './operation.js';
import type { SnapshotRecord } from './types.js';

export async function deleteStack(parts: StackServiceParts, caller: CallerContext, stackId: string): Promise<void> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:delete');
  await startOperation(parts, stack.id, (db, operation) => beginDelete(db, stack, operation), { requestedBy: storeCaller(caller) });
}

/** Deletes the stack's records and keeps its resources (Heat's abandon, off unless enable_stack_abandon). */
export async function abandonStack(parts: StackServiceParts, caller: CallerContext, stackId: string): Promise<JsonObject> {
  if (!parts.deps.enableAbandon) throw notSupported('Stack Abandon');
  const data = await exportStack(parts, caller, stackId, 'stacks:abandon');
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:abandon');
  if (stack.lockOperation !== null) throw actionInProgress(stack);
  await parts.deps.db.transaction().execute(async (trx) => {
    await updateStack(trx, stack.id, { action: 'DELETE', status: 'COMPLETE', status_reason: 'Stack abandoned', deleted_at: nowIso() });
    await deleteStackResources(trx, stack.id);
  });
  // The abandoned resources stay, but Heat no longer acts on them.
  await releaseTrust(parts.deps, stack);
  return data;
}

type StackActionName = 'suspend' | 'resume' | 'check' | 'cancel_update' | 'cancel_without_rollback';

export async function stackAction(parts: StackServiceParts, caller: CallerContext, stackId: string, action: StackActionName): Promise<void> {
  const stack = await lookupStack(parts.deps, caller, stackId, `actions:${action}`);
  if (action === 'cancel_update' || action === 'cancel_without_rollback') return cancelUpdate(parts, stack, action);
  const heatAction = ({ suspend: 'SUSPEND', resume: 'RESUME', check: 'CHECK' } as const)[action];
  if (stack.lockOperation !== null) throw actionInProgress(stack);
  await startOperation(parts, stack.id, (db, operation) => beginOperation(db, stack, heatAction, operation), { requestedBy: storeCaller(caller) });
}

/** Asks the running update to stop; its task rolls back (cancel_update) or fails (cancel_without_rollback). */
async function cancelUpdate(parts: StackServiceParts, stack: Stack, action: 'cancel_update' | 'cancel_without_rollback'): Promise<void> {
  if (!(stack.action === 'UPDATE' && stack.status === 'IN_PROGRESS')) {
    throw new BadRequest(`Cancelling update when stack is ('${stack.action}', '${stack.status}') is not supported.`, { type: 'NotSupported' });
  }
  const lockAction = action === 'cancel_update' ? CANCEL_ACTIONS.cancel : CANCEL_ACTIONS['cancel-without-rollback'];
  await markLock(parts.deps.db, stack.id, lockAction);
}

export async function listSnapshots(parts: StackServiceParts, caller: CallerContext, stackId: string): Promise<SnapshotRecord[]> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:list_snapshots');
  return stackSnapshots(parts.deps.db, stack.id);
}

async function snapshotOf(parts: StackServiceParts, stack: Stack, snapshotId: string): Promise<SnapshotRecord> {
  const snapshot = await getSnapshot(parts.deps.db, stack.id, snapshotId);
  if (!snapshot) throw new NotFound(`Snapshot with id ${snapshotId} not found`, { type: 'NotFound' });
  return snapshot;
}

export async function showSnapshot(parts: StackServiceParts, caller: CallerContext, stackId: string, snapshotId: string): Promise<SnapshotRecord> {
  return snapshotOf(parts, await lookupStack(parts.deps, caller, stackId, 'stacks:show_snapshot'), snapshotId);
}

export async function createSnapshot(parts: StackServiceParts, caller: CallerContext, stackId: string, name: string | null): Promise<SnapshotRecord> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:snapshot');
  if (stack.lockOperation !== null) throw actionInProgress(stack);
  const snapshot: SnapshotRecord = { id: uuid(), name, stackId: stack.id, status: 'IN_PROGRESS', statusReason: '', data: null, createdAt: nowIso() };
  await startOperation(
    parts,
    stack.id,
    async (db, operation) => {
      await beginOperation(db, stack, 'SNAPSHOT', operation);
      await insertSnapshot(db, snapshot);
    },
    { snapshotId: snapshot.id, requestedBy: storeCaller(caller) },
  );
  return snapshot;
}

export async function deleteSnapshot(parts: StackServiceParts, caller: CallerContext, stackId: string, snapshotId: string): Promise<void> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:delete_snapshot');
  const snapshot = await snapshotOf(parts, stack, snapshotId);
  await deleteResourceSnapshots(parts.engine.deps, caller, snapshot.data);
  await deleteSnapshotRow(parts.deps.db, snapshotId);
}

/** Restore: an update back to the snapshot's definition (action RESTORE), its resources rebuilt from what they saved in it. */
export async function restoreSnapshot(parts: StackServiceParts, caller: CallerContext, stackId: string, snapshotId: string): Promise<void> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'stacks:restore_snapshot');
  const snapshot = await snapshotOf(parts, stack, snapshotId);
  if (snapshot.status !== 'COMPLETE' || !snapshot.data) {
    throw new BadRequest(`Can't restore snapshot in status ${snapshot.status}.`, { type: 'NotSupported' });
  }
  if (stack.lockOperation !== null) throw actionInProgress(stack);
  const data = snapshot.data;
  await startOperation(
    parts,
    stack.id,
    (db, operation) =>
      beginOperation(db, stack, 'RESTORE', operation, {
        template: JSON.stringify(data.template ? restoreTemplate(parts.engine.deps, data) : stack.template),
        environment: JSON.stringify(data.environment ?? stack.environment),
        files: JSON.stringify(data.files ?? stack.files),
        parameters: JSON.stringify(data.parameters ?? stack.parameters),
        previous: JSON.stringify({ template: stack.template, environment: stack.environment, files: stack.files, parameters: stack.parameters }),
      }),
    { requestedBy: storeCaller(caller) },
  );
}
