/**
 * Migrations on start. Each service owns an ordered set of migrations and its
 * own history table (`<service>_migration`), so services evolve independently
 * and a new service never lands "out of order" in another's history.
 * Migrations are frozen in time: they take `Kysely<unknown>` and import no app code.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';

export type Migrations = Record<string, Migration>;

/** What a migration works on: the schema as it was then is not typed, so any table and column name goes. */
export type MigrationDb = Kysely<Record<string, Record<string, unknown>>>;

export async function migrateService(db: Database, service: string, migrations: Migrations): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({
    db: db.kysely as Kysely<unknown>,
    provider,
    migrationTableName: `${service}_migration`,
    migrationLockTableName: `${service}_migration_lock`,
    // Kysely looks for its history tables in every schema unless told which;
    // two Nimbus schemas in one PostgreSQL database would then share one history.
    ...(db.dialect === 'postgres' && { migrationTableSchema: await currentSchema(db) }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${service}/${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * The migrations of `service` not yet applied to `db` (Kysely's own record of
 * them). Two small queries: a start on an existing database asks this first
 * and skips Kysely's Migrator, which reads every table's columns several times
 * per service (most of a start-up's time before this check).
 */
export async function pendingMigrations(db: Database, service: string, migrations: Migrations): Promise<string[]> {
  const table = `${service}_migration`;
  if (!(await tableExists(db, table))) return Object.keys(migrations).sort();
  const done = await sql<{ name: string }>`SELECT name FROM ${sql.table(table)}`.execute(db.kysely);
  const applied = new Set(done.rows.map((r) => r.name));
  return Object.keys(migrations)
    .sort()
    .filter((name) => !applied.has(name));
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const found =
    db.dialect === 'postgres'
      ? await sql`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${table}`.execute(db.kysely)
      : await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db.kysely);
  return found.rows.length > 0;
}

async function currentSchema(db: Database): Promise<string> {
  const result = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db.kysely);
  const schema = result.rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL reports no current schema: check the search_path');
  return schema;
}
