/**
 * Metadata definition namespaces (Glance's metadefs catalog): admins write
 * them (`metadef_admin`), readers see public ones, their own project's and
 * those without owner. A namespace the caller may not see is a 404, as in
 * Glance; a protected one cannot be deleted nor emptied.
 */
import { uuid } from '../../core/ids.js';
import type { PolicyTarget } from '../../core/policy/index.js';
import { nowIso } from '../../core/time.js';
import { metadefErrors } from '../metadef-errors.js';
import * as store from '../store/index.js';
import type { ImageDb, MetadefChild, MetadefNamespace } from '../store/index.js';
import { allowed, enforce } from './authorize.js';
import type { ImageContext } from './context.js';
import type { ImageDeps } from './deps.js';
import type { NamespaceDetail, NamespaceInput, NamespaceListRequest, NamespacePage, NewNamespace } from './metadef-types.js';

export function namespaceTarget(namespace: MetadefNamespace): PolicyTarget {
  return { project_id: namespace.owner, owner: namespace.owner, visibility: namespace.visibility, namespace: namespace.namespace };
}

function isVisible(ctx: ImageContext, namespace: MetadefNamespace): boolean {
  return ctx.isAdmin || namespace.owner === null || namespace.visibility === 'public' || namespace.owner === ctx.projectId;
}

/** The content of a new namespace as stored children. */
function childrenOf(input: NewNamespace, now: string): Record<'property' | 'object' | 'tag', MetadefChild[]> {
  const stamp = { created_at: now, updated_at: now };
  return {
    property: Object.entries(input.properties ?? {}).map(([name, body]) => ({ name, body, ...stamp })),
    object: (input.objects ?? []).map(({ name, ...body }) => ({ name, body: { ...body }, ...stamp })),
    tag: (input.tags ?? []).map(({ name }) => ({ name, body: {}, ...stamp })),
  };
}

export class MetadefNamespaceOps {
  constructor(private readonly deps: ImageDeps) {}

  /** The namespace if the caller may see it (visibility and `get_metadef_namespace`); 404 otherwise. */
  async find(ctx: ImageContext, name: string): Promise<MetadefNamespace> {
    const namespace = await store.getNamespace(this.deps.db, name);
    if (!namespace || !isVisible(ctx, namespace) || !allowed(this.deps, ctx, 'get_metadef_namespace', namespaceTarget(namespace))) {
      throw metadefErrors.namespaceNotFound(name);
    }
    return namespace;
  }

  /** The namespace the caller is about to change: visible, and `action` allowed on it (403 otherwise). */
  async findForChange(ctx: ImageContext, name: string, action: string): Promise<MetadefNamespace> {
    const namespace = await this.find(ctx, name);
    enforce(this.deps, ctx, action, namespaceTarget(namespace));
    return namespace;
  }

  async list(ctx: ImageContext, request: NamespaceListRequest): Promise<NamespacePage> {
    enforce(this.deps, ctx, 'get_metadef_namespaces', { project_id: ctx.projectId });
    enforce(this.deps, ctx, 'list_metadef_resource_types', { project_id: ctx.projectId });
    const wanted = request.resourceTypes;
    const all = (await store.listNamespaces(this.deps.db)).filter(
      (ns) =>
        isVisible(ctx, ns) &&
        (request.visibility === undefined || ns.visibility === request.visibility) &&
        (wanted === undefined || ns.resourceTypes.some((type) => wanted.includes(type))) &&
        allowed(this.deps, ctx, 'get_metadef_namespace', namespaceTarget(ns)),
    );
    const sign = request.sortDir === 'asc' ? 1 : -1;
    const value = (ns: MetadefNamespace) => String(ns[request.sortKey] ?? '');
    all.sort((a, b) => sign * (value(a).localeCompare(value(b)) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)));
    let start = 0;
    if (request.marker !== undefined) {
      const marker = await this.find(ctx, request.marker);
      start = all.findIndex((ns) => ns.id === marker.id) + 1;
    }
    const page = all.slice(start, start + request.limit);
    const items = await Promise.all(page.map(async (namespace) => ({ namespace, associations: await store.listAssociations(this.deps.db, namespace.id) })));
    const last = page[page.length - 1];
    return { items, next: last !== undefined && page.length === request.limit ? last.namespace : null };
  }

  async create(ctx: ImageContext, input: NewNamespace): Promise<NamespaceDetail> {
    const target = { project_id: ctx.projectId };
    enforce(this.deps, ctx, 'add_metadef_namespace', target);
    if (input.resource_type_associations?.length) enforce(this.deps, ctx, 'add_metadef_resource_type_association', target);
    if (input.objects?.length) enforce(this.deps, ctx, 'add_metadef_object', target);
    if (input.properties && Object.keys(input.properties).length > 0) enforce(this.deps, ctx, 'add_metadef_property', target);
    if (input.tags?.length) enforce(this.deps, ctx, 'add_metadef_tag', target);
    return this.deps.db.transaction().execute((trx) => createNamespace(trx, input, input.owner ?? ctx.projectId, false));
  }

  async show(ctx: ImageContext, name: string): Promise<NamespaceDetail> {
    const namespace = await this.find(ctx, name);
    const target = namespaceTarget(namespace);
    for (const action of ['list_metadef_resource_types', 'get_metadef_objects', 'get_metadef_properties', 'get_metadef_tags']) {
      enforce(this.deps, ctx, action, target);
    }
    const { db } = this.deps;
    return {
      namespace,
      associations: await store.listAssociations(db, namespace.id),
      properties: await store.listChildren(db, 'property', namespace.id),
      objects: await store.listChildren(db, 'object', namespace.id),
      tags: await store.listChildren(db, 'tag', namespace.id),
    };
  }

  /** Glance's PUT: every attribute replaced, absent ones back to their defaults. */
  async update(ctx: ImageContext, name: string, input: NamespaceInput): Promise<MetadefNamespace> {
    const current = await this.findForChange(ctx, name, 'modify_metadef_namespace');
    const updated: MetadefNamespace = {
      ...current,
      namespace: input.namespace,
      display_name: input.display_name ?? null,
      description: input.description ?? null,
      visibility: input.visibility ?? 'private',
      protected: input.protected ?? false,
      owner: input.owner ?? ctx.projectId,
      updated_at: nowIso(),
    };
    await store.updateNamespace(this.deps.db, updated);
    return updated;
  }

  async delete(ctx: ImageContext, name: string): Promise<void> {
    const namespace = await this.findForChange(ctx, name, 'delete_metadef_namespace');
    if (namespace.protected) throw metadefErrors.protectedNamespace(namespace.namespace);
    await store.deleteNamespace(this.deps.db, namespace.id);
  }
}

/**
 * Stores a namespace and its content in one transaction. `seeded` marks the
 * resource types it names as Glance's system types (protected).
 */
export async function createNamespace(db: ImageDb, input: NewNamespace, owner: string | null, seeded: boolean): Promise<NamespaceDetail> {
  const now = nowIso();
  const namespace: MetadefNamespace = {
    id: uuid(),
    namespace: input.namespace,
    display_name: input.display_name ?? null,
    description: input.description ?? null,
    visibility: input.visibility ?? 'private',
    protected: input.protected ?? false,
    owner,
    created_at: now,
    updated_at: now,
  };
  await store.insertNamespace(db, namespace);
  const associations = [];
  for (const association of input.resource_type_associations ?? []) {
    await store.ensureResourceType(db, association.name, seeded, now);
    const stored = { prefix: null, properties_target: null, ...association, created_at: now, updated_at: now };
    await store.insertAssociation(db, namespace, stored);
    associations.push(stored);
  }
  const children = childrenOf(input, now);
  for (const kind of ['property', 'object', 'tag'] as const) await store.insertChildren(db, kind, namespace, children[kind]);
  return { namespace, associations, properties: children.property, objects: children.object, tags: children.tag };
}
