/**
 * Alarming on PostgreSQL (the cluster configuration): create, list with
 * filters and pages, quota, state, history, complex query, and the evaluator's
 * per-alarm claim. Runs when NIMBUS_TEST_PG_URL names a server where the test
 * may create databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';
import { claimEvaluation, dueAlarmIds, alarmingDb } from '../../src/alarming/store/index.js';

describe('alarming on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  let token: string;

  before(async () => {
    cloud = await startPostgresTestServer((config) => (config.alarming.evaluation_interval = 3600));
    token = await cloud.demoToken();
  });
  after(() => cloud?.close());

  test('alarms, quota, state, history, queries and the evaluation claim', { timeout: 120_000 }, async () => {
    const ids: string[] = [];
    for (const name of ['pg-b', 'pg-a', 'pg-c']) {
      const created = await cloud.request('POST', '/alarming/v2/alarms', { token, body: { name, type: 'event', event_rule: {}, enabled: name !== 'pg-c' } });
      assert.equal(created.status, 201, created.text);
      ids.push(created.body.alarm_id);
    }
    const twin = await cloud.request('POST', '/alarming/v2/alarms', { token, body: { name: 'pg-a', type: 'event', event_rule: {} } });
    assert.equal(twin.status, 409);
    const page = await cloud.request('GET', '/alarming/v2/alarms?sort=name:asc&limit=2&q.field=enabled&q.value=true', { token });
    assert.deepEqual(
      page.body.map((a: { name: string }) => a.name),
      ['pg-a', 'pg-b'],
    );
    assert.equal((await cloud.request('PUT', `/alarming/v2/alarms/${ids[0]}/state`, { token, rawBody: '"alarm"' })).status, 200);
    const history = await cloud.request('GET', `/alarming/v2/alarms/${ids[0]}/history`, { token });
    assert.deepEqual(
      history.body.map((h: { type: string }) => h.type),
      ['state transition', 'creation'],
    );
    const query = await cloud.request('POST', '/alarming/v2/query/alarms', { token, body: { filter: '{"=": {"state": "alarm"}}' } });
    assert.deepEqual(
      query.body.map((a: { alarm_id: string }) => a.alarm_id),
      [ids[0]],
    );
    const admin = await cloud.adminToken();
    const project = page.body[0].project_id as string;
    assert.equal(
      (await cloud.request('POST', '/alarming/v2/quotas', { token: admin, body: { project_id: project, quotas: [{ resource: 'alarms', limit: 3 }] } })).status,
      201,
    );
    assert.equal((await cloud.request('POST', '/alarming/v2/alarms', { token, body: { name: 'pg-d', type: 'event', event_rule: {} } })).status, 403);
    // Concurrent creates against a limit of 6 with 3 alarms: exactly 3 more land.
    assert.equal(
      (await cloud.request('POST', '/alarming/v2/quotas', { token: admin, body: { project_id: project, quotas: [{ resource: 'alarms', limit: 6 }] } })).status,
      201,
    );
    const racing = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => cloud.request('POST', '/alarming/v2/alarms', { token, body: { name: `pg-race-${i}`, type: 'event', event_rule: {} } })),
    );
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 201, 201, 403, 403, 403]);

    const db = alarmingDb(cloud.server.db);
    const now = new Date().toISOString();
    const due = await dueAlarmIds(db, now);
    assert.ok(due.includes(ids[0]!) && !due.includes(ids[2]!));
    const until = new Date(Date.now() + 60_000).toISOString();
    assert.equal(await claimEvaluation(db, ids[0]!, 'one', now, until), true);
    assert.equal(await claimEvaluation(db, ids[0]!, 'two', now, until), false);
  });
});
