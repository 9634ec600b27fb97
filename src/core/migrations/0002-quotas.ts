/**
 * The quota engine (`src/core/quota/`): default limits set by an operator,
 * per-project limits, and per-project usage counters. Frozen in time: later
 * changes go in new migrations.
 */
import type { MigrationDb } from '../db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  // Operator overrides of a service's registered defaults (Nova's "default" quota class).
  await db.schema
    .createTable('core_quota_default')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('core_quota_default_pk', ['service', 'resource'])
    .execute();
  await db.schema
    .createTable('core_quota_limit')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('core_quota_limit_pk', ['project_id', 'service', 'resource'])
    .execute();
  await db.schema
    .createTable('core_quota_usage')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('in_use', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('core_quota_usage_pk', ['project_id', 'service', 'resource'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('core_quota_usage').execute();
  await db.schema.dropTable('core_quota_limit').execute();
  await db.schema.dropTable('core_quota_default').execute();
}
