/** Row types of the metadata definitions tables (see migrations/0002-metadefs.ts). */
import type { BoolColumn, JsonColumn } from '../../core/db/values.js';

export type MetadefVisibility = 'public' | 'private';

export interface MetadefNamespaceTable {
  id: string;
  namespace: string;
  display_name: string | null;
  description: string | null;
  visibility: MetadefVisibility;
  protected: BoolColumn;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetadefResourceTypeTable {
  name: string;
  protected: BoolColumn;
  created_at: string;
  updated_at: string;
}

export interface MetadefAssociationTable {
  namespace_id: string;
  resource_type: string;
  prefix: string | null;
  properties_target: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetadefObjectTable {
  namespace_id: string;
  name: string;
  description: string | null;
  /** JSON array of property names, or null. */
  required: string | null;
  /** JSON object of property schemas by name, or null. */
  properties: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetadefPropertyTable {
  namespace_id: string;
  name: string;
  /** JSON: the property's schema (title, type, enum, ...), without its name. */
  schema: JsonColumn;
  created_at: string;
  updated_at: string;
}

export interface MetadefTagTable {
  namespace_id: string;
  name: string;
  name_key: string;
  created_at: string;
  updated_at: string;
}

export interface MetadefCatalogLoadTable {
  catalog: string;
  loaded_at: string;
}

export type MetadefTables = {
  metadef_namespace: MetadefNamespaceTable;
  metadef_resource_type: MetadefResourceTypeTable;
  metadef_resource_type_association: MetadefAssociationTable;
  metadef_object: MetadefObjectTable;
  metadef_property: MetadefPropertyTable;
  metadef_tag: MetadefTagTable;
  metadef_catalog_load: MetadefCatalogLoadTable;
};

/** A namespace as the service sees it (booleans converted). */
export interface MetadefNamespace {
  id: string;
  namespace: string;
  display_name: string | null;
  description: string | null;
  visibility: MetadefVisibility;
  protected: boolean;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetadefAssociation {
  name: string;
  prefix: string | null;
  properties_target: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetadefResourceType {
  name: string;
  protected: boolean;
  created_at: string;
  updated_at: string;
}
