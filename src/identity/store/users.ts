/** Users, their password history, groups and group membership. */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { Group, GroupTable, Password, PasswordTable, User, UserTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertUser(db: IdentityDb, row: Insertable<UserTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('user').values(row).execute(),
    () => identityErrors.conflict('store', 'user', `Duplicate entry found with name ${row.name} at domain ID ${row.domain_id}`),
  );
}

export async function getUser(db: IdentityDb, id: string): Promise<User | undefined> {
  return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getUserOrThrow(db: IdentityDb, id: string): Promise<User> {
  const user = await getUser(db, id);
  if (!user) throw identityErrors.notFound('user', id);
  return user;
}

export async function findUserByName(db: IdentityDb, domainId: string, name: string): Promise<User | undefined> {
  return db.selectFrom('user').selectAll().where('domain_id', '=', domainId).where('name', '=', name).executeTakeFirst();
}

export async function listUsers(db: IdentityDb, filter: { name?: string; domainId?: string; enabled?: boolean; ids?: string[] }): Promise<User[]> {
  let query = db.selectFrom('user').selectAll().orderBy('name');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  return query.execute();
}

export async function updateUser(db: IdentityDb, id: string, patch: Updateable<UserTable>): Promise<void> {
  await uniquely(
    () => db.updateTable('user').set(patch).where('id', '=', id).execute(),
    () => identityErrors.conflict('update', 'user', `Duplicate entry found with name ${patch.name ?? ''}`),
  );
}

export async function deleteUser(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('assignment').where('actor_id', '=', id).execute();
  await db.deleteFrom('credential').where('user_id', '=', id).execute();
  await db.deleteFrom('user').where('id', '=', id).execute();
}

/** Users whose default project was `projectId` get none. */
export async function clearDefaultProject(db: IdentityDb, projectId: string): Promise<void> {
  await db.updateTable('user').set({ default_project_id: null }).where('default_project_id', '=', projectId).execute();
}

export async function insertPassword(db: IdentityDb, row: Insertable<PasswordTable>): Promise<void> {
  await db.insertInto('password').values(row).execute();
}

/** Newest first; the first is the current password. */
export async function passwordHistory(db: IdentityDb, userId: string, count: number): Promise<Password[]> {
  return db
    .selectFrom('password')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(count, 1))
    .execute();
}

export async function currentPasswords(db: IdentityDb, userIds: string[]): Promise<Map<string, Password>> {
  const result = new Map<string, Password>();
  if (userIds.length === 0) return result;
  const rows = await db.selectFrom('password').selectAll().where('user_id', 'in', userIds).orderBy('created_at').orderBy('id').execute();
  for (const row of rows) result.set(row.user_id, row);
  return result;
}

/** Keeps the newest `keep` passwords (history beyond what the checks need is dead weight). */
export async function prunePasswords(db: IdentityDb, userId: string, keep: number): Promise<void> {
  const kept = await passwordHistory(db, userId, keep);
  const ids = kept.map((p) => p.id);
  let query = db.deleteFrom('password').where('user_id', '=', userId);
  if (ids.length > 0) query = query.where('id', 'not in', ids);
  await query.execute();
}

export async function insertGroup(db: IdentityDb, row: Insertable<GroupTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('group').values(row).execute(),
    () => identityErrors.conflict('store', 'group', `Duplicate entry found with name ${row.name}`),
  );
}

export async function getGroupOrThrow(db: IdentityDb, id: string): Promise<Group> {
  const group = await db.selectFrom('group').selectAll().where('id', '=', id).executeTakeFirst();
  if (!group) throw identityErrors.notFound('group', id);
  return group;
}

export async function findGroupByName(db: IdentityDb, domainId: string, name: string): Promise<Group | undefined> {
  return db.selectFrom('group').selectAll().where('domain_id', '=', domainId).where('name', '=', name).executeTakeFirst();
}

export async function listGroups(db: IdentityDb, filter: { name?: string; domainId?: string; ids?: string[] }): Promise<Group[]> {
  let query = db.selectFrom('group').selectAll().orderBy('name');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  return query.execute();
}

export async function updateGroup(db: IdentityDb, id: string, patch: Updateable<GroupTable>): Promise<void> {
  await uniquely(
    () => db.updateTable('group').set(patch).where('id', '=', id).execute(),
    () => identityErrors.conflict('update', 'group', `Duplicate entry found with name ${patch.name ?? ''}`),
  );
}

export async function deleteGroup(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('assignment').where('actor_id', '=', id).execute();
  await db.deleteFrom('user_group_membership').where('group_id', '=', id).execute();
  await db.deleteFrom('group').where('id', '=', id).execute();
}

export async function addMembership(db: IdentityDb, userId: string, groupId: string): Promise<void> {
  await db
    .insertInto('user_group_membership')
    .values({ user_id: userId, group_id: groupId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Returns false when the user was not a member. */
export async function removeMembership(db: IdentityDb, userId: string, groupId: string): Promise<boolean> {
  const result = await db.deleteFrom('user_group_membership').where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function isMember(db: IdentityDb, userId: string, groupId: string): Promise<boolean> {
  const row = await db.selectFrom('user_group_membership').select('user_id').where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
  return row !== undefined;
}

export async function groupIdsOfUser(db: IdentityDb, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_group_membership').select('group_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.group_id);
}

export async function userIdsInGroup(db: IdentityDb, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_group_membership').select('user_id').where('group_id', '=', groupId).execute();
  return rows.map((r) => r.user_id);
}
