/**
 * The keypair behind each resource's presigned CFN signal URL: made once
 * per resource (the first `signalUrls.cfn()` call), kept so the URL stays
 * the same across calls and restarts, and looked up by access key when a
 * signal arrives. Heat keeps the pair in the resource's data and asks
 * Keystone's ec2tokens to check it; here the orchestration service checks
 * it itself, so the pair lives in its own table.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { Migrations, MigrationDb } from '../../core/db/migrate.js';
import { hexId, secret } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';

export interface CfnKeyTable {
  access_key: string;
  secret_key: string;
  stack_id: string;
  resource_name: string;
  /** The URL's Timestamp parameter (the signature covers it). */
  created_at: string;
}

export type CfnKey = Selectable<CfnKeyTable>;
type CfnKeyDb = Kysely<{ heat_cfn_key: CfnKeyTable }>;

async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('heat_cfn_key')
    .addColumn('access_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('secret_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('stack_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('resource_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('heat_cfn_key_resource', ['stack_id', 'resource_name'])
    .execute();
}

export const cfnKeyMigrations: Migrations = { 'software-0002-cfn-keys': { up } };

export interface CfnKeys {
  /** The resource's pair, made on first use (a concurrent first use keeps the one stored first). */
  forResource(stackId: string, resourceName: string): Promise<CfnKey>;
  byAccessKey(accessKey: string): Promise<CfnKey | null>;
}

export function cfnKeys(database: Database): CfnKeys {
  const db: CfnKeyDb = database.kysely.withTables<{ heat_cfn_key: CfnKeyTable }>();
  const find = async (stackId: string, resourceName: string) =>
    (await db.selectFrom('heat_cfn_key').selectAll().where('stack_id', '=', stackId).where('resource_name', '=', resourceName).executeTakeFirst()) ?? null;
  return {
    async forResource(stackId, resourceName) {
      const existing = await find(stackId, resourceName);
      if (existing) return existing;
      const row: CfnKey = { access_key: hexId(), secret_key: secret(), stack_id: stackId, resource_name: resourceName, created_at: nowIso() };
      await db
        .insertInto('heat_cfn_key')
        .values(row)
        .onConflict((oc) => oc.columns(['stack_id', 'resource_name']).doNothing())
        .execute();
      return (await find(stackId, resourceName)) ?? row;
    },
    async byAccessKey(accessKey) {
      return (await db.selectFrom('heat_cfn_key').selectAll().where('access_key', '=', accessKey).executeTakeFirst()) ?? null;
    },
  };
}
