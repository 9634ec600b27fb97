/** Instance actions (os-instance-actions) and their events. */
import { parseJson } from '../../core/db/values.js';
import type { ComputeDb } from './db.js';
import type { Selectable } from 'kysely';
import type { InstanceActionTable } from './tables.js';

export interface ActionEvent {
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
}

export interface InstanceAction {
  id: string;
  instanceUuid: string;
  requestId: string;
  action: string;
  projectId: string;
  userId: string;
  startTime: string;
  finishTime: string | null;
  updatedAt: string;
  message: string | null;
  events: ActionEvent[];
}

function fromRow(row: Selectable<InstanceActionTable>): InstanceAction {
  return {
    id: row.id,
    instanceUuid: row.instance_uuid,
    requestId: row.request_id,
    action: row.action,
    projectId: row.project_id,
    userId: row.user_id,
    startTime: row.start_time,
    finishTime: row.finish_time,
    updatedAt: row.updated_at,
    message: row.message,
    events: parseJson<ActionEvent[]>(row.events, []),
  };
}

export async function insertAction(db: ComputeDb, action: InstanceAction): Promise<void> {
  await db
    .insertInto('compute_instance_action')
    .values({
      id: action.id,
      instance_uuid: action.instanceUuid,
      request_id: action.requestId,
      action: action.action,
      project_id: action.projectId,
      user_id: action.userId,
      start_time: action.startTime,
      finish_time: action.finishTime,
      updated_at: action.updatedAt,
      message: action.message,
      events: JSON.stringify(action.events),
    })
    .execute();
}

export async function getAction(db: ComputeDb, instanceUuid: string, requestId: string): Promise<InstanceAction | null> {
  const row = await db
    .selectFrom('compute_instance_action')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Newest first, as Nova lists them. */
export async function listActions(db: ComputeDb, instanceUuid: string): Promise<InstanceAction[]> {
  const rows = await db
    .selectFrom('compute_instance_action')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .orderBy('start_time', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(fromRow);
}

export async function saveAction(db: ComputeDb, action: InstanceAction): Promise<void> {
  await db
    .updateTable('compute_instance_action')
    .set({ finish_time: action.finishTime, updated_at: action.updatedAt, message: action.message, events: JSON.stringify(action.events) })
    .where('id', '=', action.id)
    .execute();
}
