/**
 * The fuzz suite (suite.ts) on PostgreSQL, which refuses values SQLite stores
 * (NUL in text, integers past 32 bits, strings past their column): the
 * systematic and reader runs. Skipped, saying so, without NIMBUS_TEST_PG_URL.
 */
import { test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import { defineFuzzSuite } from './suite.js';

if (postgresSkip) test('fuzz [postgres]', { skip: postgresSkip }, () => {});
else defineFuzzSuite('fuzz [postgres]', { start: startPostgresTestServer, random: false });
