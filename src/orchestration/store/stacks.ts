/** Queries on stacks, their tags and their lock. */
import type { Insertable, Updateable } from 'kysely';
import type { StoredCaller } from '../../core/context.js';
import { parseJson, toBool } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import type { Json, JsonObject } from '../json.js';
import type { StackAction, StackStatus } from '../service/types.js';
import type { Environment } from '../template/types.js';
import type { HeatDb } from './db.js';
import type { StackRow, StackTable } from './tables.js';

/** What an update replaces, kept so its rollback can go back to it. */
export interface StackDefinition {
  template: JsonObject;
  environment: Environment;
  files: Record<string, string>;
  parameters: Record<string, Json>;
}

/** A stack as the engine sees it: JSON parsed, tags loaded. */
export interface Stack extends StackDefinition {
  id: string;
  name: string;
  projectId: string;
  ownerUserId: string;
  ownerUserName: string;
  ownerCaller: StoredCaller;
  /** The trust to the `heat` user later work acts through (the root's, for a nested stack); null: as `ownerCaller`. */
  trustId: string | null;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  description: string;
  previous: StackDefinition | null;
  timeoutMins: number | null;
  disableRollback: boolean;
  parentId: string | null;
  parentResourceName: string | null;
  nestedDepth: number;
  lockOperation: string | null;
  lockAction: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
}

export function stackRow(
  stack: Omit<Stack, 'lockOperation' | 'lockAction' | 'deletedAt' | 'updatedAt' | 'tags'>,
  lockOperation: string,
): Insertable<StackTable> {
  return {
    id: stack.id,
    name: stack.name,
    project_id: stack.projectId,
    owner_user_id: stack.ownerUserId,
    owner_user_name: stack.ownerUserName,
    owner_caller: JSON.stringify(stack.ownerCaller),
    trust_id: stack.trustId,
    action: stack.action,
    status: stack.status,
    status_reason: stack.statusReason,
    description: stack.description,
    template: JSON.stringify(stack.template),
    environment: JSON.stringify(stack.environment),
    files: JSON.stringify(stack.files),
    parameters: JSON.stringify(stack.parameters),
    previous: stack.previous ? JSON.stringify(stack.previous) : null,
    timeout_mins: stack.timeoutMins,
    disable_rollback: stack.disableRollback,
    parent_id: stack.parentId,
    parent_resource_name: stack.parentResourceName,
    nested_depth: stack.nestedDepth,
    lock_operation: lockOperation,
    lock_action: stack.action,
    created_at: stack.createdAt,
    updated_at: null,
    deleted_at: null,
  };
}

export async function insertStack(db: HeatDb, row: Insertable<StackTable>, tags: string[]): Promise<void> {
  await db.insertInto('heat_stack').values(row).execute();
  await setTags(db, row.id, tags);
}

export async function setTags(db: HeatDb, stackId: string, tags: string[]): Promise<void> {
  await db.deleteFrom('heat_stack_tag').where('stack_id', '=', stackId).execute();
  const unique = [...new Set(tags)];
  if (unique.length > 0)
    await db
      .insertInto('heat_stack_tag')
      .values(unique.map((tag, position) => ({ stack_id: stackId, tag, position })))
      .execute();
}

export async function getStack(db: HeatDb, id: string): Promise<Stack | null> {
  const row = await db.selectFrom('heat_stack').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await hydrateStacks(db, [row]))[0]! : null;
}

/** The live (not deleted) stack of that name in the project. */
export async function findStackByName(db: HeatDb, projectId: string, name: string): Promise<Stack | null> {
  const row = await db
    .selectFrom('heat_stack')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? (await hydrateStacks(db, [row]))[0]! : null;
}

export async function childStacks(db: HeatDb, parentId: string): Promise<Stack[]> {
  const rows = await db.selectFrom('heat_stack').selectAll().where('parent_id', '=', parentId).where('deleted_at', 'is', null).execute();
  return hydrateStacks(db, rows);
}

export async function hydrateStacks(db: HeatDb, rows: StackRow[]): Promise<Stack[]> {
  if (rows.length === 0) return [];
  const tagRows = await db
    .selectFrom('heat_stack_tag')
    .selectAll()
    .where(
      'stack_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((row) =>
    toStack(
      row,
      tagRows.filter((t) => t.stack_id === row.id).map((t) => t.tag),
    ),
  );
}

function toStack(row: StackRow, tags: string[]): Stack {
  return {
    id: row.id,
    name: row.name,
    projectId: row.project_id,
    ownerUserId: row.owner_user_id,
    ownerUserName: row.owner_user_name,
    ownerCaller: parseJson<StoredCaller>(row.owner_caller, {} as StoredCaller),
    trustId: row.trust_id,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    description: row.description,
    template: parseJson<JsonObject>(row.template, {}),
    environment: parseJson<Environment>(row.environment, emptyEnvironment()),
    files: parseJson<Record<string, string>>(row.files, {}),
    parameters: parseJson<Record<string, Json>>(row.parameters, {}),
    previous: parseJson<StackDefinition | null>(row.previous, null),
    timeoutMins: row.timeout_mins,
    disableRollback: toBool(row.disable_rollback),
    parentId: row.parent_id,
    parentResourceName: row.parent_resource_name,
    nestedDepth: row.nested_depth,
    lockOperation: row.lock_operation,
    lockAction: row.lock_action,
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

export function emptyEnvironment(): Environment {
  return { parameters: {}, parameter_defaults: {}, resource_registry: {}, event_sinks: [], encrypted_param_names: [] };
}

export async function updateStack(db: HeatDb, id: string, changes: Updateable<StackTable>): Promise<void> {
  await db.updateTable('heat_stack').set(changes).where('id', '=', id).execute();
}

/**
 * Takes the stack's lock for a new operation: a compare-and-swap on the lock
 * columns, false when another operation holds it (that one's action is then
 * in the row).
 */
export async function acquireLock(db: HeatDb, id: string, operation: string, action: StackAction, changes: Updateable<StackTable>): Promise<boolean> {
  const result = await db
    .updateTable('heat_stack')
    .set({ ...changes, lock_operation: operation, lock_action: action, action, status: 'IN_PROGRESS', updated_at: nowIso() })
    .where('id', '=', id)
    .where('lock_operation', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks the running operation's lock with a request (a cancel) its task reads; nothing when no operation holds the lock. */
export async function markLock(db: HeatDb, id: string, lockAction: string): Promise<void> {
  await db.updateTable('heat_stack').set({ lock_action: lockAction }).where('id', '=', id).where('lock_operation', 'is not', null).execute();
}

/** Ends an operation: its final state, and the lock released if this operation still holds it. */
export async function finishOperation(db: HeatDb, id: string, operation: string, changes: Updateable<StackTable>): Promise<boolean> {
  const result = await db
    .updateTable('heat_stack')
    .set({ ...changes, lock_operation: null, lock_action: null, updated_at: nowIso() })
    .where('id', '=', id)
    .where('lock_operation', '=', operation)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
