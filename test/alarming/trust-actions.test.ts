/**
 * trust+http alarm actions end to end, on the server's own evaluator: the
 * alarm gets a Keystone trust from its owner to the aodh user (its id hidden
 * in responses), the notification is posted with a token issued through that
 * trust (the owner's, in the owner's project), and deleting the alarm
 * deletes the trust.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { NimbusConfig } from '../../src/config.js';
import { startTestServer } from '../support/server.js';

test('a trust+http action posts as the alarm owner through a trust the alarm made and deletes', { timeout: 120_000 }, async (t) => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  t.after(() => hook.close());
  const cloud = await startTestServer((config: NimbusConfig) => {
    config.alarming.evaluation_interval = 1;
  });
  t.after(() => cloud.close());
  const demo = await cloud.demoToken();
  const admin = await cloud.adminToken();
  const action = `trust+http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const created = await cloud.request('POST', '/alarming/v2/alarms', {
    token: demo,
    body: {
      name: 'trusted',
      type: 'gnocchi_resources_threshold',
      state: 'ok',
      insufficient_data_actions: [action],
      gnocchi_resources_threshold_rule: { metric: 'cpu', resource_id: 'no-such-resource', resource_type: 'instance', threshold: 1, aggregation_method: 'mean' },
    },
  });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.body.insufficient_data_actions, [action], 'the trust id stays out of responses');
  const demoUser = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token;
  const trusts = async () => (await cloud.request('GET', `/identity/v3/OS-TRUST/trusts?trustor_user_id=${demoUser.user.id}`, { token: demo })).body.trusts;
  const [trust] = await trusts();
  assert.equal(trust.impersonation, true);
  assert.equal(trust.project_id, demoUser.project.id);

  for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(received.length, 1, 'the transition to insufficient data notified once');
  const body = JSON.parse(received[0]!.body);
  assert.deepEqual([body.alarm_id, body.previous, body.current], [created.body.alarm_id, 'ok', 'insufficient data']);
  const token = received[0]!.headers['x-auth-token'] as string;
  const seen = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } })).body.token;
  assert.equal(seen.user.id, demoUser.user.id, 'the trust impersonates the alarm owner');
  assert.equal(seen['OS-TRUST:trust'].id, trust.id);

  assert.equal((await cloud.request('DELETE', `/alarming/v2/alarms/${created.body.alarm_id}`, { token: demo })).status, 204);
  assert.deepEqual(await trusts(), []);
});
