/** Keystone's tables as Nimbus keeps them. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const bool = 'boolean' as const;

  await db.schema
    .createTable('domain')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', text)
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('project')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().references('domain.id'))
    .addColumn('parent_id', 'varchar(64)', (c) => c.references('project.id'))
    .addColumn('description', text)
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('project_domain_name', ['domain_id', 'name'])
    .execute();

  await db.schema
    .createTable('project_tag')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('project.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_tag_pk', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('user')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().references('domain.id'))
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('default_project_id', 'varchar(64)')
    .addColumn('description', text)
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('options', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('failed_auth_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_auth_at', text)
    .addColumn('last_active_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('user_domain_name', ['domain_id', 'name'])
    .execute();

  // One row per password the user has had, newest last: history checks and expiry.
  await db.schema
    .createTable('password')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('hash', text, (c) => c.notNull())
    .addColumn('self_service', bool, (c) => c.notNull())
    .addColumn('expires_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_user').on('password').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('group')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull().references('domain.id'))
    .addColumn('description', text)
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('group_domain_name', ['domain_id', 'name'])
    .execute();

  await db.schema
    .createTable('user_group_membership')
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('group_id', 'varchar(64)', (c) => c.notNull().references('group.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_group_pk', ['user_id', 'group_id'])
    .execute();

  // Global roles have domain_id '' (not NULL) so the unique constraint holds on both engines.
  await db.schema
    .createTable('role')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('options', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('role_name_domain', ['name', 'domain_id'])
    .execute();

  await db.schema
    .createTable('implied_role')
    .addColumn('prior_role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addColumn('implied_role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('implied_role_pk', ['prior_role_id', 'implied_role_id'])
    .execute();

  // type: UserProject, GroupProject, UserDomain, GroupDomain, UserSystem, GroupSystem.
  // target_id is 'system' for system assignments.
  await db.schema
    .createTable('assignment')
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addColumn('inherited', bool, (c) => c.notNull())
    .addPrimaryKeyConstraint('assignment_pk', ['type', 'actor_id', 'target_id', 'role_id', 'inherited'])
    .execute();
  await db.schema.createIndex('assignment_actor').on('assignment').column('actor_id').execute();
  await db.schema.createIndex('assignment_target').on('assignment').column('target_id').execute();

  await db.schema
    .createTable('region')
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('description', text)
    .addColumn('parent_region_id', 'varchar(255)')
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('service')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('type', 'varchar(255)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', text)
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('endpoint')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('service_id', 'varchar(64)', (c) => c.notNull().references('service.id'))
    .addColumn('interface', 'varchar(8)', (c) => c.notNull())
    .addColumn('url', text, (c) => c.notNull())
    .addColumn('region_id', 'varchar(255)')
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('application_credential')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('project_id', 'varchar(64)')
    .addColumn('secret_hash', text, (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('expires_at', text)
    .addColumn('unrestricted', bool, (c) => c.notNull())
    .addColumn('system', 'varchar(16)')
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('app_cred_user_name', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('application_credential_role')
    .addColumn('application_credential_id', 'varchar(64)', (c) => c.notNull().references('application_credential.id').onDelete('cascade'))
    .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_cred_role_pk', ['application_credential_id', 'role_id'])
    .execute();

  await db.schema
    .createTable('credential')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(64)')
    .addColumn('type', 'varchar(255)', (c) => c.notNull())
    .addColumn('blob', text, (c) => c.notNull())
    .addColumn('extra', text, (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('registered_limit')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('service_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('default_limit', 'integer', (c) => c.notNull())
    .addColumn('description', text)
    .addUniqueConstraint('registered_limit_key', ['service_id', 'region_id', 'resource_name'])
    .execute();

  // project_id or domain_id is '' when unused, so the unique constraint holds.
  await db.schema
    .createTable('limit')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('service_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource_limit', 'integer', (c) => c.notNull())
    .addColumn('description', text)
    .addUniqueConstraint('limit_key', ['project_id', 'domain_id', 'service_id', 'region_id', 'resource_name'])
    .execute();

  // A token is revoked when an event matches it and it was issued at or before
  // issued_before (Keystone's revoke model, reduced to the fields we match on).
  await db.schema
    .createTable('revocation_event')
    .addColumn('id', 'integer', (c) => (sqlDialectIsPostgres(db) ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('audit_id', 'varchar(32)')
    .addColumn('user_id', 'varchar(64)')
    .addColumn('project_id', 'varchar(64)')
    .addColumn('domain_id', 'varchar(64)')
    .addColumn('issued_before', text, (c) => c.notNull())
    .addColumn('revoked_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('revocation_audit').on('revocation_event').column('audit_id').execute();
  await db.schema.createIndex('revocation_user').on('revocation_event').column('user_id').execute();
}

function sqlDialectIsPostgres(db: MigrationDb): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}
