/**
 * Which roles a user holds on a scope, as Keystone computes them for tokens:
 * direct and group assignments on the target, assignments inherited
 * (OS-INHERIT) from the project's domain and its ancestors, then implied roles
 * expanded transitively. Domain-specific roles only imply; they never appear.
 */
import {
  getProject,
  groupIdsOfUser,
  listAssignments,
  listImpliedRoles,
  rolesByIds,
  type Assignment,
  type IdentityDb,
  type Project,
  type Role,
} from '../store/index.js';

export type RoleScope = { project: Project } | { domainId: string } | { system: true };

/** Project ids from the project's parent up to the top of its domain. */
export async function ancestorIds(db: IdentityDb, project: Project): Promise<string[]> {
  const ids: string[] = [];
  let parentId = project.parent_id;
  while (parentId && !ids.includes(parentId)) {
    ids.push(parentId);
    parentId = (await getProject(db, parentId))?.parent_id ?? null;
  }
  return ids;
}

/** The assignments (direct, via groups, inherited) that grant `userId` roles on `scope`. */
export async function grantingAssignments(db: IdentityDb, userId: string, scope: RoleScope): Promise<Assignment[]> {
  const actorIds = [userId, ...(await groupIdsOfUser(db, userId))];
  if ('system' in scope) {
    return listAssignments(db, { types: ['UserSystem', 'GroupSystem'], actorIds, targetIds: ['system'] });
  }
  if ('domainId' in scope) {
    return listAssignments(db, { types: ['UserDomain', 'GroupDomain'], actorIds, targetIds: [scope.domainId], inherited: false });
  }
  const project = scope.project;
  const direct = await listAssignments(db, { types: ['UserProject', 'GroupProject'], actorIds, targetIds: [project.id], inherited: false });
  const inheritedTargets = [project.domain_id, ...(await ancestorIds(db, project))];
  const inherited = await listAssignments(db, { actorIds, targetIds: inheritedTargets, inherited: true });
  return [...direct, ...inherited];
}

/** Expands role ids through implied-role rules (transitively, cycle-safe). */
export async function expandImpliedRoles(db: IdentityDb, roleIds: string[]): Promise<string[]> {
  const rules = await listImpliedRoles(db);
  const implied = new Map<string, string[]>();
  for (const rule of rules) implied.set(rule.prior_role_id, [...(implied.get(rule.prior_role_id) ?? []), rule.implied_role_id]);
  const seen = new Set<string>();
  const queue = [...roleIds];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(implied.get(id) ?? []));
  }
  return [...seen];
}

/** Effective global roles of a user on a scope, sorted by name. */
export async function effectiveRoles(db: IdentityDb, userId: string, scope: RoleScope): Promise<Role[]> {
  const assignments = await grantingAssignments(db, userId, scope);
  const ids = await expandImpliedRoles(db, [...new Set(assignments.map((a) => a.role_id))]);
  const roles = await rolesByIds(db, ids);
  return roles.filter((role) => role.domain_id === '').sort((a, b) => a.name.localeCompare(b.name));
}
