/**
 * What the identity service offers other services in-process
 * (`deps.services.identity`): validating tokens for every API, the projects,
 * users, roles and role assignments Heat's Keystone resources manage, the
 * domains they live in, the service catalog (Heat's `get_url` and signal
 * URLs), the projects first-start content is made for, and (in
 * directory-operations.ts) the roles, groups and domains Heat makes. Every call but
 * `authenticate` takes the caller's CallerContext and goes through the same
 * service layer as the REST API under /identity, so Keystone's policy
 * (`identity:get_project`, `identity:create_grant`, ...) holds as for an API
 * call. Errors are core's NimbusError classes with Keystone's messages
 * (`Could not find project: x.`, 403 when the policy refuses, 409 on a
 * duplicate name).
 */
import type { CallerContext } from '../core/context.js';
import { toBool } from '../core/db/values.js';
import { NimbusError } from '../core/errors.js';
import { identityErrors } from './errors.js';
import type { IdentityServiceOps } from './service/index.js';
import {
  directoryOperations,
  domainInfo,
  groupInfo,
  roleInfo,
  type DirectoryOperations,
  type DomainInfo,
  type GroupInfo,
  type RoleInfo,
} from './directory-operations.js';
import type { IdentityDb, User } from './store/index.js';
import { trustOperations, type TrustOperations } from './trust-operations.js';
import { credentialOperations, type CredentialOperations } from './credential-operations.js';
import type { CatalogService } from './service/token-catalog.js';
import type { ProjectWithTags } from './service/resources.js';

export type {
  DirectoryOperations,
  DomainChanges,
  DomainInfo,
  GroupChanges,
  GroupInfo,
  NewDomain,
  NewGroup,
  NewRole,
  RoleInfo,
} from './directory-operations.js';
export type { TrustOperations } from './trust-operations.js';
export type { ApplicationCredentialInfo, CredentialOperations, NewApplicationCredential } from './credential-operations.js';

export interface ProjectInfo {
  id: string;
  name: string;
  domainId: string;
  /** The parent project; null for a top-level project. */
  parentId: string | null;
  description: string | null;
  enabled: boolean;
  tags: string[];
}

export interface NewProject {
  name: string;
  /** Absent: the caller's domain. */
  domainId?: string;
  parentId?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
}

/** Attributes absent stay as they are. */
export interface ProjectChanges {
  name?: string;
  description?: string | null;
  enabled?: boolean;
  tags?: string[];
}

export interface ProjectFilter {
  name?: string;
  domainId?: string;
  parentId?: string;
  enabled?: boolean;
}

export interface UserInfo {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  description: string | null;
  email: string | null;
}

export interface NewUser {
  name: string;
  /** Absent: the caller's domain. */
  domainId?: string;
  /** Absent: the user cannot authenticate with a password. */
  password?: string;
  defaultProjectId?: string;
  description?: string;
  email?: string;
  enabled?: boolean;
}

/** Attributes absent stay as they are. A new password or `enabled: false` revokes the user's tokens. */
export interface UserChanges {
  name?: string;
  password?: string;
  defaultProjectId?: string | null;
  description?: string | null;
  email?: string | null;
  enabled?: boolean;
}

/** One role assignment: a role for a user or group on a project, a domain or the system. */
export interface RoleAssignment {
  roleId: string;
  actor: { kind: 'user' | 'group'; id: string };
  target: { kind: 'project' | 'domain'; id: string } | { kind: 'system' };
  /** Inherited by the target's projects (OS-INHERIT); default false. */
  inherited?: boolean;
}

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface EndpointInfo {
  /** The URL, with `$(project_id)s` already replaced by the caller's project. */
  url: string;
  interface: string;
  region: string | null;
  serviceType: string;
  serviceName: string;
}

export interface EndpointQuery {
  serviceType: string;
  /** Default `public`. */
  interface?: EndpointInterface;
  /** Absent: every region. */
  region?: string;
}

/**
 * With DirectoryOperations: roles, groups and domains (directory-operations.ts); TrustOperations: trusts for deferred work (trust-operations.ts);
 * CredentialOperations: password tokens and application credentials (credential-operations.ts).
 */
export interface IdentityOperations extends DirectoryOperations, TrustOperations, CredentialOperations {
  /** The caller a token stands for; Unauthorized (401) for a missing, invalid, expired or revoked token. Read-only. */
  authenticate(token: string): Promise<CallerContext>;

  /** Read-only; 404 when no domain has this id. */
  getDomain(caller: CallerContext, id: string): Promise<DomainInfo>;
  /** The domain with this id, else with this name; 404 when none. Read-only. */
  findDomain(caller: CallerContext, nameOrId: string): Promise<DomainInfo>;

  /** Read-only; 404 when no project has this id. */
  getProject(caller: CallerContext, id: string): Promise<ProjectInfo>;
  /** The projects matching every given condition, by name. Read-only. */
  listProjects(caller: CallerContext, filter?: ProjectFilter): Promise<ProjectInfo[]>;
  /** The project with this id, else the one with this name (in `domainId` when given); 404 when none, 409 when several. Read-only. */
  findProject(caller: CallerContext, nameOrId: string, domainId?: string): Promise<ProjectInfo>;
  /** A new project; 409 when its domain already has one of this name, so a repeat fails instead of making a second. */
  createProject(caller: CallerContext, project: NewProject): Promise<ProjectInfo>;
  /** Disabling a project revokes the tokens scoped to it. Idempotent. */
  updateProject(caller: CallerContext, id: string, changes: ProjectChanges): Promise<ProjectInfo>;
  /** Deletes a leaf project (403 while it has children) with its role assignments and limits; revokes its tokens. A second delete is a 404. */
  deleteProject(caller: CallerContext, id: string): Promise<void>;

  /** A new user; 409 when its domain already has one of this name. */
  createUser(caller: CallerContext, user: NewUser): Promise<UserInfo>;
  /** Read-only; 404 when no user has this id. */
  getUser(caller: CallerContext, id: string): Promise<UserInfo>;
  /** The user with this id, else the one with this name (in `domainId` when given); 404 when none, 409 when several. Read-only. */
  findUser(caller: CallerContext, nameOrId: string, domainId?: string): Promise<UserInfo>;
  /** Idempotent (but a password change also revokes the user's tokens each time). */
  updateUser(caller: CallerContext, id: string, changes: UserChanges): Promise<UserInfo>;
  /** Deletes the user with its assignments and credentials; revokes its tokens. A second delete is a 404. */
  deleteUser(caller: CallerContext, id: string): Promise<void>;
  /** The group with this id, else the one with this name (in `domainId` when given); 404 when none, 409 when several. Read only. */
  findGroup(caller: CallerContext, nameOrId: string, domainId?: string): Promise<GroupInfo>;

  /** The role with this id, else the one with this name (global, or of `domainId`); 404 when none, 409 when several. Read-only. */
  findRole(caller: CallerContext, nameOrId: string, domainId?: string): Promise<RoleInfo>;
  /** Grants the role; granting it again changes nothing. 404 when the role, actor or target does not exist. */
  grantRole(caller: CallerContext, assignment: RoleAssignment): Promise<void>;
  /** Revokes the role and the tokens that carried it; 404 when it was not granted. */
  revokeRole(caller: CallerContext, assignment: RoleAssignment): Promise<void>;
  /** Whether exactly this assignment exists (false too when its role, actor or target does not). Read-only. */
  hasRole(caller: CallerContext, assignment: RoleAssignment): Promise<boolean>;

  /** The catalog's enabled endpoints of a service type, as the caller's token would show them. Read-only; no policy (any token sees its catalog). */
  endpoints(caller: CallerContext, query: EndpointQuery): Promise<EndpointInfo[]>;

  /**
   * How many users, groups and regions there are, and the domains, as the
   * caller may list them (identity:list_users, list_groups, list_regions,
   * list_domains apply): the exporter's identity counts. Read-only.
   */
  directoryCensus(caller: CallerContext): Promise<DirectoryCensus>;
}

export interface DirectoryCensus {
  users: number;
  groups: number;
  regions: number;
  domains: DomainInfo[];
}

/** The public operations over the identity service layer (the one the REST API calls). */
export function identityOperations(service: IdentityServiceOps, db: IdentityDb): IdentityOperations {
  const { resources, users, roles, assignments } = service;
  return {
    ...directoryOperations(service),
    ...trustOperations(service, db),
    ...credentialOperations(service),
    authenticate: async (token) => service.tokens.toCallerContext(await service.tokens.validate(token)),

    getDomain: async (caller, id) => domainInfo(await resources.getDomain(caller, id)),
    findDomain: async (caller, nameOrId) =>
      domainInfo(
        await byIdOrName(
          () => resources.getDomain(caller, nameOrId),
          () => resources.listDomains(caller, { name: nameOrId }),
          'domain',
          nameOrId,
        ),
      ),

    getProject: async (caller, id) => projectInfo(await resources.getProject(caller, id)),
    listProjects: async (caller, filter = {}) => (await resources.listProjects(caller, filter)).map(projectInfo),
    findProject: async (caller, nameOrId, domainId) =>
      projectInfo(
        await byIdOrName(
          () => resources.getProject(caller, nameOrId),
          () => resources.listProjects(caller, named(nameOrId, domainId)),
          'project',
          nameOrId,
        ),
      ),
    createProject: async (caller, project) => projectInfo(await resources.createProject(caller, keystoneAttributes(project))),
    updateProject: async (caller, id, changes) => projectInfo(await resources.updateProject(caller, id, keystoneAttributes(changes))),
    deleteProject: (caller, id) => resources.deleteProject(caller, id),

    createUser: async (caller, user) => userInfo(await users.createUser(caller, keystoneAttributes(user))),
    getUser: async (caller, id) => userInfo(await users.getUser(caller, id)),
    findUser: async (caller, nameOrId, domainId) =>
      userInfo(
        await byIdOrName(
          () => users.getUser(caller, nameOrId),
          () => users.listUsers(caller, named(nameOrId, domainId)),
          'user',
          nameOrId,
        ),
      ),
    updateUser: async (caller, id, changes) => userInfo(await users.updateUser(caller, id, keystoneAttributes(changes))),
    deleteUser: (caller, id) => users.deleteUser(caller, id),
    findGroup: (caller, nameOrId, domainId) =>
      byIdOrName(
        async () => groupInfo(await users.getGroup(caller, nameOrId)),
        async () => (await users.listGroups(caller, named(nameOrId, domainId))).map(groupInfo),
        'group',
        nameOrId,
      ),

    findRole: async (caller, nameOrId, domainId) =>
      roleInfo(
        await byIdOrName(
          () => roles.getRole(caller, nameOrId),
          async () => (await roles.listRoles(caller, named(nameOrId, domainId))).filter((r) => (r.domain_id || undefined) === domainId),
          'role',
          nameOrId,
        ),
      ),
    grantRole: (caller, assignment) => assignments.grant(caller, grantOf(assignment)),
    revokeRole: (caller, assignment) => assignments.revoke(caller, grantOf(assignment)),
    hasRole: async (caller, assignment) => {
      try {
        await assignments.check(caller, grantOf(assignment));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },

    endpoints: async (caller, query) => {
      const wanted = query.interface ?? 'public';
      const catalog = await service.catalog.scopedCatalog(caller.project?.id ?? null);
      return catalog.filter((entry) => entry.type === query.serviceType).flatMap((entry) => endpointInfos(entry, wanted, query.region));
    },
    directoryCensus: async (caller) => {
      const [userList, groupList, regionList, domainList] = await Promise.all([
        users.listUsers(caller, {}),
        users.listGroups(caller, {}),
        service.catalog.listRegions(caller, {}),
        resources.listDomains(caller, {}),
      ]);
      return { users: userList.length, groups: groupList.length, regions: regionList.length, domains: domainList.map(domainInfo) };
    },
  };
}

/**
 * Heat's lookup (`client_plugin.get_*_id`): by id first, then by name. A
 * missing id is a 404 the name lookup may still answer; a refusal (403) is
 * the caller's answer as it is.
 */
async function byIdOrName<T>(byId: () => Promise<T>, byName: () => Promise<T[]>, kind: string, nameOrId: string): Promise<T> {
  try {
    return await byId();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const named = await byName();
  if (named.length > 1) throw identityErrors.ambiguousName(kind, nameOrId);
  const [found] = named;
  if (found === undefined) throw identityErrors.notFound(kind, nameOrId);
  return found;
}

/** A listing filter: this name, in this domain when one is given. */
function named(name: string, domainId: string | undefined): { name: string; domainId?: string } {
  return domainId === undefined ? { name } : { name, domainId };
}

/** Keystone's names for the typed attributes that differ. */
const KEYSTONE_NAMES: Readonly<Record<string, string>> = { domainId: 'domain_id', parentId: 'parent_id', defaultProjectId: 'default_project_id' };

/** The request body Keystone's layer takes: the attributes given (absent ones left out) under Keystone's names. */
function keystoneAttributes(attributes: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [KEYSTONE_NAMES[name] ?? name, value]),
  );
}

function isNotFound(error: unknown): boolean {
  return error instanceof NimbusError && error.status === 404;
}

function grantOf(assignment: RoleAssignment) {
  return {
    actor: assignment.actor.kind,
    actorId: assignment.actor.id,
    target: assignment.target.kind,
    targetId: assignment.target.kind === 'system' ? 'system' : assignment.target.id,
    roleId: assignment.roleId,
    inherited: assignment.inherited ?? false,
  };
}

function endpointInfos(entry: CatalogService, wanted: string, region: string | undefined): EndpointInfo[] {
  return entry.endpoints
    .filter((endpoint) => endpoint.interface === wanted && (region === undefined || endpoint.region_id === region))
    .map((endpoint) => ({ url: endpoint.url, interface: endpoint.interface, region: endpoint.region_id, serviceType: entry.type, serviceName: entry.name }));
}

function extraString(extra: string, key: string): string | null {
  const value = (JSON.parse(extra) as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function projectInfo(project: ProjectWithTags): ProjectInfo {
  return {
    id: project.id,
    name: project.name,
    domainId: project.domain_id,
    parentId: project.parent_id,
    description: project.description,
    enabled: toBool(project.enabled),
    tags: project.tags,
  };
}

function userInfo(user: User): UserInfo {
  return {
    id: user.id,
    name: user.name,
    domainId: user.domain_id,
    enabled: toBool(user.enabled),
    defaultProjectId: user.default_project_id,
    description: user.description,
    email: extraString(user.extra, 'email'),
  };
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    identity?: IdentityOperations;
  }
}
