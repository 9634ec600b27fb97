/**
 * The evaluator as the server runs it: started once the server listens, every
 * evaluation_interval (1 s here), with the metric door looked up per round;
 * state and history survive a restart over the same data directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NimbusConfig } from '../../src/config.js';
import { startTestServer } from '../support/server.js';

test('the server evaluates alarms every interval and keeps their state across a restart', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-alarming-restart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const configure = (config: NimbusConfig) => {
    config.server.data_dir = dataDir;
    config.alarming.evaluation_interval = 1;
  };
  const first = await startTestServer(configure);
  let firstOpen = true;
  t.after(() => (firstOpen ? first.server.close() : undefined));
  const token = await first.demoToken();
  const created = await first.request('POST', '/alarming/v2/alarms', {
    token,
    body: {
      name: 'watched',
      type: 'gnocchi_resources_threshold',
      state: 'ok',
      gnocchi_resources_threshold_rule: { metric: 'cpu', resource_id: 'no-such-resource', resource_type: 'instance', threshold: 1, aggregation_method: 'mean' },
    },
  });
  assert.equal(created.status, 201, created.text);
  const path = `/alarming/v2/alarms/${created.body.alarm_id}`;
  // Whatever the metric service answers for a resource it does not have (or its absence), the alarm has no data.
  let state = 'ok';
  for (let i = 0; i < 100 && state === 'ok'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = (await first.request('GET', path, { token })).body.state;
  }
  assert.equal(state, 'insufficient data');
  const history = await first.request('GET', `${path}/history`, { token });
  assert.equal(history.body[0].type, 'state transition');
  const detail = JSON.parse(history.body[0].detail);
  assert.equal(detail.state, 'insufficient data');
  assert.equal(typeof detail.transition_reason, 'string');
  await first.server.close();
  firstOpen = false;

  const second = await startTestServer(configure);
  t.after(() => second.server.close());
  const again = await second.request('GET', path, { token: await second.demoToken() });
  assert.equal(again.body.state, 'insufficient data');
  assert.equal(again.body.state_reason, detail.transition_reason);
});
