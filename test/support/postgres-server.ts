/**
 * A test server on its own fresh PostgreSQL database (the cluster
 * configuration), for suites that run the whole server on PostgreSQL when
 * NIMBUS_TEST_PG_URL names a server where tests may create databases.
 * `close()` stops the server and drops the database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL_ENV } from './databases.js';
import type { NimbusConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from './server.js';

/** Why a PostgreSQL suite skips, or false when it can run. */
export const postgresSkip: string | false = process.env[PG_URL_ENV] ? false : `${PG_URL_ENV} not set`;

/** Runs one statement (CREATE or DROP DATABASE) on its own connection to the server at `baseUrl`. */
export async function administerPostgres(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function startPostgresTestServer(configure?: (config: NimbusConfig) => void): Promise<TestServer> {
  const baseUrl = process.env[PG_URL_ENV];
  if (!baseUrl) throw new Error(`${PG_URL_ENV} is not set`);
  const database = `nimbus_t_${randomBytes(4).toString('hex')}`;
  const administer = (statement: string) => administerPostgres(baseUrl, statement);
  await administer(`CREATE DATABASE ${database}`);
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  const cloud = await startTestServer((config) => {
    config.database.connection = url.toString();
    configure?.(config);
  });
  return {
    ...cloud,
    async close() {
      await cloud.close();
      await administer(`DROP DATABASE IF EXISTS ${database}`);
    },
  };
}
