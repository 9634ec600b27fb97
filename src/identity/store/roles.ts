/** Roles, implied roles and role assignments. */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { Assignment, AssignmentTable, AssignmentType, Role, RoleTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertRole(db: IdentityDb, row: Insertable<RoleTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('role').values(row).execute(),
    () => identityErrors.conflict('store', 'role', `Duplicate entry found with name ${row.name}`),
  );
}

export async function getRole(db: IdentityDb, id: string): Promise<Role | undefined> {
  return db.selectFrom('role').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getRoleOrThrow(db: IdentityDb, id: string): Promise<Role> {
  const role = await getRole(db, id);
  if (!role) throw identityErrors.notFound('role', id);
  return role;
}

/** `domainId` '' finds a global role. */
export async function findRoleByName(db: IdentityDb, name: string, domainId = ''): Promise<Role | undefined> {
  return db.selectFrom('role').selectAll().where('name', '=', name).where('domain_id', '=', domainId).executeTakeFirst();
}

export async function listRoles(db: IdentityDb, filter: { name?: string; domainId?: string; ids?: string[] }): Promise<Role[]> {
  let query = db
    .selectFrom('role')
    .selectAll()
    .orderBy('name')
    .where('domain_id', '=', filter.domainId ?? '');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  return query.execute();
}

/** Every role, global and domain-specific. */
export async function listAllRoles(db: IdentityDb): Promise<Role[]> {
  return db.selectFrom('role').selectAll().execute();
}

export async function rolesByIds(db: IdentityDb, ids: string[]): Promise<Role[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('role').selectAll().where('id', 'in', ids).execute();
}

export async function updateRole(db: IdentityDb, id: string, patch: Updateable<RoleTable>): Promise<void> {
  await uniquely(
    () => db.updateTable('role').set(patch).where('id', '=', id).execute(),
    () => identityErrors.conflict('update', 'role', `Duplicate entry found with name ${patch.name ?? ''}`),
  );
}

export async function deleteRole(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('assignment').where('role_id', '=', id).execute();
  await db
    .deleteFrom('implied_role')
    .where((eb) => eb.or([eb('prior_role_id', '=', id), eb('implied_role_id', '=', id)]))
    .execute();
  await db.deleteFrom('application_credential_role').where('role_id', '=', id).execute();
  await db.deleteFrom('role').where('id', '=', id).execute();
}

export async function insertImpliedRole(db: IdentityDb, priorId: string, impliedId: string): Promise<void> {
  await db
    .insertInto('implied_role')
    .values({ prior_role_id: priorId, implied_role_id: impliedId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteImpliedRole(db: IdentityDb, priorId: string, impliedId: string): Promise<boolean> {
  const result = await db.deleteFrom('implied_role').where('prior_role_id', '=', priorId).where('implied_role_id', '=', impliedId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listImpliedRoles(db: IdentityDb, priorId?: string): Promise<Array<{ prior_role_id: string; implied_role_id: string }>> {
  let query = db.selectFrom('implied_role').selectAll();
  if (priorId !== undefined) query = query.where('prior_role_id', '=', priorId);
  return query.execute();
}

export async function insertAssignment(db: IdentityDb, row: Insertable<AssignmentTable>): Promise<void> {
  await db
    .insertInto('assignment')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteAssignment(db: IdentityDb, row: Assignment): Promise<boolean> {
  const result = await db
    .deleteFrom('assignment')
    .where('type', '=', row.type)
    .where('actor_id', '=', row.actor_id)
    .where('target_id', '=', row.target_id)
    .where('role_id', '=', row.role_id)
    .where('inherited', '=', row.inherited)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface AssignmentFilter {
  types?: AssignmentType[];
  actorIds?: string[];
  targetIds?: string[];
  roleIds?: string[];
  inherited?: boolean;
}

export async function listAssignments(db: IdentityDb, filter: AssignmentFilter): Promise<Assignment[]> {
  let query = db.selectFrom('assignment').selectAll();
  for (const [column, values] of [
    ['type', filter.types],
    ['actor_id', filter.actorIds],
    ['target_id', filter.targetIds],
    ['role_id', filter.roleIds],
  ] as const) {
    if (values === undefined) continue;
    if (values.length === 0) return [];
    query = query.where(column, 'in', values);
  }
  if (filter.inherited !== undefined) query = query.where('inherited', '=', filter.inherited);
  return query.execute();
}

export async function deleteAssignmentsOnTarget(db: IdentityDb, targetId: string): Promise<void> {
  await db.deleteFrom('assignment').where('target_id', '=', targetId).execute();
}
