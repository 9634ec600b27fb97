/** How the metadata definitions API renders what it returns (Glance leaves unset attributes out). */
import type { JsonObject } from '../../core/json.js';
import type { MetadefChildKind } from '../metadef-errors.js';
import type { MetadefAssociation, MetadefChild, MetadefNamespace, MetadefResourceType } from '../store/index.js';
import type { NamespaceDetail } from '../service/index.js';

const NAMESPACES = '/v2/metadefs/namespaces';

/** Drops null and undefined members, as Glance's wsme models do when rendering. */
function present(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined));
}

export function namespaceHref(name: string): string {
  return `${NAMESPACES}/${name}`;
}

export function namespaceView(ns: MetadefNamespace): Record<string, unknown> {
  return present({
    namespace: ns.namespace,
    display_name: ns.display_name,
    description: ns.description,
    visibility: ns.visibility,
    protected: ns.protected,
    owner: ns.owner,
    created_at: ns.created_at,
    updated_at: ns.updated_at,
    schema: '/v2/schemas/metadefs/namespace',
    self: namespaceHref(ns.namespace),
  });
}

export function associationView(association: MetadefAssociation): Record<string, unknown> {
  return present({ ...association });
}

/**
 * A namespace with its content; the lists Glance omits when empty. `prefix`
 * (the `resource_type` query's association prefix) is put before every
 * property name, as the resource type sees them.
 */
export function namespaceDetailView(detail: NamespaceDetail, prefix = ''): Record<string, unknown> {
  const { namespace } = detail;
  const properties = Object.fromEntries(detail.properties.map((p) => [prefix + p.name, p.body]));
  const objects = detail.objects.map((o) => prefixed(objectView(namespace.namespace, o), prefix));
  return present({
    ...namespaceView(namespace),
    resource_type_associations: detail.associations.length > 0 ? detail.associations.map(associationView) : undefined,
    properties: detail.properties.length > 0 ? properties : undefined,
    objects: objects.length > 0 ? objects : undefined,
    tags: detail.tags.length > 0 ? detail.tags.map((t) => ({ name: t.name })) : undefined,
  });
}

function prefixed(object: Record<string, unknown>, prefix: string): Record<string, unknown> {
  if (prefix === '') return object;
  const properties = object.properties as JsonObject | undefined;
  const required = object.required as string[] | undefined;
  return present({
    ...object,
    properties: properties && Object.fromEntries(Object.entries(properties).map(([name, value]) => [prefix + name, value])),
    required: required?.map((name) => prefix + name),
  });
}

export function objectView(namespace: string, object: MetadefChild): Record<string, unknown> {
  return {
    name: object.name,
    ...object.body,
    created_at: object.created_at,
    updated_at: object.updated_at,
    schema: '/v2/schemas/metadefs/object',
    self: `${namespaceHref(namespace)}/objects/${object.name}`,
  };
}

export function propertyView(property: MetadefChild): Record<string, unknown> {
  return { name: property.name, ...property.body };
}

export function tagView(tag: MetadefChild): Record<string, unknown> {
  return { name: tag.name, created_at: tag.created_at, updated_at: tag.updated_at };
}

export function childView(kind: MetadefChildKind, namespace: string, child: MetadefChild): Record<string, unknown> {
  if (kind === 'object') return objectView(namespace, child);
  return kind === 'property' ? propertyView(child) : tagView(child);
}

export function resourceTypeView(type: MetadefResourceType): Record<string, unknown> {
  return { name: type.name, created_at: type.created_at, updated_at: type.updated_at };
}
