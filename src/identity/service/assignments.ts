/**
 * Role grants (on projects, domains and the system, for users and groups,
 * optionally inherited to projects) and GET /v3/role_assignments with
 * Keystone's `effective` expansion.
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import { toBool } from '../../core/db/values.js';
import * as store from '../store/index.js';
import type { Assignment, AssignmentType, Role } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { expandImpliedRoles } from './effective-roles.js';
import { identityErrors } from '../errors.js';

export type ActorKind = 'user' | 'group';
export type TargetKind = 'project' | 'domain' | 'system';

export interface Grant {
  actor: ActorKind;
  actorId: string;
  target: TargetKind;
  /** 'system' for the system target. */
  targetId: string;
  roleId: string;
  inherited: boolean;
}

/** One row of GET /v3/role_assignments, before rendering. */
export interface AssignmentEntry {
  grant: Grant;
  /** Set when an effective entry comes from a group membership. */
  viaGroupId?: string;
  /** Set when an effective entry comes from an implied role. */
  priorRoleId?: string;
  /** The grant an effective entry was derived from (for links.assignment). */
  source: Grant;
}

/** Names for `include_names`, by id. */
export interface AssignmentNames {
  roles: Map<string, { name: string; domain: { id: string; name: string } | null }>;
  users: Map<string, { name: string; domain: { id: string; name: string } }>;
  groups: Map<string, { name: string; domain: { id: string; name: string } }>;
  projects: Map<string, { name: string; domain: { id: string; name: string } }>;
  domains: Map<string, { name: string }>;
}

export interface AssignmentQuery {
  userId?: string;
  groupId?: string;
  roleId?: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  inheritedToProjects?: boolean;
  effective?: boolean;
  includeSubtree?: boolean;
}

function assignmentType(actor: ActorKind, target: TargetKind): AssignmentType {
  return `${actor === 'user' ? 'User' : 'Group'}${target === 'project' ? 'Project' : target === 'domain' ? 'Domain' : 'System'}` as AssignmentType;
}

function toGrant(a: Assignment): Grant {
  const actor: ActorKind = a.type.startsWith('User') ? 'user' : 'group';
  const target: TargetKind = a.type.endsWith('Project') ? 'project' : a.type.endsWith('Domain') ? 'domain' : 'system';
  return { actor, actorId: a.actor_id, target, targetId: a.target_id, roleId: a.role_id, inherited: toBool(a.inherited) };
}

export class AssignmentOps {
  constructor(private readonly deps: IdentityDeps) {}

  async grant(auth: CallerContext, grant: Grant): Promise<void> {
    await this.checkGrant(auth, grant, grant.target === 'system' ? `create_system_grant_for_${grant.actor}` : 'create_grant');
    await store.insertAssignment(this.deps.db, this.row(grant));
  }

  async revoke(auth: CallerContext, grant: Grant): Promise<void> {
    await this.checkGrant(auth, grant, grant.target === 'system' ? `revoke_system_grant_for_${grant.actor}` : 'revoke_grant');
    if (!(await store.deleteAssignment(this.deps.db, this.row(grant)))) throw this.notFound(grant);
  }

  /** HEAD/GET of one grant: 404 unless it exists. */
  async check(auth: CallerContext, grant: Grant): Promise<void> {
    await this.checkGrant(auth, grant, grant.target === 'system' ? `check_system_grant_for_${grant.actor}` : 'check_grant');
    const rows = await store.listAssignments(this.deps.db, {
      types: [assignmentType(grant.actor, grant.target)],
      actorIds: [grant.actorId],
      targetIds: [grant.targetId],
      roleIds: [grant.roleId],
      inherited: grant.inherited,
    });
    if (rows.length === 0) throw this.notFound(grant);
  }

  /** The roles granted directly to an actor on a target (GET .../users/{u}/roles). */
  async listGrants(auth: CallerContext, grant: Omit<Grant, 'roleId'>): Promise<Role[]> {
    await this.checkGrant(auth, { ...grant, roleId: '' }, grant.target === 'system' ? `list_system_grants_for_${grant.actor}` : 'list_grants');
    const rows = await store.listAssignments(this.deps.db, {
      types: [assignmentType(grant.actor, grant.target)],
      actorIds: [grant.actorId],
      targetIds: [grant.targetId],
      inherited: grant.inherited,
    });
    return store.rolesByIds(
      this.deps.db,
      rows.map((r) => r.role_id),
    );
  }

  async listAssignments(auth: CallerContext, query: AssignmentQuery): Promise<AssignmentEntry[]> {
    this.deps.authz.authorize(auth, query.includeSubtree ? 'list_role_assignments_for_tree' : 'list_role_assignments', {
      domain_id: query.domainId ?? null,
      project: query.projectId ? { id: query.projectId } : null,
    });
    const grants = (await store.listAssignments(this.deps.db, {})).map(toGrant);
    let entries: AssignmentEntry[] = grants.map((grant) => ({ grant, source: grant }));
    if (query.effective) entries = await this.effective(entries);
    const projectIds = query.projectId ? await this.projectFilter(query.projectId, query.includeSubtree ?? false) : null;
    return entries.filter(({ grant }) => {
      if (query.userId !== undefined && !(grant.actor === 'user' && grant.actorId === query.userId)) return false;
      if (query.groupId !== undefined && !(grant.actor === 'group' && grant.actorId === query.groupId)) return false;
      if (query.roleId !== undefined && grant.roleId !== query.roleId) return false;
      if (projectIds && !(grant.target === 'project' && projectIds.has(grant.targetId))) return false;
      if (query.domainId !== undefined && !(grant.target === 'domain' && grant.targetId === query.domainId)) return false;
      if (query.system && grant.target !== 'system') return false;
      if (query.inheritedToProjects !== undefined && grant.inherited !== query.inheritedToProjects) return false;
      return true;
    });
  }

  /** Looks up the names `include_names` adds to each entry. */
  async names(entries: AssignmentEntry[]): Promise<AssignmentNames> {
    const db = this.deps.db;
    const ids = (kind: string) => [
      ...new Set(
        entries
          .flatMap(({ grant }) => [
            kind === 'role' ? grant.roleId : null,
            grant.actor === kind ? grant.actorId : null,
            grant.target === kind ? grant.targetId : null,
          ])
          .filter((id): id is string => id !== null),
      ),
    ];
    const domains = new Map((await store.listDomains(db, {})).map((d) => [d.id, { id: d.id, name: d.name }]));
    const domainOf = (id: string) => domains.get(id) ?? { id, name: '' };
    const result: AssignmentNames = { roles: new Map(), users: new Map(), groups: new Map(), projects: new Map(), domains: new Map() };
    for (const r of await store.rolesByIds(db, ids('role'))) result.roles.set(r.id, { name: r.name, domain: r.domain_id ? domainOf(r.domain_id) : null });
    for (const u of await store.listUsers(db, { ids: ids('user') })) result.users.set(u.id, { name: u.name, domain: domainOf(u.domain_id) });
    for (const g of await store.listGroups(db, { ids: ids('group') })) result.groups.set(g.id, { name: g.name, domain: domainOf(g.domain_id) });
    for (const p of await store.listProjects(db, { ids: ids('project') })) result.projects.set(p.id, { name: p.name, domain: domainOf(p.domain_id) });
    for (const id of ids('domain')) result.domains.set(id, { name: domainOf(id).name });
    return result;
  }

  /**
   * Keystone's effective view: group grants become one entry per member,
   * inherited grants one entry per project below their target, and implied
   * roles are added. Inherited grants do not apply to their own target.
   */
  private async effective(entries: AssignmentEntry[]): Promise<AssignmentEntry[]> {
    const db = this.deps.db;
    const projects = await store.listProjects(db, {});
    const below = (targetKind: TargetKind, targetId: string): string[] => {
      if (targetKind === 'domain') return projects.filter((p) => p.domain_id === targetId).map((p) => p.id);
      const result: string[] = [];
      const queue = [targetId];
      while (queue.length > 0) {
        const parent = queue.pop() as string;
        for (const child of projects.filter((p) => p.parent_id === parent)) {
          result.push(child.id);
          queue.push(child.id);
        }
      }
      return result;
    };

    const byUser: AssignmentEntry[] = [];
    for (const entry of entries) {
      if (entry.grant.actor === 'user') {
        byUser.push(entry);
        continue;
      }
      for (const userId of await store.userIdsInGroup(db, entry.grant.actorId)) {
        byUser.push({ ...entry, grant: { ...entry.grant, actor: 'user', actorId: userId }, viaGroupId: entry.grant.actorId });
      }
    }

    const applied: AssignmentEntry[] = [];
    for (const entry of byUser) {
      if (!entry.grant.inherited) {
        applied.push(entry);
        continue;
      }
      for (const projectId of below(entry.grant.target, entry.grant.targetId)) {
        applied.push({ ...entry, grant: { ...entry.grant, target: 'project', targetId: projectId, inherited: false } });
      }
    }

    // Domain-specific roles only ever stand for the roles they imply: they are
    // not effective themselves (and never reach a token).
    const domainSpecific = new Set((await store.listAllRoles(db)).filter((r) => r.domain_id !== '').map((r) => r.id));
    const withImplied: AssignmentEntry[] = [];
    for (const entry of applied) {
      withImplied.push(entry);
      const implied = await expandImpliedRoles(db, [entry.grant.roleId]);
      for (const roleId of implied) {
        if (roleId === entry.grant.roleId) continue;
        withImplied.push({ ...entry, grant: { ...entry.grant, roleId }, priorRoleId: entry.grant.roleId });
      }
    }
    return withImplied.filter((entry) => !domainSpecific.has(entry.grant.roleId));
  }

  private async projectFilter(projectId: string, subtree: boolean): Promise<Set<string>> {
    const ids = new Set([projectId]);
    if (!subtree) return ids;
    const projects = await store.listProjects(this.deps.db, {});
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of projects) {
        if (p.parent_id && ids.has(p.parent_id) && !ids.has(p.id)) {
          ids.add(p.id);
          grew = true;
        }
      }
    }
    return ids;
  }

  /** Every entity a grant names must exist (404), then policy decides. */
  private async checkGrant(auth: CallerContext, grant: Grant, action: string): Promise<void> {
    const db = this.deps.db;
    const actor = grant.actor === 'user' ? await store.getUserOrThrow(db, grant.actorId) : await store.getGroupOrThrow(db, grant.actorId);
    let targetDomainId: string | null = null;
    if (grant.target === 'project') targetDomainId = (await store.getProjectOrThrow(db, grant.targetId)).domain_id;
    if (grant.target === 'domain') targetDomainId = (await store.getDomainOrThrow(db, grant.targetId)).id;
    let role: Role | null = null;
    if (grant.roleId) role = await store.getRoleOrThrow(db, grant.roleId);
    this.deps.authz.authorize(auth, action, {
      user_id: grant.actor === 'user' ? grant.actorId : null,
      [grant.actor]: { id: actor.id, domain_id: actor.domain_id },
      project: grant.target === 'project' ? { id: grant.targetId, domain_id: targetDomainId } : null,
      domain: grant.target === 'domain' ? { id: grant.targetId } : null,
      role: role ? { id: role.id, name: role.name, domain_id: role.domain_id || null } : null,
    });
  }

  private row(grant: Grant) {
    return {
      type: assignmentType(grant.actor, grant.target),
      actor_id: grant.actorId,
      target_id: grant.targetId,
      role_id: grant.roleId,
      inherited: grant.inherited,
    };
  }

  private notFound(grant: Grant): NotFound {
    const target = grant.target === 'system' ? 'the system' : `${grant.target} ${grant.targetId}`;
    return identityErrors.assignmentNotFound(grant.roleId, grant.actor, grant.actorId, target);
  }
}
