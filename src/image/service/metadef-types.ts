/** What the metadata definitions operations take and give (the API has checked the shapes against Glance's schemas). */
import type { JsonObject } from '../../core/json.js';
import type { MetadefAssociation, MetadefChild, MetadefNamespace, MetadefVisibility } from '../store/index.js';

export interface AssociationInput {
  name: string;
  prefix?: string;
  properties_target?: string;
}

export interface ObjectInput {
  name: string;
  description?: string;
  required?: string[];
  properties?: Record<string, JsonObject>;
}

/** A namespace as created or replaced (PUT replaces every attribute). */
export interface NamespaceInput {
  namespace: string;
  display_name?: string;
  description?: string;
  visibility?: MetadefVisibility;
  protected?: boolean;
  owner?: string;
}

/** A create may bring the namespace's content along. */
export interface NewNamespace extends NamespaceInput {
  resource_type_associations?: AssociationInput[];
  properties?: Record<string, JsonObject>;
  objects?: ObjectInput[];
  tags?: Array<{ name: string }>;
}

/** A namespace with what it holds. */
export interface NamespaceDetail {
  namespace: MetadefNamespace;
  associations: MetadefAssociation[];
  properties: MetadefChild[];
  objects: MetadefChild[];
  tags: MetadefChild[];
}

export interface NamespaceListRequest {
  visibility?: MetadefVisibility;
  /** Namespaces associated with any of these resource types. */
  resourceTypes?: string[];
  sortKey: NamespaceSortKey;
  sortDir: 'asc' | 'desc';
  limit: number;
  /** The name of the last namespace of the previous page. */
  marker?: string;
}

export const NAMESPACE_SORT_KEYS = ['created_at', 'updated_at', 'namespace', 'display_name', 'visibility', 'owner', 'protected'] as const;
export type NamespaceSortKey = (typeof NAMESPACE_SORT_KEYS)[number];

export interface NamespacePage {
  items: Array<{ namespace: MetadefNamespace; associations: MetadefAssociation[] }>;
  /** The marker of the next page, when this page is full. */
  next: string | null;
}
