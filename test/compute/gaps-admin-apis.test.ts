/**
 * os-resetState, os-server-external-events, os-instance_usage_audit_log,
 * os-server-password and a deleted server's instance actions (2.21), with
 * their policies and error answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { uptimeLine } from '../../src/compute/service/hypervisors.js';
import { lastCompletedMonth } from '../../src/compute/service/usage-audit.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const MISSING = '9b0c4a6e-1f2d-4e3a-8b7c-6d5e4f3a2b1c';

describe('compute gaps: admin APIs', () => {
  let c: ComputeCloud;
  let serverId: string;
  before(async () => {
    c = await startComputeCloud();
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'gaps-admin', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(boot.status, 202, boot.text);
    serverId = boot.body.server.id;
    await c.waitFor(serverId, 'ACTIVE');
  });
  after(() => c.close());

  test('os-resetState sets error or active, logs reset_state; admin only; bad state is 400', async () => {
    const reset = (state: string, token = c.admin) => c.call('POST', `/servers/${serverId}/action`, { token, body: { 'os-resetState': { state } } });
    assert.equal((await reset('error')).status, 202);
    await c.waitFor(serverId, 'ERROR');
    assert.equal((await reset('active')).status, 202);
    await c.waitFor(serverId, 'ACTIVE');
    novaError(await reset('error', c.demo), 403, 'forbidden');
    novaError(await reset('paused'), 400, 'badRequest');
    const actions = await c.call('GET', `/servers/${serverId}/os-instance-actions`);
    assert.equal(actions.body.instanceActions.filter((a: { action: string }) => a.action === 'reset_state').length, 2);
  });

  test('os-server-external-events: 200 all accepted, 207 with per-event codes, 404 when none; admin only', async () => {
    const post = (events: unknown[], token = c.admin, version = '2.1') => c.call('POST', '/os-server-external-events', { token, version, body: { events } });
    const ok = await post([{ name: 'network-changed', server_uuid: serverId }]);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.events, [{ name: 'network-changed', server_uuid: serverId, status: 'completed', code: 200 }]);
    const mixed = await post([
      { name: 'network-vif-plugged', server_uuid: serverId, tag: 'port-1', status: 'in-progress' },
      { name: 'network-changed', server_uuid: MISSING },
    ]);
    assert.equal(mixed.status, 207, mixed.text);
    assert.deepEqual(
      mixed.body.events.map((e: { code: number; status: string }) => [e.code, e.status]),
      [
        [200, 'completed'],
        [404, 'failed'],
      ],
    );
    const untagged = await post(
      [
        { name: 'power-update', server_uuid: serverId },
        { name: 'network-changed', server_uuid: serverId },
      ],
      c.admin,
      '2.76',
    );
    assert.equal(untagged.status, 207);
    assert.equal(untagged.body.events[0].code, 400);
    assert.match(novaError(await post([{ name: 'network-changed', server_uuid: MISSING }]), 404, 'itemNotFound'), /No instances found for any event/);
    novaError(await post([{ name: 'power-update', server_uuid: serverId, tag: 'POWER_ON' }]), 400, 'badRequest');
    novaError(await post([]), 400, 'badRequest');
    novaError(await post([{ name: 'network-changed', server_uuid: serverId }], c.demo), 403, 'forbidden');
  });

  test('os-instance_usage_audit_log: the last whole month, every compute host not run; 400 on a bad timestamp', async () => {
    const list = await c.call('GET', '/os-instance_usage_audit_log', { token: c.admin });
    assert.equal(list.status, 200, list.text);
    const audit = list.body.instance_usage_audit_logs;
    assert.equal(audit.num_hosts, 1);
    assert.equal(audit.num_hosts_not_run, 1);
    assert.equal(audit.overall_status, '0 of 1 hosts done. 0 errors.');
    assert.deepEqual(audit.log, {});
    const shown = await c.call('GET', `/os-instance_usage_audit_log/${encodeURIComponent('2026-03-15 10:00:00')}`, { token: c.admin });
    assert.equal(shown.body.instance_usage_audit_log.period_beginning, '2026-02-01 00:00:00');
    assert.equal(shown.body.instance_usage_audit_log.period_ending, '2026-03-01 00:00:00');
    assert.match(novaError(await c.call('GET', '/os-instance_usage_audit_log/yesterday', { token: c.admin }), 400, 'badRequest'), /Invalid timestamp/);
    novaError(await c.call('GET', '/os-instance_usage_audit_log'), 403, 'forbidden');
  });

  test('lastCompletedMonth: on the first of a month at midnight the month before is not yet complete', () => {
    const onTheDot = lastCompletedMonth(new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual([onTheDot.begin.toISOString(), onTheDot.end.toISOString()], ['2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z']);
  });

  test("diagnostics: the driver's flat dict before 2.48, the common format from 2.48; admin only", async () => {
    const legacy = await c.call('GET', `/servers/${serverId}/diagnostics`, { token: c.admin, version: '2.47' });
    assert.equal(legacy.status, 200, legacy.text);
    assert.equal(legacy.body.memory, 512 * 1024);
    assert.equal(typeof legacy.body.vda_read, 'number');
    const standard = await c.call('GET', `/servers/${serverId}/diagnostics`, { token: c.admin, version: '2.48' });
    assert.equal(standard.status, 200, standard.text);
    assert.equal(standard.body.state, 'running');
    assert.equal(standard.body.driver, 'libvirt');
    assert.equal(standard.body.memory_details.maximum, 512);
    assert.equal(standard.body.num_disks, standard.body.disk_details.length);
    assert.equal(standard.body.num_nics, 1);
    assert.match(standard.body.nic_details[0].mac_address, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    novaError(await c.call('GET', `/servers/${serverId}/diagnostics`), 403, 'forbidden');
    novaError(await c.call('GET', `/servers/${MISSING}/diagnostics`, { token: c.admin }), 404, 'itemNotFound');
  });

  test('os-server-password: empty, cleared with 204; 404 for an unknown server', async () => {
    const shown = await c.call('GET', `/servers/${serverId}/os-server-password`);
    assert.deepEqual(shown.body, { password: '' });
    assert.equal((await c.call('DELETE', `/servers/${serverId}/os-server-password`)).status, 204);
    novaError(await c.call('GET', `/servers/${MISSING}/os-server-password`), 404, 'itemNotFound');
  });

  test("a deleted server's instance actions are listable from 2.21, 404 before", async () => {
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'gaps-deleted', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    const id = boot.body.server.id;
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    await c.waitFor(id, 'DELETED');
    const listed = await c.call('GET', `/servers/${id}/os-instance-actions`, { version: '2.21' });
    assert.equal(listed.status, 200, listed.text);
    const names = listed.body.instanceActions.map((a: { action: string }) => a.action);
    assert.ok(names.includes('create') && names.includes('delete'), names.join());
    const create = listed.body.instanceActions.find((a: { action: string }) => a.action === 'create');
    assert.equal((await c.call('GET', `/servers/${id}/os-instance-actions/${create.request_id}`, { version: '2.21' })).status, 200);
    novaError(await c.call('GET', `/servers/${id}/os-instance-actions`, { version: '2.20' }), 404, 'itemNotFound');
  });
});

describe('compute gaps: host uptime line', () => {
  test("uptimeLine reads as the `uptime` command's line", () => {
    const now = new Date('2026-12-06T23:05:01Z');
    assert.equal(
      uptimeLine(now, { uptimeSeconds: 3 * 86_400 + 4 * 3600 + 5 * 60, loadAverage: [0.1, 0.2, 0.3] }),
      ' 23:05:01 up 3 days,  4:05,  0 users,  load average: 0.10, 0.20, 0.30',
    );
    assert.equal(uptimeLine(now, { uptimeSeconds: 17 * 60, loadAverage: [1, 1, 1] }), ' 23:05:01 up 17 min,  0 users,  load average: 1.00, 1.00, 1.00');
    assert.equal(
      uptimeLine(now, { uptimeSeconds: 86_400 + 12 * 3600, loadAverage: [0, 0, 0] }),
      ' 23:05:01 up 1 day, 12:00,  0 users,  load average: 0.00, 0.00, 0.00',
    );
  });
});
