/**
 * Gnocchi's index as Nimbus keeps it. Frozen: never edit, add a new migration.
 *
 * A resource is a chain of revisions in one table: the current revision has
 * no `revision_end`, a PATCH closes it and appends the next, so `/history`
 * and `history=true` searches read the same rows as the current view. A
 * resource type's own attributes are a JSON object on the revision (their
 * schema lives in `gnocchi_resource_type`), so adding an attribute to a type
 * needs no ALTER TABLE.
 */
import { sql } from 'kysely';
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const id = 'varchar(64)' as const;
  const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');

  await db.schema
    .createTable('gnocchi_archive_policy')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('back_window', 'integer', (c) => c.notNull())
    // JSON: [{granularity, points, timespan}] in seconds.
    .addColumn('definition', text, (c) => c.notNull())
    // JSON: the methods as given (`*`, `-max`, `+rate:mean`...), expanded when read.
    .addColumn('aggregation_methods', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('gnocchi_archive_policy_rule')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('metric_pattern', 'varchar(255)', (c) => c.notNull())
    .addColumn('archive_policy_name', 'varchar(255)', (c) => c.notNull().references('gnocchi_archive_policy.name'))
    .execute();

  await db.schema
    .createTable('gnocchi_resource_type')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    // JSON: attribute name → its schema as Gnocchi renders it.
    .addColumn('attributes', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('gnocchi_resource')
    .addColumn('revision', 'integer', (c) => (postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('id', id, (c) => c.notNull())
    .addColumn('type', 'varchar(255)', (c) => c.notNull().references('gnocchi_resource_type.name'))
    .addColumn('original_resource_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(255)')
    .addColumn('user_id', 'varchar(255)')
    .addColumn('creator', 'varchar(255)', (c) => c.notNull())
    // Times as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`: sortable as text on both engines.
    .addColumn('started_at', text, (c) => c.notNull())
    .addColumn('ended_at', text)
    .addColumn('revision_start', text, (c) => c.notNull())
    .addColumn('revision_end', text)
    .addColumn('attributes', text, (c) => c.notNull())
    .execute();
  // One current revision per resource id.
  await db.schema.createIndex('gnocchi_resource_current').on('gnocchi_resource').column('id').unique().where(sql.ref('revision_end'), 'is', null).execute();
  await db.schema.createIndex('gnocchi_resource_id').on('gnocchi_resource').columns(['id', 'revision']).execute();

  await db.schema
    .createTable('gnocchi_metric')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('unit', 'varchar(31)')
    .addColumn('resource_id', id)
    .addColumn('archive_policy_name', 'varchar(255)', (c) => c.notNull().references('gnocchi_archive_policy.name'))
    .addColumn('creator', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('gnocchi_metric_resource_name', ['resource_id', 'name'])
    .execute();
}
