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
  rules: Record<string, number>;
  members: string[];
  createdAt: string;
}

export function groupFromRow(row: Selectable<ServerGroupTable>): ServerGroup {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    policy: row.policy as GroupPolicy,
    rules: parseJson<Record<string, number>>(row.rules, {}),
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
  return row ? groupFromRow(row) : null;
}

/** Oldest first; every project's when `projectId` is undefined. */
export async function listServerGroups(db: ComputeDb, projectId?: string): Promise<ServerGroup[]> {
  let select = db.selectFrom('compute_server_group').selectAll();
  if (projectId !== undefined) select = select.where('project_id', '=', projectId);
  const rows = await select.orderBy('created_at').orderBy('id').execute();
  return rows.map(groupFromRow);
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
  return rows.map(groupFromRow);
}

/**
 * Adds servers to the group's members (idempotent; retried on a concurrent
 * change, so no join is lost). `check` sees the members each attempt starts
 * from and may throw (the member limit): since the write only lands if the
 * members are still those, two concurrent joins can never both pass a check
 * that only one of them fits, on PostgreSQL's READ COMMITTED as on SQLite.
 */
export async function addGroupMembers(db: ComputeDb, id: string, serverIds: string[], check: (group: ServerGroup) => void = () => undefined): Promise<void> {
  for (;;) {
    const group = await getServerGroup(db, id);
    if (!group) return;
    check(group);
    const members = [...new Set([...group.members, ...serverIds])];
    if (await swapGroupMembers(db, id, group.members, members)) return;
  }
}

/** Takes a server out of every group holding it. */
export async function removeGroupMember(db: ComputeDb, serverId: string): Promise<void> {
  for (const found of await groupsOfServer(db, serverId)) {
    for (let group: ServerGroup | null = found; group && group.members.includes(serverId); group = await getServerGroup(db, found.id)) {
      if (
        await swapGroupMembers(
          db,
          group.id,
          group.members,
          group.members.filter((m) => m !== serverId),
        )
      )
        break;
    }
  }
}
