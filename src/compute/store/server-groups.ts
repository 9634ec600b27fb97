/** Server groups: a policy ((anti-)affinity, soft or not), its rules and member servers. */
import type { Selectable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import type { ComputeDb } from './db.js';
import type { ServerGroupTable } from './tables.js';

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

export interface ServerGroup {
  id: string;
  projectId: string;
  userId: string;
  name: string;
  policy: GroupPolicy;
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

export async function getServerGroup(db: ComputeDb, id: string): Promise<ServerGroup | null> {
  const row = await db.selectFrom('compute_server_group').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? groupFromRow(row) : null;
}

/** Adds servers to the group's members (idempotent). */
export async function addGroupMembers(db: ComputeDb, id: string, serverIds: string[]): Promise<void> {
  const group = await getServerGroup(db, id);
  if (!group) return;
  const members = [...new Set([...group.members, ...serverIds])];
  await db.updateTable('compute_server_group').set({ members: JSON.stringify(members) }).where('id', '=', id).execute();
}

export async function removeGroupMember(db: ComputeDb, serverId: string): Promise<void> {
  const rows = await db.selectFrom('compute_server_group').selectAll().execute();
  for (const row of rows) {
    const group = groupFromRow(row);
    if (!group.members.includes(serverId)) continue;
    const members = group.members.filter((m) => m !== serverId);
    await db.updateTable('compute_server_group').set({ members: JSON.stringify(members) }).where('id', '=', group.id).execute();
  }
}
