/** Domains and projects (with hierarchy and tags). */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { toBool } from '../../core/db/values.js';
import * as store from '../store/index.js';
import type { Domain, Project } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { identityErrors } from '../errors.js';

const DOMAIN_FIELDS = ['id', 'name', 'description', 'enabled', 'explicit_domain_id', 'links', 'options', 'tags'] as const;
const PROJECT_FIELDS = ['id', 'name', 'description', 'enabled', 'domain_id', 'parent_id', 'is_domain', 'tags', 'links', 'options'] as const;
/** Keystone's default [DEFAULT] max_project_tree_depth. */
const MAX_PROJECT_TREE_DEPTH = 5;
const MAX_TAGS = 80;

export interface ProjectWithTags extends Project {
  tags: string[];
  /** Set on a domain seen as a project (domain-projects.ts). */
  is_domain?: boolean;
}

/** Project ids nested as Keystone's `parents_as_ids`/`subtree_as_ids` show them: each id to the tree above (or below) it, null at the end. */
export type ProjectIdTree = { [projectId: string]: ProjectIdTree | null };

export interface ProjectHierarchy {
  project: ProjectWithTags;
  parents: ProjectWithTags[];
  subtree: ProjectWithTags[];
  parentsAsIds: ProjectIdTree;
  subtreeAsIds: ProjectIdTree | null;
}

export class ResourceOps {
  constructor(private readonly deps: IdentityDeps) {}

  async createDomain(auth: CallerContext, body: Attributes): Promise<Domain> {
    this.deps.authz.authorize(auth, 'create_domain', { domain: body });
    const id = typeof body.explicit_domain_id === 'string' ? body.explicit_domain_id : hexId();
    const row = {
      id,
      name: body.name as string,
      description: (body.description as string | undefined) ?? null,
      enabled: (body.enabled as boolean | undefined) ?? true,
      extra: extraOf(body, DOMAIN_FIELDS),
      created_at: nowIso(),
    };
    await store.insertDomain(this.deps.db, row);
    return store.getDomainOrThrow(this.deps.db, id);
  }

  async getDomain(auth: CallerContext, id: string): Promise<Domain> {
    const domain = await store.getDomainOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'get_domain', { domain: { id } });
    return domain;
  }

  async listDomains(auth: CallerContext, filter: { name?: string; enabled?: boolean }): Promise<Domain[]> {
    this.deps.authz.authorize(auth, 'list_domains');
    return store.listDomains(this.deps.db, filter);
  }

  async updateDomain(auth: CallerContext, id: string, patch: Attributes): Promise<Domain> {
    const domain = await store.getDomainOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'update_domain', { domain: { id } });
    if (patch.id !== undefined && patch.id !== id) throw identityErrors.domainIdImmutable();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateDomain(trx, id, {
        ...(patch.name !== undefined && { name: patch.name as string }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled as boolean }),
        extra: mergeExtra(domain.extra, patch, DOMAIN_FIELDS),
      });
      if (patch.enabled === false && toBool(domain.enabled)) await revokeFor(trx, { domain_id: id });
    });
    return store.getDomainOrThrow(this.deps.db, id);
  }

  /**
   * Keystone refuses to delete an enabled domain; a disabled one goes with
   * everything in it, each project as deleteProject takes it. Limits set on
   * the domain itself stay, as in Keystone (it removes limits by project only).
   */
  async deleteDomain(auth: CallerContext, id: string): Promise<void> {
    const domain = await store.getDomainOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'delete_domain', { domain: { id } });
    if (toBool(domain.enabled)) {
      throw identityErrors.domainEnabled();
    }
    await this.deps.db.transaction().execute(async (trx) => {
      const projects = await store.projectsInDomain(trx, id);
      // Children before parents, so the parent_id references never dangle.
      for (const project of sortLeavesFirst(projects)) await deleteProjectWithDependents(trx, project.id);
      for (const user of await store.listUsers(trx, { domainId: id })) await store.deleteUser(trx, user.id);
      for (const group of await store.listGroups(trx, { domainId: id })) await store.deleteGroup(trx, group.id);
      for (const role of await store.listRoles(trx, { domainId: id })) await store.deleteRole(trx, role.id);
      await store.deleteAssignmentsOnTarget(trx, id);
      await store.deleteDomainConfig(trx, id);
      await store.deleteDomain(trx, id);
    });
  }

  async createProject(auth: CallerContext, body: Attributes): Promise<ProjectWithTags> {
    const domainId = (body.domain_id as string | undefined) ?? auth.domain?.id ?? auth.project?.domainId ?? 'default';
    this.deps.authz.authorize(auth, 'create_project', { project: { domain_id: domainId } });
    const domain = await store.getDomain(this.deps.db, domainId);
    if (!domain) throw identityErrors.referenceNotFound('domain', domainId);
    let parentId = (body.parent_id as string | null | undefined) ?? null;
    // A parent acting as a domain makes a root project of that domain.
    if (parentId && (await store.getDomain(this.deps.db, parentId))) {
      if (parentId !== domainId) throw identityErrors.parentDomainMismatch(parentId, domainId);
      parentId = null;
    }
    if (parentId) {
      const parent = await store.getProject(this.deps.db, parentId);
      if (!parent) throw identityErrors.referenceNotFound('project', parentId);
      if (parent.domain_id !== domainId) {
        throw identityErrors.parentInOtherDomain();
      }
      if ((await this.depthOf(parent)) + 1 >= MAX_PROJECT_TREE_DEPTH) {
        throw identityErrors.maxDepth(parentId);
      }
    }
    const tags = checkTags(body.tags);
    const id = hexId();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.insertProject(
        trx,
        {
          id,
          name: body.name as string,
          domain_id: domainId,
          parent_id: parentId,
          description: (body.description as string | undefined) ?? null,
          enabled: (body.enabled as boolean | undefined) ?? true,
          extra: extraOf(body, PROJECT_FIELDS),
          created_at: nowIso(),
        },
        tags,
      );
    });
    return this.withTags(await store.getProjectOrThrow(this.deps.db, id));
  }

  async getProject(auth: CallerContext, id: string): Promise<ProjectWithTags> {
    const project = await store.getProjectOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'get_project', { project: { id, domain_id: project.domain_id } });
    return this.withTags(project);
  }

  /**
   * The project's ancestors (nearest first, up to but not including its
   * domain) and every project below it (level by level), for GET
   * /v3/projects/{id}?parents_as_list&subtree_as_list. As Keystone, the
   * lists hold only projects the caller holds a role on; the id trees
   * (`parents_as_ids`, `subtree_as_ids`) hold every one, the domain included
   * at the top of the parents.
   */
  async projectHierarchy(auth: CallerContext, id: string): Promise<ProjectHierarchy> {
    const project = await this.getProject(auth, id);
    const all = await store.listProjects(this.deps.db, {});
    const byId = new Map(all.map((p) => [p.id, p]));
    const parents: Project[] = [];
    for (let parent = byId.get(project.parent_id ?? ''); parent; parent = byId.get(parent.parent_id ?? '')) parents.push(parent);
    const childrenOf = (parentId: string) => all.filter((p) => p.parent_id === parentId);
    const subtree: Project[] = [];
    for (let level = childrenOf(id); level.length > 0; level = level.flatMap((p) => childrenOf(p.id))) subtree.push(...level);
    const parentIds: ProjectIdTree = { [project.domain_id]: null };
    const parentsAsIds = parents.reduceRight<ProjectIdTree>((above, parent) => ({ [parent.id]: above }), parentIds);
    const subtreeAsIds = (parentId: string): ProjectIdTree | null => {
      const children = childrenOf(parentId);
      return children.length === 0 ? null : Object.fromEntries(children.map((child) => [child.id, subtreeAsIds(child.id)]));
    };
    const mine = new Set((await this.projectsForUser(auth.userId)).map((p) => p.id));
    return {
      project,
      parents: await this.withTagsAll(parents.filter((p) => mine.has(p.id))),
      subtree: await this.withTagsAll(subtree.filter((p) => mine.has(p.id))),
      parentsAsIds,
      subtreeAsIds: subtreeAsIds(id),
    };
  }

  async listProjects(auth: CallerContext, filter: store.ProjectFilter): Promise<ProjectWithTags[]> {
    this.deps.authz.authorize(auth, 'list_projects', { domain_id: filter.domainId ?? null });
    return this.withTagsAll(await store.listProjects(this.deps.db, filter));
  }

  async updateProject(auth: CallerContext, id: string, patch: Attributes): Promise<ProjectWithTags> {
    const project = await store.getProjectOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'update_project', { project: { id, domain_id: project.domain_id } });
    if (patch.domain_id !== undefined && patch.domain_id !== project.domain_id) {
      throw identityErrors.projectDomainImmutable();
    }
    if (patch.parent_id !== undefined && patch.parent_id !== project.parent_id) {
      throw identityErrors.parentIdImmutable();
    }
    if (patch.is_domain !== undefined && patch.is_domain !== false) throw identityErrors.isDomainImmutable();
    const tags = patch.tags === undefined ? undefined : checkTags(patch.tags);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateProject(trx, id, {
        ...(patch.name !== undefined && { name: patch.name as string }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled as boolean }),
        extra: mergeExtra(project.extra, patch, PROJECT_FIELDS),
      });
      if (tags !== undefined) await store.replaceProjectTags(trx, id, tags);
      if (patch.enabled === false && toBool(project.enabled)) await revokeFor(trx, { project_id: id });
    });
    return this.withTags(await store.getProjectOrThrow(this.deps.db, id));
  }

  /** A leaf project only (403 otherwise); see deleteProjectWithDependents for what goes with it. */
  async deleteProject(auth: CallerContext, id: string): Promise<void> {
    const project = await store.getProjectOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'delete_project', { project: { id, domain_id: project.domain_id } });
    if ((await store.childProjects(this.deps.db, id)).length > 0) {
      throw identityErrors.projectNotLeaf(id);
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await deleteProjectWithDependents(trx, id);
      await revokeFor(trx, { project_id: id });
    });
  }

  async projectTags(auth: CallerContext, id: string): Promise<string[]> {
    return (await this.getProject(auth, id)).tags;
  }

  async setProjectTags(
    auth: CallerContext,
    id: string,
    tags: string[] | null,
    action: 'update_project_tags' | 'create_project_tag' | 'delete_project_tags' | 'delete_project_tag',
  ): Promise<string[]> {
    const project = await store.getProjectOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, action, { project: { id, domain_id: project.domain_id } });
    await store.replaceProjectTags(this.deps.db, id, checkTags(tags ?? []));
    return (await this.withTags(project)).tags;
  }

  /** The projects the caller (or `userId`) has any role on, as /v3/auth/projects and /users/{id}/projects show. */
  async projectsForUser(userId: string): Promise<ProjectWithTags[]> {
    const actorIds = [userId, ...(await store.groupIdsOfUser(this.deps.db, userId))];
    const assignments = await store.listAssignments(this.deps.db, { actorIds });
    const projectIds = new Set<string>();
    const inheritedFrom = new Set<string>();
    for (const a of assignments) {
      if (a.type.endsWith('Project')) (toBool(a.inherited) ? inheritedFrom : projectIds).add(a.target_id);
      else if (a.type.endsWith('Domain') && toBool(a.inherited)) inheritedFrom.add(a.target_id);
    }
    // Inherited assignments reach every project below the target (domain or project).
    if (inheritedFrom.size > 0) {
      const all = await store.listProjects(this.deps.db, {});
      const below = (project: Project): boolean =>
        inheritedFrom.has(project.domain_id) ||
        (project.parent_id !== null && (inheritedFrom.has(project.parent_id) || below(all.find((p) => p.id === project.parent_id) as Project)));
      for (const project of all) if (below(project)) projectIds.add(project.id);
    }
    const projects = await store.listProjects(this.deps.db, { ids: [...projectIds] });
    return this.withTagsAll(projects);
  }

  /** Policy for GET /v3/users/{id}/projects. */
  mayListUserProjects(auth: CallerContext, user: { id: string; domain_id: string }): boolean {
    return this.deps.authz.allowed(auth, 'list_user_projects', { user: { id: user.id, domain_id: user.domain_id } });
  }

  /** Enabled domains where the user (or a group of theirs) holds a role (/v3/auth/domains). */
  async domainsForUser(userId: string): Promise<Domain[]> {
    const actorIds = [userId, ...(await store.groupIdsOfUser(this.deps.db, userId))];
    const assignments = await store.listAssignments(this.deps.db, { types: ['UserDomain', 'GroupDomain'], actorIds, inherited: false });
    const domains = await store.listDomains(this.deps.db, { enabled: true });
    const ids = new Set(assignments.map((a) => a.target_id));
    return domains.filter((d) => ids.has(d.id));
  }

  private async depthOf(project: Project): Promise<number> {
    let depth = 0;
    let parentId = project.parent_id;
    while (parentId) {
      depth += 1;
      parentId = (await store.getProject(this.deps.db, parentId))?.parent_id ?? null;
    }
    return depth;
  }

  private async withTags(project: Project): Promise<ProjectWithTags> {
    return (await this.withTagsAll([project]))[0] as ProjectWithTags;
  }

  private async withTagsAll(projects: Project[]): Promise<ProjectWithTags[]> {
    const tags = await store.projectTags(
      this.deps.db,
      projects.map((p) => p.id),
    );
    return projects.map((p) => ({ ...p, tags: tags.get(p.id) ?? [] }));
  }
}

/**
 * A project and what Keystone deletes with it (_post_delete_cleanup_project,
 * and identity's callback on project deletion): the role assignments on it,
 * the credentials tied to it (EC2 and others, whoever owns them), its limits,
 * its endpoint and endpoint group associations (OS-EP-FILTER),
 * and its place as users' default project. Application credentials made for
 * it stay, as in Keystone; with the project gone they no longer authenticate.
 */
async function deleteProjectWithDependents(db: store.IdentityDb, id: string): Promise<void> {
  await store.deleteAssignmentsOnTarget(db, id);
  await store.deleteCredentialsForProject(db, id);
  await store.deleteLimitsForProject(db, id);
  await store.deleteEndpointFilterOfProject(db, id);
  await store.clearDefaultProject(db, id);
  await store.deleteProject(db, id);
}

/** Tokens issued on a project or domain before now stop working (disable, delete). */
async function revokeFor(db: store.IdentityDb, target: { project_id?: string; domain_id?: string }): Promise<void> {
  const now = nowIso();
  await store.insertRevocationEvent(db, {
    audit_id: null,
    user_id: null,
    project_id: target.project_id ?? null,
    domain_id: target.domain_id ?? null,
    issued_before: now,
    revoked_at: now,
  });
}

function checkTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw identityErrors.tagsNotList();
  if (value.length > MAX_TAGS) throw identityErrors.tooManyTags(MAX_TAGS);
  for (const tag of value) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > 255 || /[,/]/.test(tag)) {
      throw identityErrors.invalidTag(tag);
    }
  }
  return value as string[];
}

/** Orders projects so that every child comes before its parent. */
function sortLeavesFirst(projects: Project[]): Project[] {
  const depth = new Map<string, number>();
  const byId = new Map(projects.map((p) => [p.id, p]));
  const depthOf = (p: Project): number => {
    const known = depth.get(p.id);
    if (known !== undefined) return known;
    const parent = p.parent_id ? byId.get(p.parent_id) : undefined;
    const d = parent ? depthOf(parent) + 1 : 0;
    depth.set(p.id, d);
    return d;
  };
  return [...projects].sort((a, b) => depthOf(b) - depthOf(a));
}
