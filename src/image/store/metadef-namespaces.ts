/** Metadata definition namespaces, resource types and their associations. */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { toBool } from '../../core/db/values.js';
import { metadefErrors } from '../metadef-errors.js';
import type { ImageDb } from './db.js';
import type { MetadefAssociation, MetadefNamespace, MetadefNamespaceTable, MetadefResourceType } from './metadef-tables.js';

type NamespaceRow = Omit<MetadefNamespaceTable, 'protected'> & { protected: boolean | number };

function toNamespace(row: NamespaceRow): MetadefNamespace {
  return { ...row, protected: toBool(row.protected) };
}

export async function insertNamespace(db: ImageDb, namespace: MetadefNamespace): Promise<void> {
  try {
    await db.insertInto('metadef_namespace').values(namespace).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw metadefErrors.duplicateNamespace(namespace.namespace);
    throw error;
  }
}

export async function getNamespace(db: ImageDb, name: string): Promise<MetadefNamespace | undefined> {
  const row = await db.selectFrom('metadef_namespace').selectAll().where('namespace', '=', name).executeTakeFirst();
  return row && toNamespace(row);
}

/** Every namespace, with the resource types each is associated with; the service filters, sorts and pages (the catalog is small). */
export async function listNamespaces(db: ImageDb): Promise<Array<MetadefNamespace & { resourceTypes: string[] }>> {
  const rows = await db.selectFrom('metadef_namespace').selectAll().execute();
  const links = await db.selectFrom('metadef_resource_type_association').select(['namespace_id', 'resource_type']).execute();
  return rows.map((row) => ({ ...toNamespace(row), resourceTypes: links.filter((l) => l.namespace_id === row.id).map((l) => l.resource_type) }));
}

export async function updateNamespace(db: ImageDb, namespace: MetadefNamespace): Promise<void> {
  const { id, created_at: _created, ...changes } = namespace;
  try {
    await db.updateTable('metadef_namespace').set(changes).where('id', '=', id).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw metadefErrors.duplicateNamespace(namespace.namespace);
    throw error;
  }
}

export async function deleteNamespace(db: ImageDb, id: string): Promise<void> {
  await db.deleteFrom('metadef_namespace').where('id', '=', id).execute();
}

export async function listResourceTypes(db: ImageDb): Promise<MetadefResourceType[]> {
  const rows = await db.selectFrom('metadef_resource_type').selectAll().orderBy('name').execute();
  return rows.map((row) => ({ ...row, protected: toBool(row.protected) }));
}

/**
 * Creates the resource type unless it exists; types made by an association are not protected, the seeded ones are.
 * A conflict is ignored in the statement itself (not caught), so a PostgreSQL transaction around it stays usable.
 */
export async function ensureResourceType(db: ImageDb, name: string, isProtected: boolean, now: string): Promise<void> {
  await db
    .insertInto('metadef_resource_type')
    .values({ name, protected: isProtected, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function listAssociations(db: ImageDb, namespaceId: string): Promise<MetadefAssociation[]> {
  return db
    .selectFrom('metadef_resource_type_association')
    .select(['resource_type as name', 'prefix', 'properties_target', 'created_at', 'updated_at'])
    .where('namespace_id', '=', namespaceId)
    .orderBy('created_at')
    .orderBy('resource_type')
    .execute();
}

export async function insertAssociation(db: ImageDb, namespace: MetadefNamespace, association: MetadefAssociation): Promise<void> {
  const { name, ...rest } = association;
  try {
    await db
      .insertInto('metadef_resource_type_association')
      .values({ namespace_id: namespace.id, resource_type: name, ...rest })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw metadefErrors.duplicateAssociation(name, namespace.namespace);
    throw error;
  }
}

export async function deleteAssociation(db: ImageDb, namespaceId: string, resourceType: string): Promise<boolean> {
  const result = await db
    .deleteFrom('metadef_resource_type_association')
    .where('namespace_id', '=', namespaceId)
    .where('resource_type', '=', resourceType)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Marks the bundled catalog `catalog` loaded; false when an earlier start (or a concurrent process) loaded it. */
export async function claimCatalogLoad(db: ImageDb, catalog: string, now: string): Promise<boolean> {
  const result = await db
    .insertInto('metadef_catalog_load')
    .values({ catalog, loaded_at: now })
    .onConflict((oc) => oc.column('catalog').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
