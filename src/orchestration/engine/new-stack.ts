/** Stores a new stack (top-level or nested): its row holding the lock, its tags, its resources at INIT, and "Stack CREATE started". */
import { storeCaller, type CallerContext } from '../../core/context.js';
import { nowIso } from '../../core/time.js';
import type { Json } from '../json.js';
import type { StackRecord } from '../service/types.js';
import { insertResource, insertStack, stackRow, type HeatDb } from '../store/index.js';
import type { EngineDeps } from './deps.js';
import { stackEvent } from './events.js';
import type { PreparedStack } from './prepare.js';
import { initResourceRow } from './resource-steps.js';

export type NewStack = Pick<
  StackRecord,
  | 'id'
  | 'name'
  | 'projectId'
  | 'template'
  | 'environment'
  | 'files'
  | 'tags'
  | 'timeoutMins'
  | 'disableRollback'
  | 'parentId'
  | 'parentResourceName'
  | 'nestedDepth'
> & { owner: CallerContext };

export const CREATE_STARTED = 'Stack CREATE started';
/** A template without `description` shows this one, as in Heat. */
export const NO_DESCRIPTION = 'No description';

export async function insertNewStack(deps: EngineDeps, db: HeatDb, stack: NewStack, prepared: PreparedStack, operation: string): Promise<void> {
  const { parsed, parameters, conditions } = prepared;
  const row = stackRow(
    {
      ...stack,
      ownerUserId: stack.owner.userId,
      ownerUserName: stack.owner.userName,
      ownerCaller: storeCaller(stack.owner),
      action: 'CREATE',
      status: 'IN_PROGRESS',
      statusReason: CREATE_STARTED,
      description: parsed.description ?? NO_DESCRIPTION,
      parameters: parameters as Record<string, Json>,
      previous: null,
      createdAt: nowIso(),
    },
    operation,
  );
  await insertStack(db, row, stack.tags);
  for (const def of deps.template.activeResources(parsed, conditions)) {
    await insertResource(db, initResourceRow(stack, def, deps.template.resourceDependencies(parsed, def, conditions), null));
  }
  await stackEvent(db, stack, 'CREATE', 'IN_PROGRESS', CREATE_STARTED);
}
