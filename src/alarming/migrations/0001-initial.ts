/** Alarms, their history and quotas (Aodh's alarm, alarm_history and quota tables). Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('aodh_alarm')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('project_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('state_reason', 'text', (c) => c.notNull())
    .addColumn('severity', 'varchar(32)', (c) => c.notNull())
    .addColumn('repeat_actions', 'boolean', (c) => c.notNull())
    // JSON texts: lists of URLs, the constraints and the type's rule.
    .addColumn('ok_actions', 'text', (c) => c.notNull())
    .addColumn('alarm_actions', 'text', (c) => c.notNull())
    .addColumn('insufficient_data_actions', 'text', (c) => c.notNull())
    .addColumn('time_constraints', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('state_timestamp', 'text', (c) => c.notNull())
    // The evaluation lease: the process that evaluates the alarm this round, and until when.
    .addColumn('evaluation_owner', 'varchar(128)')
    .addColumn('evaluation_until', 'text')
    .execute();
  await db.schema.createIndex('aodh_alarm_project_name').on('aodh_alarm').columns(['project_id', 'name']).unique().execute();
  await db.schema
    .createTable('aodh_alarm_history')
    .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('alarm_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('user_id', 'varchar(128)')
    .addColumn('project_id', 'varchar(128)')
    .addColumn('on_behalf_of', 'varchar(128)')
    .addColumn('severity', 'varchar(32)')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('aodh_alarm_history_alarm').on('aodh_alarm_history').columns(['alarm_id', 'timestamp']).execute();
  await db.schema
    .createTable('aodh_quota')
    .addColumn('project_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('resource', 'varchar(50)', (c) => c.notNull())
    .addColumn('limit', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('aodh_quota_pk', ['project_id', 'resource'])
    .execute();
}
