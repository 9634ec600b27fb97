/** Queries on events: a stack's history, one row per resource state change. */
import { parseJson } from '../../core/db/values.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import type { JsonObject } from '../json.js';
import type { StackAction, StackStatus } from '../service/types.js';
import type { HeatDb } from './db.js';
import type { EventRow } from './tables.js';

export interface StoredEvent {
  id: string;
  seq: number;
  stackId: string;
  resourceName: string;
  physicalResourceId: string | null;
  resourceType: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  properties: JsonObject;
  createdAt: string;
}

export type NewEvent = Omit<StoredEvent, 'id' | 'seq' | 'createdAt'>;

/**
 * The sequence number orders a stack's events written in the same
 * millisecond; it is taken in the insert itself, so resources walked in
 * parallel never share one.
 */
export async function insertEvent(db: HeatDb, event: NewEvent): Promise<void> {
  const values = {
    id: uuid(),
    stack_id: event.stackId,
    resource_name: event.resourceName,
    physical_resource_id: event.physicalResourceId,
    resource_type: event.resourceType,
    action: event.action,
    status: event.status,
    status_reason: event.statusReason,
    properties: JSON.stringify(event.properties),
    created_at: nowIso(),
  };
  const columns = Object.keys(values) as Array<keyof typeof values>;
  await db
    .insertInto('heat_event')
    .columns([...columns, 'seq'])
    .expression((eb) =>
      eb
        .selectFrom('heat_event')
        .select([...columns.map((column) => eb.val(values[column]).as(column)), eb(eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)), '+', 1).as('seq')])
        .where('stack_id', '=', event.stackId),
    )
    .execute();
}

export async function stackEvents(db: HeatDb, stackIds: string[]): Promise<StoredEvent[]> {
  if (stackIds.length === 0) return [];
  const rows = await db.selectFrom('heat_event').selectAll().where('stack_id', 'in', stackIds).orderBy('created_at').orderBy('seq').execute();
  return rows.map(toEvent);
}

export async function deleteStackEvents(db: HeatDb, stackId: string): Promise<void> {
  await db.deleteFrom('heat_event').where('stack_id', '=', stackId).execute();
}

function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    seq: row.seq,
    stackId: row.stack_id,
    resourceName: row.resource_name,
    physicalResourceId: row.physical_resource_id,
    resourceType: row.resource_type,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    properties: parseJson<JsonObject>(row.properties, {}),
    createdAt: row.created_at,
  };
}
