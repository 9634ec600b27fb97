/** Starting a stack operation: the stack row change and its task in one transaction. */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import type { HeatDb } from '../store/index.js';
import type { OperationPayload } from '../engine/engine.js';
import type { StackServiceParts } from './deps.js';

/**
 * Runs `change` (which takes the stack's lock for `operation`) and enqueues
 * the operation's task in the same transaction, then wakes the workers. An
 * operation a user asks for (create, update, delete, actions, snapshots)
 * carries them as `requestedBy` and acts as them, as Heat acts in the
 * request's context; only deferred work (signals, scaling) acts through the
 * stack's trust.
 */
export async function startOperation(
  parts: StackServiceParts,
  stackId: string,
  change: (db: HeatDb, operation: string) => Promise<void>,
  extra: Pick<OperationPayload, 'snapshotId' | 'requestedBy'> = {},
): Promise<void> {
  const operation = uuid();
  await parts.deps.db.transaction().execute(async (trx) => {
    await change(trx, operation);
    await parts.deps.tasks.enqueue(trx, { kind: parts.kind, payload: { stackId, operation, startedAt: nowIso(), ...extra }, resourceId: stackId });
  });
  parts.deps.tasks.wake();
}
