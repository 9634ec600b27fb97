/**
 * Projects acting as domains (`is_domain: true`). Keystone keeps every
 * domain as such a project; Nimbus keeps domains in their own table and
 * shows each one through /v3/projects as Keystone does: created there it is
 * a domain with the same id, `is_domain=true` lists the domains, and show,
 * update and delete of its id act on the domain (project policy first).
 */
import type { CallerContext } from '../../core/context.js';

import * as store from '../store/index.js';
import type { Domain } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import type { Attributes } from './extras.js';
import type { ProjectWithTags, ResourceOps } from './resources.js';
import { identityErrors } from '../errors.js';

/** A domain seen as a project: no domain and no parent of its own. */
export interface DomainProject extends ProjectWithTags {
  is_domain: true;
}

export function asProject(domain: Domain): DomainProject {
  return { ...domain, domain_id: domain.id, parent_id: null, tags: [], is_domain: true };
}

export class DomainProjectOps {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly resources: ResourceOps,
  ) {}

  /** Whether `id` names a domain, so a /v3/projects call on it is one on a project acting as a domain. */
  async isDomain(id: string): Promise<boolean> {
    return (await store.getDomain(this.deps.db, id)) !== undefined;
  }

  /** A project acting as a domain is a root: it may name neither a parent nor a domain. */
  async create(auth: CallerContext, body: Attributes): Promise<DomainProject> {
    this.deps.authz.authorize(auth, 'create_project', { project: { domain_id: null } });
    if (body.parent_id || body.domain_id) throw identityErrors.domainProjectNotRoot();
    const { name, description, enabled } = body;
    const domain = await this.resources.createDomain(auth, {
      name,
      ...(description !== undefined && { description }),
      ...(enabled !== undefined && { enabled }),
    });
    return asProject(domain);
  }

  async get(auth: CallerContext, id: string): Promise<DomainProject> {
    this.deps.authz.authorize(auth, 'get_project', { project: { id, domain_id: null } });
    return asProject(await store.getDomainOrThrow(this.deps.db, id));
  }

  async list(auth: CallerContext, filter: { name?: string; enabled?: boolean }): Promise<DomainProject[]> {
    this.deps.authz.authorize(auth, 'list_projects', { domain_id: null });
    return (await store.listDomains(this.deps.db, filter)).map(asProject);
  }

  /** Name, description and enabled change; it cannot stop acting as a domain nor move. */
  async update(auth: CallerContext, id: string, patch: Attributes): Promise<DomainProject> {
    this.deps.authz.authorize(auth, 'update_project', { project: { id, domain_id: null } });
    if (patch.is_domain !== undefined && patch.is_domain !== true) throw identityErrors.isDomainImmutable();
    if (patch.parent_id) throw identityErrors.parentIdImmutable();
    if (patch.domain_id) throw identityErrors.projectDomainImmutable();
    const { name, description, enabled } = patch;
    const changes = { ...(name !== undefined && { name }), ...(description !== undefined && { description }), ...(enabled !== undefined && { enabled }) };
    return asProject(await this.resources.updateDomain(auth, id, changes));
  }

  /** As a domain: only once disabled (403), and with everything in it. */
  async delete(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_project', { project: { id, domain_id: null } });
    await this.resources.deleteDomain(auth, id);
  }
}
