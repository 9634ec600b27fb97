/**
 * Stores a new stack (top-level or nested): its row holding the lock, its
 * tags, its resources at INIT, and "Stack CREATE started". An adopt (Heat's
 * `adopt_stack_data`) starts ADOPT instead, each resource row already holding
 * the physical id, data and metadata the abandoned stack recorded for it.
 */
import { storeCaller, type CallerContext } from '../../core/context.js';
import { nowIso } from '../../core/time.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
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
> & {
  owner: CallerContext;
  /** The trust later work acts through: the root's own, shared by its nested stacks; null to act as `owner`. */
  trustId: string | null;
};

export const CREATE_STARTED = 'Stack CREATE started';
/** A template without `description` shows this one, as in Heat. */
export const NO_DESCRIPTION = 'No description';

export async function insertNewStack(
  deps: EngineDeps,
  db: HeatDb,
  stack: NewStack,
  prepared: PreparedStack,
  operation: string,
  adopt?: JsonObject,
): Promise<void> {
  const { parsed, parameters, conditions } = prepared;
  const action = adopt === undefined ? 'CREATE' : 'ADOPT';
  const started = adopt === undefined ? CREATE_STARTED : 'Stack ADOPT started';
  const row = stackRow(
    {
      ...stack,
      ownerUserId: stack.owner.userId,
      ownerUserName: stack.owner.userName,
      ownerCaller: storeCaller(stack.owner),
      action,
      status: 'IN_PROGRESS',
      statusReason: started,
      description: parsed.description ?? NO_DESCRIPTION,
      parameters: parameters as Record<string, Json>,
      previous: null,
      createdAt: nowIso(),
    },
    operation,
  );
  await insertStack(db, row, stack.tags);
  const adopted = adopt !== undefined && isJsonObject(adopt.resources) ? adopt.resources : {};
  for (const def of deps.template.activeResources(parsed, conditions)) {
    const row = initResourceRow(stack, def, deps.template.resourceDependencies(parsed, def, conditions), null);
    const entry = adopted[def.name];
    await insertResource(db, isJsonObject(entry) ? { ...row, ...adoptedState(entry) } : row);
  }
  await stackEvent(db, stack, action, 'IN_PROGRESS', started);
}

/** What an abandoned resource's entry gives the new row (Heat's handle_adopt: resource_id, resource_data, metadata). */
function adoptedState(entry: JsonObject): { physical_id: string | null; data: string; metadata: string } {
  const data = isJsonObject(entry.resource_data) ? Object.fromEntries(Object.entries(entry.resource_data).map(([key, value]) => [key, String(value)])) : {};
  return {
    physical_id: typeof entry.resource_id === 'string' && entry.resource_id !== '' ? entry.resource_id : null,
    data: JSON.stringify(data),
    metadata: JSON.stringify(isJsonObject(entry.metadata) ? entry.metadata : {}),
  };
}
