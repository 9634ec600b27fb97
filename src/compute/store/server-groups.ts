/** Server groups (os-server-groups): a placement policy over a set of servers. */
import { parseJson } from '../../core/db/values.js';
import type { ComputeDb } from './db.js';
import type { Selectable } from 'kysely';
import type { ServerGroupTable } from './tables.js';

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

export interface ServerGroup {
  id: string;
  projectId: string;
  userId: string;
  name: string;
  policy: GroupPolicy;
  /** `max_server_per_host` (anti-affinity only, 2.64). */
  rules: { max_server_per_host?: number };
  members: string[];
  createdAt: string;
}

function fromRow(row: Selectable<ServerGroupTable>): ServerGroup {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    policy: row.policy as GroupPolicy,
    rules: parseJson<ServerGroup['rules']>(row.rules, {}),
    members: parseJson<string[]>(row.members, []),
    createdAt: row.created_at,
  };
}

export async function insertServerGroup(db: ComputeDb, group: ServerGroup): Promise<void> {
  await db
    .insertInto('compute_server_group')
    .values({
      id: group.id,
      project_id: group.projectId,
      user_id: group.userId,
      name: group.name,
      policy: group.policy,
      rules: JSON.stringify(group.rules),
      members: JSON.stringify(group.members),
      created_at: group.createdAt,
    })
    .execute();
}

export async function getServerGroup(db: ComputeDb, id: string): Promise<ServerGroup | null> {
  const row = await db.selectFrom('compute_server_group').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Oldest first; every project's when `projectId` is undefined. */
export async function listServerGroups(db: ComputeDb, projectId?: string): Promise<ServerGroup[]> {
  let select = db.selectFrom('compute_server_group').selectAll();
  if (projectId !== undefined) select = select.where('project_id', '=', projectId);
  const rows = await select.orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function deleteServerGroup(db: ComputeDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('compute_server_group').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Replaces the member list, only if it is still `expected` (compare-and-swap: concurrent builds join one at a time). */
export async function swapGroupMembers(db: ComputeDb, id: string, expected: string[], members: string[]): Promise<boolean> {
  const result = await db
    .updateTable('compute_server_group')
    .set({ members: JSON.stringify(members) })
    .where('id', '=', id)
    .where('members', '=', JSON.stringify(expected))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The groups a server belongs to (Nova allows one). */
export async function groupsOfServer(db: ComputeDb, serverId: string): Promise<ServerGroup[]> {
  // Members are a JSON array of uuids: a LIKE on the quoted uuid finds them on both engines.
  const rows = await db.selectFrom('compute_server_group').selectAll().where('members', 'like', `%"${serverId}"%`).execute();
  return rows.map(fromRow);
}
