/** On PostgreSQL the page shows the connection pool's counts (SQLite has no pool: metrics.test.ts checks their absence). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';
import { scrape, value } from './support.js';

describe('GET /metrics on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startPostgresTestServer((config) => {
      config.metering.enabled = false;
    });
  });
  after(() => cloud?.close());

  test("shows the pool's open, idle and waiting counts", async () => {
    const samples = await scrape(cloud);
    const open = value(samples, 'nimbus_db_pool_connections');
    const idle = value(samples, 'nimbus_db_pool_idle_connections');
    assert.ok(open >= 1 && open <= 10, `open ${open}`);
    assert.ok(idle >= 0 && idle <= open, `idle ${idle} of ${open}`);
    // The scrape itself queries (task queue depth, the cloud's listings) while the counts are read: some may wait.
    assert.ok(value(samples, 'nimbus_db_pool_waiting_requests') >= 0);
  });
});
