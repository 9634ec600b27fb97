/**
 * The roles, groups and domains half of identity/operations.ts (Heat's
 * OS::Keystone::Role, ::Group and ::Domain). Each call takes the caller
 * first and goes through the same service layer as /identity/v3, so
 * Keystone's policy holds (admin-only by default: 403 otherwise) and its
 * refusals are its own: a duplicate name is 409, deleting an enabled domain
 * is 403 `Cannot delete a domain that is enabled, please disable it first.`
 */
import type { CallerContext } from '../core/context.js';
import { toBool } from '../core/db/values.js';
import type { IdentityServiceOps } from './service/index.js';
import type { Domain, Group, Role } from './store/index.js';

export interface DomainInfo {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
}

export interface RoleInfo {
  id: string;
  name: string;
  /** Null for a global role. */
  domainId: string | null;
}

export interface GroupInfo {
  id: string;
  name: string;
  domainId: string;
  description: string | null;
}

export interface NewRole {
  name: string;
  /** A domain-specific role; global when absent. */
  domainId?: string;
}

export interface NewGroup {
  name: string;
  domainId: string;
  description?: string;
}

/** Absent fields stay as they are; Keystone refuses moving a group to another domain (403). */
export interface GroupChanges {
  name?: string;
  description?: string;
  domainId?: string;
}

export interface NewDomain {
  name: string;
  description?: string;
  enabled?: boolean;
}

export type DomainChanges = Partial<NewDomain>;

export interface DirectoryOperations {
  getRole(caller: CallerContext, id: string): Promise<RoleInfo>;
  /** 409 when the name is taken in its domain (or globally). Not idempotent. */
  createRole(caller: CallerContext, role: NewRole): Promise<RoleInfo>;
  /** Renames the role. */
  updateRole(caller: CallerContext, id: string, name: string): Promise<RoleInfo>;
  /** Its grants go with it; 404 when gone. */
  deleteRole(caller: CallerContext, id: string): Promise<void>;
  getGroup(caller: CallerContext, id: string): Promise<GroupInfo>;
  /** The groups with this name (in this domain when given). Read only. */
  listGroups(caller: CallerContext, filter: { name?: string; domainId?: string }): Promise<GroupInfo[]>;
  /** 409 when the name is taken in the domain. Not idempotent. */
  createGroup(caller: CallerContext, group: NewGroup): Promise<GroupInfo>;
  updateGroup(caller: CallerContext, id: string, changes: GroupChanges): Promise<GroupInfo>;
  /** Its memberships and grants go with it; 404 when gone. */
  deleteGroup(caller: CallerContext, id: string): Promise<void>;
  /** Idempotent. */
  addUserToGroup(caller: CallerContext, groupId: string, userId: string): Promise<void>;
  /** 404 when the user is not in the group. */
  removeUserFromGroup(caller: CallerContext, groupId: string, userId: string): Promise<void>;
  /** 409 when the name is taken. Not idempotent. */
  createDomain(caller: CallerContext, domain: NewDomain): Promise<DomainInfo>;
  /** Disabling a domain ends the tokens scoped to it. */
  updateDomain(caller: CallerContext, id: string, changes: DomainChanges): Promise<DomainInfo>;
  /** Deletes a disabled domain with its projects, users and groups; 403 while it is enabled, 404 when gone. */
  deleteDomain(caller: CallerContext, id: string): Promise<void>;
}

/** The request body Keystone's layer takes: only the fields given. */
function given(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function domainInfo(domain: Domain): DomainInfo {
  return { id: domain.id, name: domain.name, description: domain.description, enabled: toBool(domain.enabled) };
}

export function roleInfo(role: Role): RoleInfo {
  return { id: role.id, name: role.name, domainId: role.domain_id === '' ? null : role.domain_id };
}

export function groupInfo(group: Group): GroupInfo {
  return { id: group.id, name: group.name, domainId: group.domain_id, description: group.description };
}

export function directoryOperations(service: IdentityServiceOps): DirectoryOperations {
  const { resources, users, roles } = service;
  return {
    getRole: async (caller, id) => roleInfo(await roles.getRole(caller, id)),
    createRole: async (caller, role) => roleInfo(await roles.createRole(caller, given({ name: role.name, domain_id: role.domainId }))),
    updateRole: async (caller, id, name) => roleInfo(await roles.updateRole(caller, id, { name })),
    deleteRole: (caller, id) => roles.deleteRole(caller, id),

    getGroup: async (caller, id) => groupInfo(await users.getGroup(caller, id)),
    listGroups: async (caller, filter) => (await users.listGroups(caller, filter)).map(groupInfo),
    createGroup: async (caller, group) =>
      groupInfo(await users.createGroup(caller, given({ name: group.name, domain_id: group.domainId, description: group.description }))),
    updateGroup: async (caller, id, changes) =>
      groupInfo(await users.updateGroup(caller, id, given({ name: changes.name, description: changes.description, domain_id: changes.domainId }))),
    deleteGroup: (caller, id) => users.deleteGroup(caller, id),
    addUserToGroup: (caller, groupId, userId) => users.addUserToGroup(caller, groupId, userId),
    removeUserFromGroup: (caller, groupId, userId) => users.removeUserFromGroup(caller, groupId, userId),

    createDomain: async (caller, domain) => domainInfo(await resources.createDomain(caller, given({ ...domain }))),
    updateDomain: async (caller, id, changes) => domainInfo(await resources.updateDomain(caller, id, given({ ...changes }))),
    deleteDomain: (caller, id) => resources.deleteDomain(caller, id),
  };
}
