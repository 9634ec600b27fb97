/** Queries on user messages. */
import type { Insertable } from 'kysely';
import { paginate, type ListParams, type Page } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import type { VolumeDb } from './db.js';
import type { Message, MessageTable } from './tables.js';

export const MESSAGE_SORT_KEYS = ['created_at', 'expires_at', 'id', 'event_id', 'message_level', 'resource_type', 'resource_uuid', 'request_id'] as const;
export type MessageSortKey = (typeof MESSAGE_SORT_KEYS)[number];

/** The columns a list may be filtered on by equality (Cinder's resource_filters.json for `message`). */
export const MESSAGE_FILTERS = ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level'] as const;
export type MessageFilter = (typeof MESSAGE_FILTERS)[number];

export interface MessageListQuery {
  /** Null: every project's. */
  projectId: string | null;
  filters: Partial<Record<MessageFilter, string>>;
  offset?: number;
  params: ListParams<MessageSortKey>;
}

export async function insertMessage(db: VolumeDb, row: Insertable<MessageTable>): Promise<void> {
  await db.insertInto('cinder_message').values(row).execute();
}

export async function getMessage(db: VolumeDb, id: string): Promise<Message | null> {
  return (await db.selectFrom('cinder_message').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listMessages(db: VolumeDb, query: MessageListQuery): Promise<Page<Message>> {
  let scope = db.selectFrom('cinder_message').selectAll();
  if (query.projectId !== null) scope = scope.where('project_id', '=', query.projectId);
  let filtered = scope;
  for (const [column, value] of Object.entries(query.filters) as Array<[MessageFilter, string]>) filtered = filtered.where(column, '=', value);
  if (query.offset) filtered = filtered.offset(query.offset);
  const { marker } = query.params;
  if (marker !== null && !(await scope.where('id', '=', marker).executeTakeFirst())) throw notFound.marker(marker);
  return paginate(filtered, query.params, { id: 'id', markerScope: scope });
}

export async function deleteMessage(db: VolumeDb, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('cinder_message').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

/** Removes the messages past their guarantee; answers how many went. */
export async function deleteExpiredMessages(db: VolumeDb, now: string): Promise<number> {
  return Number((await db.deleteFrom('cinder_message').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
}
