/** Resolves names and ids in auth requests (users, domains, projects) the way Keystone does. */
import { toBool } from '../../core/db/values.js';
import {
  findDomainByName,
  findProjectByName,
  findUserByName,
  getDomain,
  getProject,
  getUser,
  type Domain,
  type IdentityDb,
  type Project,
  type User,
} from '../store/index.js';
import { identityErrors } from '../errors.js';

export interface DomainRef {
  id?: string;
  name?: string;
}

export interface UserRef {
  id?: string;
  name?: string;
  domain?: DomainRef;
}

export interface ProjectRef {
  id?: string;
  name?: string;
  domain?: DomainRef;
}

export async function resolveDomain(db: IdentityDb, ref: DomainRef): Promise<Domain | undefined> {
  if (ref.id !== undefined) return getDomain(db, ref.id);
  if (ref.name !== undefined) return findDomainByName(db, ref.name);
  throw identityErrors.expectingToFind('id or name', 'domain');
}

/** The user an auth method names; any miss is a 401 so names can't be probed. */
export async function resolveAuthUser(db: IdentityDb, ref: UserRef): Promise<{ user: User; domain: Domain }> {
  let user: User | undefined;
  if (ref.id !== undefined) {
    user = await getUser(db, ref.id);
  } else if (ref.name !== undefined) {
    if (!ref.domain) throw identityErrors.expectingToFind('domain', 'user');
    const domain = await resolveDomain(db, ref.domain);
    user = domain ? await findUserByName(db, domain.id, ref.name) : undefined;
  } else {
    throw identityErrors.expectingToFind('id or name', 'user');
  }
  if (!user) throw identityErrors.authRequired();
  const domain = await getDomain(db, user.domain_id);
  if (!domain || !toBool(domain.enabled)) throw identityErrors.authRequired();
  return { user, domain };
}

/** The project a scope names; missing or disabled (itself or its domain) is a 401. */
export async function resolveScopeProject(db: IdentityDb, ref: ProjectRef): Promise<{ project: Project; domain: Domain }> {
  let project: Project | undefined;
  if (ref.id !== undefined) {
    project = await getProject(db, ref.id);
  } else if (ref.name !== undefined) {
    if (!ref.domain) throw identityErrors.expectingToFind('domain', 'project');
    const domain = await resolveDomain(db, ref.domain);
    project = domain ? await findProjectByName(db, domain.id, ref.name) : undefined;
  } else {
    // Keystone looks the absent id up, finds nothing and answers so.
    throw identityErrors.scopeNotFound('project', 'None');
  }
  if (!project) throw identityErrors.scopeNotFound('project', String(ref.id ?? ref.name));
  const domain = await getDomain(db, project.domain_id);
  if (!toBool(project.enabled) || !domain || !toBool(domain.enabled)) {
    throw identityErrors.projectDisabled(project.id);
  }
  return { project, domain };
}

export async function resolveScopeDomain(db: IdentityDb, ref: DomainRef): Promise<Domain> {
  const domain = await resolveDomain(db, ref);
  if (!domain) throw identityErrors.scopeNotFound('domain', String(ref.id ?? ref.name));
  if (!toBool(domain.enabled)) throw identityErrors.domainDisabled(domain.id);
  return domain;
}

/** For lookups outside auth, where a miss is a 404. */
export async function requireDomain(db: IdentityDb, ref: DomainRef): Promise<Domain> {
  const domain = await resolveDomain(db, ref);
  if (!domain) throw identityErrors.notFound('domain', String(ref.id ?? ref.name));
  return domain;
}
