/**
 * Entity renderings exactly as Keystone returns them: known columns, extra
 * attributes merged at the top level, and a `links.self`.
 */
import { toBool } from '../../core/db/values.js';
import { isoMicros } from '../../core/time.js';
import type { ProjectWithTags } from '../service/resources.js';
import type { UserWithPassword } from '../service/users.js';
import type { Domain, Group, Role } from '../store/index.js';
import type { IdentityApi } from './context.js';

type Json = Record<string, unknown>;

function extra(text: string): Json {
  return JSON.parse(text) as Json;
}

export function listLinks(api: IdentityApi, path: string): Json {
  return { self: api.url(path), previous: null, next: null };
}

export function domainView(api: IdentityApi, d: Domain): Json {
  return {
    ...extra(d.extra),
    id: d.id,
    name: d.name,
    description: d.description ?? '',
    enabled: toBool(d.enabled),
    tags: [],
    options: {},
    links: { self: api.url(`/domains/${d.id}`) },
  };
}

export function projectView(api: IdentityApi, p: ProjectWithTags): Json {
  return {
    ...extra(p.extra),
    id: p.id,
    name: p.name,
    // A project acting as a domain has neither domain nor parent, as in Keystone.
    domain_id: p.is_domain ? null : p.domain_id,
    description: p.description ?? '',
    enabled: toBool(p.enabled),
    parent_id: p.is_domain ? null : (p.parent_id ?? p.domain_id),
    is_domain: p.is_domain === true,
    tags: p.tags,
    options: {},
    links: { self: api.url(`/projects/${p.id}`) },
  };
}

export function userView(api: IdentityApi, u: UserWithPassword): Json {
  const view: Json = {
    ...extra(u.extra),
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: toBool(u.enabled),
    password_expires_at: u.password_expires_at ? isoMicros(u.password_expires_at) : null,
    options: extra(u.options),
    links: { self: api.url(`/users/${u.id}`) },
  };
  if (u.default_project_id) view.default_project_id = u.default_project_id;
  if (u.description !== null) view.description = u.description;
  return view;
}

export function groupView(api: IdentityApi, g: Group): Json {
  return {
    ...extra(g.extra),
    id: g.id,
    name: g.name,
    domain_id: g.domain_id,
    description: g.description ?? '',
    links: { self: api.url(`/groups/${g.id}`) },
  };
}

export function roleView(api: IdentityApi, r: Role): Json {
  return {
    ...extra(r.extra),
    id: r.id,
    name: r.name,
    domain_id: r.domain_id === '' ? null : r.domain_id,
    description: r.description,
    options: extra(r.options),
    links: { self: api.url(`/roles/${r.id}`) },
  };
}

/** `{ "id", "name", "links" }` as role references inside implied-role documents. */
export function roleRef(api: IdentityApi, r: Role): Json {
  return { id: r.id, name: r.name, links: { self: api.url(`/roles/${r.id}`) } };
}
