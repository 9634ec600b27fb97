/** The Keystone v3 resources the Identity panels manage, and the calls that change them. */
import { api } from './client';
import type { Session } from './session';

interface Named {
  id: string;
  name: string;
  description?: string | null;
}

export interface Project extends Named {
  domain_id: string;
  enabled: boolean;
}

export interface User extends Named {
  domain_id: string;
  enabled: boolean;
  email?: string | null;
  default_project_id?: string | null;
}

export interface Group extends Named {
  domain_id: string;
}

export type Role = Named;

export interface Domain extends Named {
  enabled: boolean;
}

/** One row of `GET /v3/role_assignments?include_names`: the actor is a user or a group, the role's name is included. */
export interface RoleAssignment {
  role: { id: string; name?: string };
  user?: { id: string; name?: string; domain?: { name: string } };
  group?: { id: string; name?: string };
  scope: { project?: { id: string }; domain?: { id: string } };
}

/** The collection each Identity panel manages, with the key Keystone wraps a single one of them in. */
export const COLLECTIONS = {
  projects: 'project',
  users: 'user',
  groups: 'group',
  roles: 'role',
  domains: 'domain',
} as const;

export type Collection = keyof typeof COLLECTIONS;

/** The fields a create or an update sends; Keystone ignores none of them, so only what the form filled is given. */
export type Fields = Record<string, string | boolean | null>;

export type Change = { create: Fields } | { update: string; fields: Fields } | { remove: string };

/** Create, update (PATCH) or delete one resource of `collection`, answering Keystone's body. */
export function changeResource<T>(session: Session, collection: Collection, change: Change): Promise<Record<string, T>> {
  const key = COLLECTIONS[collection];
  if ('create' in change) return api(session, 'identity', `/${collection}`, { method: 'POST', body: { [key]: change.create } });
  if ('update' in change) return api(session, 'identity', `/${collection}/${change.update}`, { method: 'PATCH', body: { [key]: change.fields } });
  return api(session, 'identity', `/${collection}/${change.remove}`, { method: 'DELETE' });
}

/** Grants or revokes a role of a user on a project (Keystone's `PUT`/`DELETE /v3/projects/{p}/users/{u}/roles/{r}`). */
export function setProjectRole(session: Session, grant: { projectId: string; userId: string; roleId: string; granted: boolean }): Promise<unknown> {
  return api(session, 'identity', `/projects/${grant.projectId}/users/${grant.userId}/roles/${grant.roleId}`, {
    method: grant.granted ? 'PUT' : 'DELETE',
  });
}

/** Adds or removes a user from a group. */
export function setGroupMember(session: Session, member: { groupId: string; userId: string; member: boolean }): Promise<unknown> {
  return api(session, 'identity', `/groups/${member.groupId}/users/${member.userId}`, { method: member.member ? 'PUT' : 'DELETE' });
}

/** The name Keystone gave a resource by id in a list, or the id while the list loads (or when the caller may not list it). */
export function nameIn(list: Named[] | undefined, id: string | null | undefined): string {
  if (!id) return '';
  return list?.find((item) => item.id === id)?.name ?? id;
}

/** A form's text fields, trimmed; an empty optional field is left out so Keystone keeps its default. */
export function filledFields(form: FormData, names: string[]): Fields {
  const fields: Fields = {};
  for (const name of names) {
    const value = form.get(name);
    if (typeof value === 'string' && value.trim() !== '') fields[name] = value.trim();
  }
  return fields;
}
