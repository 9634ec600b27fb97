/**
 * What a metadata namespace holds: objects, properties, tags (one code path,
 * the kinds differ only in what they keep beyond a name) and resource-type
 * associations. Reads need the namespace visible; writes are `metadef_admin`'s,
 * and nothing is deleted from a protected namespace.
 */
import type { JsonObject } from '../../core/json.js';
import { nowIso } from '../../core/time.js';
import { metadefErrors, type MetadefChildKind } from '../metadef-errors.js';
import * as store from '../store/index.js';
import type { MetadefAssociation, MetadefChild, MetadefNamespace, MetadefResourceType } from '../store/index.js';
import { enforce } from './authorize.js';
import type { ImageContext } from './context.js';
import type { ImageDeps } from './deps.js';
import { namespaceTarget, type MetadefNamespaceOps } from './metadef-namespaces.js';
import type { AssociationInput } from './metadef-types.js';

/** Glance's policy names of each kind's actions. */
const ACTIONS: Record<MetadefChildKind, { list: string; get: string; add: string; modify: string; remove: string; removeAll: string }> = {
  object: {
    list: 'get_metadef_objects',
    get: 'get_metadef_object',
    add: 'add_metadef_object',
    modify: 'modify_metadef_object',
    remove: 'delete_metadef_object',
    removeAll: 'delete_metadef_namespace',
  },
  property: {
    list: 'get_metadef_properties',
    get: 'get_metadef_property',
    add: 'add_metadef_property',
    modify: 'modify_metadef_property',
    remove: 'remove_metadef_property',
    removeAll: 'delete_metadef_namespace',
  },
  tag: {
    list: 'get_metadef_tags',
    get: 'get_metadef_tag',
    add: 'add_metadef_tag',
    modify: 'modify_metadef_tag',
    remove: 'delete_metadef_tag',
    removeAll: 'delete_metadef_tags',
  },
};

export class MetadefContentOps {
  constructor(
    private readonly deps: ImageDeps,
    private readonly namespaces: MetadefNamespaceOps,
  ) {}

  async list(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string): Promise<MetadefChild[]> {
    const namespace = await this.#namespace(ctx, namespaceName, ACTIONS[kind].list);
    return store.listChildren(this.deps.db, kind, namespace.id);
  }

  async get(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string, name: string): Promise<MetadefChild> {
    const namespace = await this.#namespace(ctx, namespaceName, ACTIONS[kind].get);
    return this.#child(kind, namespace, name);
  }

  async create(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string, name: string, body: JsonObject): Promise<MetadefChild> {
    const namespace = await this.#namespace(ctx, namespaceName, ACTIONS[kind].add);
    const now = nowIso();
    const child = { name, body, created_at: now, updated_at: now };
    await store.insertChildren(this.deps.db, kind, namespace, [child]);
    return child;
  }

  /**
   * Tags by the batch (`POST .../tags`): they replace the namespace's tags,
   * or join them when `append` (Glance's `X-Openstack-Append`). A name twice
   * in the batch, or already there when appending, is a 409 and nothing changes.
   */
  async createTags(ctx: ImageContext, namespaceName: string, names: string[], append: boolean): Promise<MetadefChild[]> {
    const namespace = await this.#namespace(ctx, namespaceName, 'add_metadef_tags');
    const now = nowIso();
    const tags = names.map((name) => ({ name, body: {}, created_at: now, updated_at: now }));
    await this.deps.db.transaction().execute(async (trx) => {
      if (!append) await store.deleteChildren(trx, 'tag', namespace.id);
      await store.insertChildren(trx, 'tag', namespace, tags);
    });
    return tags;
  }

  async update(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string, name: string, newName: string, body: JsonObject): Promise<MetadefChild> {
    const namespace = await this.#namespace(ctx, namespaceName, ACTIONS[kind].modify);
    const current = await this.#child(kind, namespace, name);
    const updated = { name: newName, body, created_at: current.created_at, updated_at: nowIso() };
    await store.replaceChild(this.deps.db, kind, namespace, current.name, updated);
    return updated;
  }

  async delete(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string, name: string): Promise<void> {
    const namespace = await this.#namespace(ctx, namespaceName, ACTIONS[kind].remove);
    const child = await this.#child(kind, namespace, name);
    if (namespace.protected) throw metadefErrors.protectedChild(kind, child.name);
    await store.deleteChildren(this.deps.db, kind, namespace.id, child.name);
  }

  /** Empties the namespace of one kind; Glance treats it as deleting part of the namespace, refused when protected. */
  async deleteAll(ctx: ImageContext, kind: MetadefChildKind, namespaceName: string): Promise<void> {
    const namespace = await this.#namespace(ctx, namespaceName, 'delete_metadef_namespace');
    enforce(this.deps, ctx, ACTIONS[kind].removeAll, namespaceTarget(namespace));
    if (namespace.protected) throw metadefErrors.protectedNamespace(namespace.namespace);
    await store.deleteChildren(this.deps.db, kind, namespace.id);
  }

  async resourceTypes(ctx: ImageContext): Promise<MetadefResourceType[]> {
    enforce(this.deps, ctx, 'list_metadef_resource_types', { project_id: ctx.projectId });
    return store.listResourceTypes(this.deps.db);
  }

  async associations(ctx: ImageContext, namespaceName: string): Promise<MetadefAssociation[]> {
    const namespace = await this.#namespace(ctx, namespaceName, 'get_metadef_resource_type');
    return store.listAssociations(this.deps.db, namespace.id);
  }

  /** Associates a resource type, creating it (unprotected) when Glance does not know it yet. */
  async associate(ctx: ImageContext, namespaceName: string, input: AssociationInput): Promise<MetadefAssociation> {
    const namespace = await this.#namespace(ctx, namespaceName, 'add_metadef_resource_type_association');
    const now = nowIso();
    const association: MetadefAssociation = { prefix: null, properties_target: null, ...input, created_at: now, updated_at: now };
    await this.deps.db.transaction().execute(async (trx) => {
      await store.ensureResourceType(trx, input.name, false, now);
      await store.insertAssociation(trx, namespace, association);
    });
    return association;
  }

  async dissociate(ctx: ImageContext, namespaceName: string, resourceType: string): Promise<void> {
    const namespace = await this.#namespace(ctx, namespaceName, 'remove_metadef_resource_type_association');
    const current = (await store.listAssociations(this.deps.db, namespace.id)).find((a) => a.name === resourceType);
    if (!current) throw metadefErrors.associationNotFound(resourceType, namespace.namespace);
    if (namespace.protected) throw metadefErrors.protectedAssociation(resourceType);
    await store.deleteAssociation(this.deps.db, namespace.id, resourceType);
  }

  /** The visible namespace with `action` allowed on it. */
  async #namespace(ctx: ImageContext, name: string, action: string): Promise<MetadefNamespace> {
    return this.namespaces.findForChange(ctx, name, action);
  }

  async #child(kind: MetadefChildKind, namespace: MetadefNamespace, name: string): Promise<MetadefChild> {
    const child = await store.getChild(this.deps.db, kind, namespace.id, name);
    if (!child) throw metadefErrors.childNotFound(kind, name, namespace.namespace);
    return child;
  }
}
