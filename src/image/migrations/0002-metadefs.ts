/**
 * Glance's metadata definitions catalog (`/v2/metadefs`). Frozen: never edit, add a new migration.
 * Children hang on the namespace's internal id, so renaming a namespace keeps them.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;

  await db.schema
    .createTable('metadef_namespace')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('namespace', 'varchar(80)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(80)')
    .addColumn('description', text)
    .addColumn('visibility', 'varchar(32)', (c) => c.notNull())
    .addColumn('protected', 'boolean', (c) => c.notNull())
    .addColumn('owner', 'varchar(255)')
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('metadef_resource_type')
    .addColumn('name', 'varchar(80)', (c) => c.primaryKey())
    // Seeded types are protected: Glance refuses to delete them.
    .addColumn('protected', 'boolean', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('metadef_resource_type_association')
    .addColumn('namespace_id', 'varchar(36)', (c) => c.notNull().references('metadef_namespace.id').onDelete('cascade'))
    .addColumn('resource_type', 'varchar(80)', (c) => c.notNull().references('metadef_resource_type.name'))
    .addColumn('prefix', 'varchar(80)')
    .addColumn('properties_target', 'varchar(80)')
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('metadef_resource_type_association_pk', ['namespace_id', 'resource_type'])
    .execute();
  await db.schema.createIndex('metadef_association_type').on('metadef_resource_type_association').column('resource_type').execute();

  // Objects and properties keep their JSON-schema parts as JSON text: Glance stores them the same way.
  await db.schema
    .createTable('metadef_object')
    .addColumn('namespace_id', 'varchar(36)', (c) => c.notNull().references('metadef_namespace.id').onDelete('cascade'))
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('required', text)
    .addColumn('properties', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('metadef_object_pk', ['namespace_id', 'name'])
    .execute();

  await db.schema
    .createTable('metadef_property')
    .addColumn('namespace_id', 'varchar(36)', (c) => c.notNull().references('metadef_namespace.id').onDelete('cascade'))
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('schema', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('metadef_property_pk', ['namespace_id', 'name'])
    .execute();

  // Tag names are unique without regard to case (Glance's MySQL collation): `name_key` is the lower-cased name.
  await db.schema
    .createTable('metadef_tag')
    .addColumn('namespace_id', 'varchar(36)', (c) => c.notNull().references('metadef_namespace.id').onDelete('cascade'))
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(80)', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('metadef_tag_pk', ['namespace_id', 'name_key'])
    .execute();

  // Which bundled catalogs a first start loaded, so a restart never loads them over an operator's edits.
  await db.schema
    .createTable('metadef_catalog_load')
    .addColumn('catalog', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('loaded_at', text, (c) => c.notNull())
    .execute();
}
