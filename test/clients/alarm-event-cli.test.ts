/**
 * An event alarm end to end through Debian's `openstack` CLI: an alarm on
 * `compute.instance.power_off.*` for one server fires when that server is
 * stopped, posting Aodh's body to a webhook the test listens on, and the
 * alarm's state and history show the transition. Skips (saying why) where
 * the CLI or aodhclient is not installed.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, pluginSkipReason } from './openstack.js';

type Row = Record<string, unknown>;

describe('openstack CLI: event alarms fire on Nova notifications', { skip: pluginSkipReason('aodhclient', 'alarm', 'python3-aodhclient') }, () => {
  let cloud: TestServer;
  let hook: Server;
  const received: Row[] = [];
  let hookUrl = '';
  const demo = <T = Row>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const demoRun = async (args: string[]) => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
  };

  before(async () => {
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body) as Row);
        response.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 50;
      config.compute.fake.action_delay_ms = 10;
      // Threshold rounds play no part here.
      config.alarming.evaluation_interval = 3600;
    });
  });
  after(async () => {
    await cloud?.close();
    await new Promise((resolve) => hook?.close(resolve));
  });

  test('stopping the server moves the alarm to alarm and posts to its webhook', { timeout: 300_000 }, async () => {
    const server = await demo(['server', 'create', '--image', 'nimbus-blank-qcow2', '--flavor', 'm1.nano', '--network', 'private', '--wait', 'evented-vm']);
    assert.equal(server.status, 'ACTIVE');
    const id = String(server.id);
    const alarm = await demo([
      'alarm',
      'create',
      '--name',
      'vm-stopped',
      '--type',
      'event',
      '--event-type',
      'compute.instance.power_off.*',
      '--query',
      `traits.instance_id=string::${id}`,
      '--alarm-action',
      hookUrl,
    ]);
    assert.equal(alarm.state, 'insufficient data');
    assert.equal(alarm.event_type, 'compute.instance.power_off.*');

    await demoRun(['server', 'stop', 'evented-vm']);
    for (let i = 0; i < 120 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(received.length, 1, 'the webhook was called once');
    const body = received[0]!;
    assert.equal(body.alarm_id, alarm.alarm_id);
    assert.equal(body.alarm_name, 'vm-stopped');
    assert.equal(body.previous, 'insufficient data');
    assert.equal(body.current, 'alarm');
    assert.equal(body.severity, 'low');
    assert.match(
      String(body.reason),
      /^Event <id=[0-9a-f-]+,event_type=compute\.instance\.power_off\.end> hits the query <query=\[\{"field": "traits\.instance_id"/,
    );
    const reasonData = body.reason_data as Row;
    assert.equal(reasonData.type, 'event');
    const event = reasonData.event as Row;
    assert.equal(event.event_type, 'compute.instance.power_off.end');
    assert.deepEqual(
      (event.traits as unknown[][]).find(([name]) => name === 'instance_id'),
      ['instance_id', 1, id],
    );
    assert.deepEqual(
      (event.traits as unknown[][]).find(([name]) => name === 'state'),
      ['state', 1, 'stopped'],
    );

    const state = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'alarm', 'state', 'get', String(alarm.alarm_id), '-f', 'value']);
    assert.equal(state.stdout.trim(), 'alarm');
    const history = await demo<Row[]>(['alarm-history', 'show', String(alarm.alarm_id)]);
    const transition = history.find((entry) => entry.type === 'state transition');
    assert.ok(transition, JSON.stringify(history));
    // Stored as Aodh stores it: Python's json.dumps.
    assert.match(String(transition.detail), /^\{"state": "alarm", "transition_reason": "Event <id=/);
  });
});
