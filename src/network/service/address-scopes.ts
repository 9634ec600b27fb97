/**
 * Address scopes: a name for an address space of one IP version. Subnet
 * pools join a scope; within one scope no two pools may share an address
 * (checked by the pools). A scope is visible to its project, to admins and,
 * when shared, to everyone; it cannot go while a pool is in it, and a shared
 * scope cannot be unshared. Like Neutron's, it has no standard attributes
 * (no description, tags, timestamps or revision).
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { owningProject, ownedOrShared, requireOwner } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { IpVersion } from '../../core/net/ip.js';
import type { NeutronObject } from './objects.js';

export interface AddressScopeAttrs extends Record<string, unknown> {
  shared: boolean;
  ip_version: IpVersion;
}

export type AddressScope = Resource<AddressScopeAttrs>;

export const SCOPE_ATTRS: AttrMap = {
  name: { type: 'string', create: true, update: true, maxLength: 255 },
  shared: { type: 'boolean', create: true, update: true },
  ip_version: { type: 'integer', create: true },
  // Not a standard-attribute resource: a description is refused (400).
  description: { type: 'string' },
};

function scopeObject(scope: AddressScope): NeutronObject {
  return {
    id: scope.id,
    name: scope.name,
    project_id: scope.projectId,
    tenant_id: scope.projectId,
    shared: scope.attrs.shared,
    ip_version: scope.attrs.ip_version,
  };
}

export class AddressScopeOps {
  constructor(private readonly deps: NetworkDeps) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(SCOPE_ATTRS, body);
    if (input.ip_version !== 4 && input.ip_version !== 6) {
      throw errors.invalidAttribute('ip_version', `${String(input.ip_version ?? 'None')} is not in [4, 6]`);
    }
    const projectId = owningProject(this.deps, auth, input, 'create_address_scope');
    if (input.shared === true) this.deps.access.authorize(auth, 'create_address_scope:shared', { project_id: projectId });
    const scope = await store.insertResource<AddressScopeAttrs>(this.deps.db, {
      id: uuid(),
      kind: 'address_scope',
      projectId,
      name: (input.name as string | undefined) ?? '',
      attrs: { shared: (input.shared as boolean | undefined) ?? false, ip_version: input.ip_version },
    });
    return scopeObject(scope);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return scopeObject(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const all = await store.listResources<AddressScopeAttrs>(this.deps.db, 'address_scope');
    return all.filter((s) => this.#visible(auth, s)).map(scopeObject);
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const input = convertBody(SCOPE_ATTRS, body);
    const scope = await this.#owned(auth, id, 'update_address_scope');
    if (input.shared !== undefined) this.deps.access.authorize(auth, 'update_address_scope:shared', { project_id: scope.projectId });
    if (scope.attrs.shared && input.shared === false) throw errors.addressScopeUpdate(id, "Shared address scope can't be unshared");
    const attrs = { ...scope.attrs, ...(input.shared !== undefined && { shared: input.shared as boolean }) };
    const updated = await store.saveResource(this.deps.db, { ...scope, name: (input.name as string | undefined) ?? scope.name, attrs });
    return scopeObject(updated);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    await this.#owned(auth, id, 'delete_address_scope');
    await this.deps.db.transaction().execute(async (trx) => {
      const pools = await store.listResources(trx, 'subnetpool');
      if (pools.some((p) => p.attrs.address_scope_id === id)) throw errors.addressScopeInUse(id);
      await store.deleteResource(trx, id);
    });
  }

  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<AddressScope> {
    const scope = await store.getResource<AddressScopeAttrs>(db, 'address_scope', id);
    if (!scope || !this.#visible(auth, scope)) throw notFound.address_scope(id);
    return scope;
  }

  /** Scopes by id, whoever owns them (networks show the scope of their subnets' pools). */
  async byIds(ids: string[]): Promise<Map<string, AddressScope>> {
    const scopes = await store.listResources<AddressScopeAttrs>(this.deps.db, 'address_scope', { ids });
    return new Map(scopes.map((s) => [s.id, s]));
  }

  #visible(auth: CallerContext, scope: AddressScope): boolean {
    return ownedOrShared(this.deps, auth, 'address_scope', scope);
  }

  async #owned(auth: CallerContext, id: string, action: string): Promise<AddressScope> {
    const scope = await this.getVisible(auth, id);
    requireOwner(this.deps, auth, scope, action);
    return scope;
  }
}
