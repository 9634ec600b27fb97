/**
 * Heat's tables as Nimbus keeps them. Frozen: never edit, add a new migration.
 *
 * Stacks are soft-deleted (`deleted_at`), as Heat's `show_deleted` lists them.
 * The stack row carries its lock (`lock_operation`, `lock_action`): an
 * operation owns the stack from the API call that starts it to the end of its
 * task. The owner's caller is kept as core's StoredCaller JSON (never a token):
 * the engine acts with it after the token that created the stack expired.
 * Resource rows are the durable state of the graph walk: a restarted task
 * reads them to know what is done.
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const id = 'varchar(64)' as const;
  const name = 'varchar(255)' as const;

  await db.schema
    .createTable('heat_stack')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', name, (c) => c.notNull())
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('owner_user_id', id, (c) => c.notNull())
    .addColumn('owner_user_name', name, (c) => c.notNull())
    .addColumn('owner_caller', text, (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull())
    .addColumn('template', text, (c) => c.notNull())
    .addColumn('environment', text, (c) => c.notNull())
    .addColumn('files', text, (c) => c.notNull())
    // Validated values, hidden ones included (shown masked).
    .addColumn('parameters', text, (c) => c.notNull())
    // The template, environment, files and parameters before the running update, for its rollback.
    .addColumn('previous', text)
    .addColumn('timeout_mins', 'integer')
    .addColumn('disable_rollback', 'boolean', (c) => c.notNull())
    .addColumn('parent_id', id)
    .addColumn('parent_resource_name', name)
    .addColumn('nested_depth', 'integer', (c) => c.notNull())
    .addColumn('lock_operation', id)
    .addColumn('lock_action', 'varchar(16)')
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .addColumn('deleted_at', text)
    .execute();
  await db.schema.createIndex('heat_stack_project').on('heat_stack').columns(['project_id', 'name']).execute();
  await db.schema.createIndex('heat_stack_parent').on('heat_stack').column('parent_id').execute();

  await db.schema
    .createTable('heat_stack_tag')
    .addColumn('stack_id', id, (c) => c.notNull())
    .addColumn('tag', name, (c) => c.notNull())
    // Tags are shown in the order they were given.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('heat_stack_tag_pk', ['stack_id', 'tag'])
    .execute();

  await db.schema
    .createTable('heat_resource')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('stack_id', id, (c) => c.notNull())
    .addColumn('name', name, (c) => c.notNull())
    .addColumn('type', name, (c) => c.notNull())
    .addColumn('physical_id', name)
    .addColumn('physical_name', name, (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', text, (c) => c.notNull())
    // The definition (type, properties, metadata, policies) and properties as last applied.
    .addColumn('definition', text, (c) => c.notNull())
    .addColumn('properties', text, (c) => c.notNull())
    .addColumn('data', text, (c) => c.notNull())
    .addColumn('metadata', text, (c) => c.notNull())
    .addColumn('depends_on', text, (c) => c.notNull())
    .addColumn('nested_stack_id', id)
    // Update-replace: the new row `replaces` the old one, which gets `replaced_by` until it is deleted.
    .addColumn('replaces', id)
    .addColumn('replaced_by', id)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .execute();
  await db.schema.createIndex('heat_resource_stack').on('heat_resource').columns(['stack_id', 'name']).execute();

  await db.schema
    .createTable('heat_event')
    .addColumn('id', id, (c) => c.primaryKey())
    // Insertion order: events of one second sort as they happened.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stack_id', id, (c) => c.notNull())
    .addColumn('resource_name', name, (c) => c.notNull())
    .addColumn('physical_resource_id', name)
    .addColumn('resource_type', name, (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', text, (c) => c.notNull())
    .addColumn('properties', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('heat_event_stack').on('heat_event').columns(['stack_id', 'seq']).execute();

  await db.schema
    .createTable('heat_snapshot')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('stack_id', id, (c) => c.notNull())
    .addColumn('name', name)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('status_reason', text, (c) => c.notNull())
    .addColumn('data', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('heat_snapshot_stack').on('heat_snapshot').column('stack_id').execute();
}
