/**
 * Network RBAC policies: share a network with one project or all
 * (`access_as_shared`), or let them use it as external
 * (`access_as_external`). A policy cannot go while the grantee's ports use it.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import { owningProject, readable, reserve, targetOf } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { NetworkOps } from './networks.js';
import type { NeutronObject } from './objects.js';

export interface RbacAttrs extends Record<string, unknown> {
  object_type: 'network';
  object_id: string;
  action: 'access_as_shared' | 'access_as_external';
  target_tenant: string;
}

export type RbacPolicy = Resource<RbacAttrs>;

export const RBAC_ATTRS: AttrMap = {
  object_type: { type: 'string', create: true },
  object_id: { type: 'string', create: true },
  action: { type: 'string', create: true },
  target_tenant: { type: 'string', create: true, update: true },
  target_project: { type: 'string', create: true, update: true },
};

const ACTIONS = ['access_as_shared', 'access_as_external'];

export class RbacOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(RBAC_ATTRS, body);
    if (input.object_type !== 'network') throw errors.invalidAttribute('object_type', `${String(input.object_type)} is not in ['network']`);
    if (!ACTIONS.includes(String(input.action))) throw errors.invalidAttribute('action', `${String(input.action)} is not in ${JSON.stringify(ACTIONS)}`);
    const target = (input.target_tenant ?? input.target_project) as string | undefined;
    if (typeof target !== 'string') throw errors.invalidAttribute('target_tenant', "'None' is not a valid string");
    const network = await this.networks.getVisible(auth, String(input.object_id));
    if (!this.deps.access.isAdmin(auth) && network.projectId !== auth.project?.id) throw notFound.network(network.id);
    const projectId = owningProject(this.deps, auth, input, 'create_rbac_policy');
    this.deps.access.authorize(auth, 'create_rbac_policy:target_tenant', { ...input, project_id: projectId, wildcard: target === '*' });
    const policy = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await store.listResources<RbacAttrs>(trx, 'rbac_policy', { parentId: network.id });
      if (existing.some((p) => p.attrs.action === input.action && p.attrs.target_tenant === target)) {
        throw errors.duplicateRbacPolicy(target, String(input.action), network.id);
      }
      await reserve(this.deps, trx, projectId, { rbac_policy: 1 });
      return store.insertResource<RbacAttrs>(trx, {
        id: uuid(),
        kind: 'rbac_policy',
        projectId,
        parentId: network.id,
        name: '',
        attrs: { object_type: 'network', object_id: network.id, action: input.action as RbacAttrs['action'], target_tenant: target },
      });
    });
    if (policy.attrs.action === 'access_as_external') await this.#syncExternal(network.id);
    return rbacObject(policy);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return rbacObject(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const all = await store.listResources<RbacAttrs>(this.deps.db, 'rbac_policy');
    const project = auth.project?.id;
    return all.filter((p) => this.#visible(auth, p, project)).map(rbacObject);
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const input = convertBody(RBAC_ATTRS, body);
    const policy = await this.#owned(auth, id, 'update_rbac_policy');
    const target = (input.target_tenant ?? input.target_project) as string | undefined;
    if (target === undefined) return rbacObject(policy);
    this.deps.access.authorize(auth, 'update_rbac_policy:target_tenant', targetOf(policy, { wildcard: target === '*' }));
    await this.#checkNotInUse(policy);
    return rbacObject(await store.saveResource(this.deps.db, { ...policy, attrs: { ...policy.attrs, target_tenant: target } }));
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    const policy = await this.#owned(auth, id, 'delete_rbac_policy');
    await this.#checkNotInUse(policy);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, policy.projectId, { rbac_policy: 1 });
    });
    if (policy.attrs.action === 'access_as_external') await this.#syncExternal(policy.attrs.object_id);
  }

  async getVisible(auth: CallerContext, id: string): Promise<RbacPolicy> {
    const policy = await store.getResource<RbacAttrs>(this.deps.db, 'rbac_policy', id);
    const project = auth.project?.id;
    if (!policy || !this.#visible(auth, policy, project)) throw notFound.rbac_policy(id);
    return policy;
  }

  /** Admins see every policy, others their project's, as Neutron's query and `get_rbac_policy` (the projects a policy names do not see it). */
  #visible(auth: CallerContext, policy: RbacPolicy, project: string | undefined): boolean {
    const inQuery = this.deps.access.isAdmin(auth) || (project !== undefined && policy.projectId === project);
    return inQuery && readable(this.deps, auth, 'rbac_policy', targetOf(policy));
  }

  async #owned(auth: CallerContext, id: string, action: string): Promise<RbacPolicy> {
    const policy = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, action, targetOf(policy));
    return policy;
  }

  async #checkNotInUse(policy: RbacPolicy): Promise<void> {
    if (policy.attrs.action !== 'access_as_shared') return;
    const network = await store.getResource(this.deps.db, 'network', policy.attrs.object_id);
    const ports = await store.listResources(this.deps.db, 'port', { parentId: policy.attrs.object_id });
    const target = policy.attrs.target_tenant;
    const others = await store.listResources<RbacAttrs>(this.deps.db, 'rbac_policy', { parentId: policy.attrs.object_id });
    const stillShared = (project: string) =>
      others.some((o) => o.id !== policy.id && o.attrs.action === 'access_as_shared' && (o.attrs.target_tenant === '*' || o.attrs.target_tenant === project));
    const dependent = ports.some(
      (p) => p.projectId !== '' && p.projectId !== network?.projectId && (target === '*' || p.projectId === target) && !stillShared(p.projectId),
    );
    if (dependent) throw errors.rbacInUse(policy.attrs.object_id);
  }

  /** `router:external` follows the access_as_external policies, as in Neutron. */
  async #syncExternal(networkId: string): Promise<void> {
    const network = await store.getResource(this.deps.db, 'network', networkId);
    if (!network) return;
    const external = (await store.listResources<RbacAttrs>(this.deps.db, 'rbac_policy', { parentId: networkId })).some(
      (p) => p.attrs.action === 'access_as_external',
    );
    if (Boolean(network.attrs['router:external']) !== external) {
      await store.saveResource(this.deps.db, { ...network, attrs: { ...network.attrs, 'router:external': external } });
    }
  }
}

function rbacObject(policy: RbacPolicy): NeutronObject {
  return {
    id: policy.id,
    project_id: policy.projectId,
    tenant_id: policy.projectId,
    object_type: policy.attrs.object_type,
    object_id: policy.attrs.object_id,
    action: policy.attrs.action,
    target_tenant: policy.attrs.target_tenant,
    target_project: policy.attrs.target_tenant,
  };
}
