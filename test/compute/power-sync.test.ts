/**
 * Power-state sync at start (Nova's _sync_power_states): a server whose
 * guest stopped while Nimbus was down is SHUTOFF after the restart, and one
 * whose domain is gone shows power state NOSTATE. Stopping it sends
 * `compute.instance.power_off.end`, as Nova's stop API does: an Aodh event
 * alarm on that server fires, one on the untouched server does not.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startComputeCloud } from './support.js';

test('a restart syncs power states from the driver', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-power-sync-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const useDir = (config: { server: { data_dir: string } }) => (config.server.data_dir = dataDir);
  const first = await startComputeCloud(useDir);
  let firstOpen = true;
  t.after(() => (firstOpen ? first.cloud.server.close() : undefined));
  const create = async (name: string) => {
    const res = await first.call('POST', '/servers', {
      body: { server: { name, imageRef: first.imageId, flavorRef: '1', networks: 'none' } },
      version: '2.37',
    });
    assert.equal(res.status, 202, res.text);
    await first.waitFor(res.body.server.id, 'ACTIVE');
    return res.body.server.id as string;
  };
  const stoppedBehindOurBack = await create('sync-stopped');
  const vanished = await create('sync-vanished');
  const untouched = await create('sync-untouched');
  const powerOffAlarm = async (serverId: string) => {
    const body = {
      name: `off-${serverId}`,
      type: 'event',
      event_rule: { event_type: 'compute.instance.power_off.*', query: [{ field: 'traits.instance_id', op: 'eq', value: serverId, type: 'string' }] },
    };
    const created = await first.cloud.request('POST', '/alarming/v2/alarms', { token: first.demo, body });
    assert.equal(created.status, 201, created.text);
    return created.body.alarm_id as string;
  };
  const stoppedAlarm = await powerOffAlarm(stoppedBehindOurBack);
  const untouchedAlarm = await powerOffAlarm(untouched);
  await first.cloud.server.close();
  firstOpen = false;

  // While Nimbus is down, one guest powers off and another disappears from the hypervisor.
  // The fake hypervisor journals its domains, one `{id, domain}` line per change (the last line of an id wins).
  const journal = join(dataDir, 'fake-hypervisor.jsonl');
  const domains = new Map<string, { powerState: number } | null>();
  for (const line of readFileSync(journal, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')) {
    const entry = JSON.parse(line) as { id: string; domain: { powerState: number } | null };
    domains.set(entry.id, entry.domain);
  }
  const stopped = { ...domains.get(stoppedBehindOurBack)!, powerState: 4 };
  appendFileSync(journal, `${JSON.stringify({ id: stoppedBehindOurBack, domain: stopped })}\n${JSON.stringify({ id: vanished, domain: null })}\n`);

  const second = await startComputeCloud(useDir);
  t.after(() => second.cloud.server.close());
  const show = async (id: string) => (await second.call('GET', `/servers/${id}`, { version: '2.79' })).body.server as Record<string, unknown>;
  const shownStopped = await show(stoppedBehindOurBack);
  assert.equal(shownStopped.status, 'SHUTOFF');
  assert.equal(shownStopped['OS-EXT-STS:power_state'], 4);
  const gone = await show(vanished);
  assert.equal(gone.status, 'ACTIVE', 'Nova only warns about a missing domain');
  assert.equal(gone['OS-EXT-STS:power_state'], 0);
  const running = await show(untouched);
  assert.equal(running.status, 'ACTIVE');
  assert.equal(running['OS-EXT-STS:power_state'], 1);

  const alarm = async (id: string) => (await second.cloud.request('GET', `/alarming/v2/alarms/${id}`, { token: second.demo })).body;
  for (let i = 0; i < 100 && (await alarm(stoppedAlarm)).state !== 'alarm'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const fired = await alarm(stoppedAlarm);
  assert.equal(fired.state, 'alarm');
  assert.match(fired.state_reason, /event_type=compute\.instance\.power_off\.end/);
  assert.equal((await alarm(untouchedAlarm)).state, 'insufficient data');
});
